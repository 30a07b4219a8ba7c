/**
 * `--baseline=DIR`: the callgate routes of another build (another checkout of
 * this repository, installed and built) run as extra routes `callgate@baseline`
 * in the same rounds as this build's, and each round gives a paired ratio
 * "this build ÷ baseline" of server CPU µs per request.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnScript } from './children';
import type { RouteRun, TokenMode, Turn } from './httpBench';
import { type Spread, spread } from './measure';
import { range, table } from './report';
import type { Framework, ServerConfig } from './servers';

/** Per framework, this build's server CPU µs/req ÷ the baseline's, one ratio per round. */
export interface BaselinePair {
  framework: Framework;
  reusedCpu: Spread;
  freshCpu: Spread;
}

export interface BaselineResult {
  /** The baseline checkout. */
  dir: string;
  /** `git rev-parse --short HEAD` of the baseline, `+` if its tracked files differ from it. */
  commit: string;
  /** The same for the tree this bench runs from. */
  thisCommit: string;
  /** Frameworks the baseline's server does not serve (no `callgate@baseline` route for them). */
  unserved: Framework[];
  pairs: BaselinePair[];
}

/** The root of the checkout this bench runs from (from `src/` or `dist/` alike). */
export const THIS_TREE = fileURLToPath(new URL('../..', import.meta.url));

/** The baseline's built server entry; throws if that checkout is not built. */
export function baselineServer(dir: string): string {
  const server = join(resolve(dir), 'bench', 'dist', 'server.js');
  if (!existsSync(server)) {
    throw new Error(`--baseline: ${server} does not exist; install and build that checkout first`);
  }
  return server;
}

/** Short commit of a checkout, with `+` when its tracked files have uncommitted changes. */
export function gitCommit(dir: string): string {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();
  try {
    const commit = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--untracked-files=no') === '' ? commit : `${commit}+`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

/**
 * Whether the baseline's server starts a callgate route of `framework` (an
 * older build may not know a framework this one serves): starts it, stops it.
 */
export async function baselineServes(
  server: string,
  config: Omit<ServerConfig, 'webhook'>,
  nodeArgs?: string[],
): Promise<boolean> {
  const child = spawnScript(server, config, nodeArgs);
  try {
    await child.nextJson<{ url: string }>();
  } catch {
    return false;
  }
  child.process.kill('SIGTERM');
  await child.exited;
  return true;
}

/**
 * This round's turns with, right beside every callgate turn of a framework in
 * `frameworks`, the same route from the baseline's build; which of the two
 * goes first alternates from round to round, so neither always follows the other.
 */
export function withBaselineTurns(
  turns: readonly Turn[],
  round: number,
  frameworks: ReadonlySet<Framework>,
): Turn[] {
  return turns.flatMap((turn) => {
    if (turn.mode !== 'callgate' || turn.build !== undefined || !frameworks.has(turn.framework)) {
      return [turn];
    }
    const baseline: Turn = { ...turn, build: 'baseline' };
    return round % 2 === 0 ? [turn, baseline] : [baseline, turn];
  });
}

/** Per framework, the per-round ratios of this build's callgate server CPU µs/req to the baseline's. */
export function baselinePairs(
  runs: readonly RouteRun[],
  frameworks: readonly Framework[],
  rounds: number,
): BaselinePair[] {
  const cpu = (framework: Framework, tokenMode: TokenMode, round: number, baseline: boolean) =>
    runs.find(
      (r) =>
        r.framework === framework &&
        r.mode === 'callgate' &&
        r.tokenMode === tokenMode &&
        r.round === round &&
        (r.build === 'baseline') === baseline,
    )?.load.serverCpuUsPerRequest;
  const ratios = (framework: Framework, tokenMode: TokenMode) => {
    const out: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const mine = cpu(framework, tokenMode, round, false);
      const theirs = cpu(framework, tokenMode, round, true);
      if (mine !== undefined && theirs !== undefined) out.push(mine / theirs);
    }
    return out;
  };
  return frameworks
    .map((framework) => ({
      framework,
      reusedCpu: spread(ratios(framework, 'reused')),
      freshCpu: spread(ratios(framework, 'fresh')),
    }))
    .filter((p) => p.reusedCpu.rounds.length + p.freshCpu.rounds.length > 0);
}

/** The paired table, headed by both builds' commits. */
export function baselineTable(result: BaselineResult): string {
  const cell = (s: Spread) => (s.rounds.length === 0 ? '–' : range(s));
  const unserved =
    result.unserved.length === 0
      ? ''
      : `\n\nThe baseline does not serve ${result.unserved.join(', ')}: no pair for ${result.unserved.length === 1 ? 'it' : 'them'}.`;
  return `This build (${result.thisCommit}) ÷ baseline (${result.commit}, ${result.dir}), callgate routes, server CPU µs/req, per round (median, min–max); below 1 means this build costs less.\n\n${table(
    ['framework', 'reused token: this ÷ baseline', 'fresh tokens: this ÷ baseline'],
    result.pairs.map((p) => [p.framework, cell(p.reusedCpu), cell(p.freshCpu)]),
  )}${unserved}`;
}
