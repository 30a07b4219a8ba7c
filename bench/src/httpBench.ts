import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevIssuer } from '@callgate/emulator';
import {
  type BaselineResult,
  baselinePairs,
  baselineServer,
  baselineServes,
  gitCommit,
  THIS_TREE,
  withBaselineTurns,
} from './baseline';
import { spawnChild, spawnScript } from './children';
import { graphBody } from './fixtures';
import { fetchCounts, metadataUrl, mintBenchTokens } from './issuer';
import type { LoadConfig, LoadResult } from './load';
import { routeName } from './report';
import { type Spread, spread } from './measure';
import type { Framework, RouteMode } from './servers';

export type TokenMode = 'reused' | 'fresh';

/** One route to run in a round: this build's, or the baseline's (`--baseline`). */
export interface Turn {
  framework: Framework;
  mode: RouteMode;
  tokenMode: TokenMode;
  /** Served by the baseline's build rather than this one. */
  build?: 'baseline';
}

/** One route of one framework in one round. */
export interface RouteRun extends Turn {
  round: number;
  load: LoadResult;
  /** Metadata and key fetches the dev issuer served to this server process. */
  fetches: { metadata: number; keys: number };
  serverRssMb: number;
}

/** Per-round pairs, as median and min–max over rounds. */
export interface HttpPairs {
  framework: Framework;
  /** Server CPU µs per request: callgate (reused token) minus the framework's floor route. */
  addsUs: Spread;
  /** `addsUs` divided by the node:http floor route's CPU µs per request in the same round. */
  timesNodeFloor: Spread;
  /** req/s of callgate (fresh tokens) / req/s of the hand-written jose route. */
  freshVsJoseRate: Spread;
  /** CPU µs per request of the jose route / of callgate (fresh tokens): >= 1 means callgate is cheaper. */
  freshVsJoseCpu: Spread;
}

export interface HttpResult {
  runs: RouteRun[];
  pairs: HttpPairs[];
  /** With `baselineDir`: this build's callgate routes ÷ the baseline's, paired per round. */
  baseline?: BaselineResult;
  settings: HttpBenchOptions;
}

export interface HttpBenchOptions {
  durationSec: number;
  /**
   * Each route runs this many times; in every round all routes of all
   * frameworks take one turn, so that the ratios of a round are paired.
   */
  rounds: number;
  /** Seconds of load before each measured run, discarded (JIT, caches, keys). */
  warmupSec: number;
  connections: number;
  freshTokens: number;
  frameworks: Framework[];
  /** Extra routes besides the plan (e.g. `bare`, `botframework`). */
  extraModes?: RouteMode[];
  /** Only these route modes (profiling). */
  modes?: RouteMode[];
  /** Extra node flags for server processes, e.g. `--cpu-prof`. */
  serverNodeArgs?: string[];
  /** Server on CPU 0, autocannon on CPU 1 (taskset). */
  pin: boolean;
  /**
   * Another checkout of this repository, installed and built: its
   * `bench/dist/server.js` also serves every callgate route (`callgate@baseline`).
   */
  baselineDir?: string;
}

/** What every framework runs in every round. */
const PLAN: [RouteMode, TokenMode][] = [
  ['floor', 'reused'],
  ['callgate', 'reused'],
  ['callgate', 'fresh'],
  ['jose', 'fresh'],
];

/** Every route answers 202 to every request, or the run is void. */
export function unexpectedOutcomes(load: LoadResult): string | undefined {
  const problems: string[] = [];
  for (const [status, count] of Object.entries(load.statusCounts)) {
    if (status !== '202' && count > 0) problems.push(`${count} x HTTP ${status}`);
  }
  if ((load.statusCounts['202'] ?? 0) === 0) problems.push('no 202 at all');
  if (load.errors > 0) problems.push(`${load.errors} errors`);
  if (load.timeouts > 0) problems.push(`${load.timeouts} timeouts`);
  return problems.length === 0 ? undefined : problems.join(', ');
}

/**
 * Loopback HTTP: per framework, the floor route, the callgate adapter (reused
 * and fresh tokens) and a hand-written jose route, all frameworks' routes
 * taking turns within each round. Each server runs in its own process,
 * autocannon in another. Throws on any answer but 202.
 */
export async function runHttpBench(options: HttpBenchOptions): Promise<HttpResult> {
  const issuer = await startDevIssuer();

  const baseline =
    options.baselineDir === undefined ? undefined : { server: baselineServer(options.baselineDir) };

  async function runOnce(turn: Turn, round: number, tokensFile: string): Promise<RouteRun> {
    const { framework, mode, tokenMode } = turn;
    const before = fetchCounts(issuer);
    const config = { framework, mode, metadataUrl: metadataUrl(issuer) };
    const cpu = options.pin ? 0 : undefined;
    const server =
      turn.build === 'baseline' && baseline !== undefined
        ? spawnScript(baseline.server, config, options.serverNodeArgs, cpu)
        : spawnChild('server', config, options.serverNodeArgs, cpu);
    const { url } = await server.nextJson<{ url: string }>();
    const loadConfig: LoadConfig = {
      url,
      durationSec: options.durationSec,
      warmupSec: options.warmupSec,
      connections: options.connections,
      body: graphBody,
      tokensFile,
    };
    const loader = spawnChild('load', loadConfig, [], options.pin ? 1 : undefined);
    const load = await loader.nextJson<LoadResult>();
    await loader.exited;
    server.process.kill('SIGTERM');
    const { rssMb } = await server.nextJson<{ rssMb: number }>();
    await server.exited;
    const after = fetchCounts(issuer);
    const problem = unexpectedOutcomes(load);
    if (problem !== undefined) {
      throw new Error(
        `http ${framework} ${routeName(turn)} ${tokenMode} round ${round + 1}: ${problem} (statuses ${JSON.stringify(load.statusCounts)}); the run is void`,
      );
    }
    return {
      ...turn,
      round,
      load,
      fetches: { metadata: after.metadata - before.metadata, keys: after.keys - before.keys },
      serverRssMb: rssMb,
    };
  }

  const dir = mkdtempSync(join(tmpdir(), 'callgate-bench-'));
  try {
    const fresh = await mintBenchTokens(issuer, options.freshTokens);
    const files = { reused: join(dir, 'reused.json'), fresh: join(dir, 'fresh.json') };
    writeFileSync(files.reused, JSON.stringify(fresh.slice(0, 1)));
    writeFileSync(files.fresh, JSON.stringify(fresh));
    const extra = (options.extraModes ?? []).map((mode): [RouteMode, TokenMode] => [
      mode,
      mode === 'botframework' ? 'fresh' : 'reused',
    ]);
    const turns = options.frameworks.flatMap((framework) =>
      [...PLAN, ...extra]
        .filter(([mode]) => options.modes === undefined || options.modes.includes(mode))
        .filter(([mode]) => mode !== 'botframework' || framework === 'node')
        .map(([mode, tokenMode]): Turn => ({ framework, mode, tokenMode })),
    );
    const callgateFrameworks = [
      ...new Set(turns.filter((t) => t.mode === 'callgate').map((t) => t.framework)),
    ];
    const baselineFrameworks = new Set<Framework>();
    if (baseline !== undefined) {
      for (const framework of callgateFrameworks) {
        const config = { framework, mode: 'callgate' as const, metadataUrl: metadataUrl(issuer) };
        if (await baselineServes(baseline.server, config, options.serverNodeArgs)) {
          baselineFrameworks.add(framework);
        } else {
          process.stderr.write(
            `  baseline: its server does not serve ${framework}; no pair for it\n`,
          );
        }
      }
    }
    const runs: RouteRun[] = [];
    for (let round = 0; round < options.rounds; round++) {
      // Rotate who goes first, so that no route always runs right after a spawn storm.
      const offset = round % turns.length;
      const rotated = [...turns.slice(offset), ...turns.slice(0, offset)];
      // The baseline's twin of a route runs right beside it, after the rotation.
      const roundTurns =
        baseline === undefined ? rotated : withBaselineTurns(rotated, round, baselineFrameworks);
      for (const turn of roundTurns) {
        const run = await runOnce(turn, round, files[turn.tokenMode]);
        runs.push(run);
        process.stderr.write(
          `  http ${turn.framework} ${routeName(turn)} ${turn.tokenMode} round ${round + 1}/${options.rounds}: ${Math.round(run.load.requestsPerSec)} req/s, ${run.load.serverCpuUsPerRequest.toFixed(1)} server CPU µs/req, p99 ${run.load.latencyP99Ms} ms\n`,
        );
      }
    }
    const result: HttpResult = { runs, pairs: pairsOf(runs, options), settings: options };
    if (options.baselineDir !== undefined) {
      result.baseline = {
        dir: options.baselineDir,
        commit: gitCommit(options.baselineDir),
        thisCommit: gitCommit(THIS_TREE),
        unserved: callgateFrameworks.filter((framework) => !baselineFrameworks.has(framework)),
        pairs: baselinePairs(runs, options.frameworks, options.rounds),
      };
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await issuer.close();
  }
}

/** This build's pairs per framework and round (the baseline's runs are not in them). */
export function pairsOf(runs: readonly RouteRun[], options: HttpBenchOptions): HttpPairs[] {
  const find = (framework: Framework, mode: RouteMode, tokenMode: TokenMode, round: number) =>
    runs.find(
      (r) =>
        r.framework === framework &&
        r.mode === mode &&
        r.tokenMode === tokenMode &&
        r.round === round &&
        r.build === undefined,
    )?.load;
  const out: HttpPairs[] = [];
  for (const framework of options.frameworks) {
    const adds: number[] = [];
    const times: number[] = [];
    const rate: number[] = [];
    const cpu: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      const floor = find(framework, 'floor', 'reused', round);
      const nodeFloor = find('node', 'floor', 'reused', round);
      const callgate = find(framework, 'callgate', 'reused', round);
      const callgateFresh = find(framework, 'callgate', 'fresh', round);
      const jose = find(framework, 'jose', 'fresh', round);
      if (floor && callgate) {
        const added = callgate.serverCpuUsPerRequest - floor.serverCpuUsPerRequest;
        adds.push(added);
        if (nodeFloor) times.push(added / nodeFloor.serverCpuUsPerRequest);
      }
      if (callgateFresh && jose) {
        rate.push(callgateFresh.requestsPerSec / jose.requestsPerSec);
        cpu.push(jose.serverCpuUsPerRequest / callgateFresh.serverCpuUsPerRequest);
      }
    }
    if (adds.length + rate.length === 0) continue;
    out.push({
      framework,
      addsUs: spread(adds),
      timesNodeFloor: spread(times),
      freshVsJoseRate: spread(rate),
      freshVsJoseCpu: spread(cpu),
    });
  }
  return out;
}
