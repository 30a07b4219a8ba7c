/**
 * `pnpm bench [--quick] [--core] [--http] [--memory] [--duration=S]
 * [--rounds=N] [--warmup=S] [--connections=N] [--count=N]
 * [--frameworks=node,express,koa,fastify] [--modes=floor,callgate,jose]
 * [--extra=bare,botframework] [--no-pin] [--only=TEXT] [--profile=DIR]
 * [--tracking] [--calls=N] [--baseline=DIR] [--json=FILE]`: runs the chosen parts (all by default), prints Markdown,
 * exits 1 if a run was void (an answer other than 202, an error).
 * `--baseline=DIR` (HTTP): DIR's build also serves every callgate route, in
 * the same rounds, and a table pairs this build with it (see baseline.ts).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { baselineTable } from './baseline';
import { spawnChild } from './children';
import { runCoreCost } from './coreCost';
import { runHttpBench } from './httpBench';
import { loadAverage, machineReport } from './machine';
import type { MemoryResult } from './memory';
import type { TrackingResult } from './tracking';
import { stagesTable } from './stagesTable';
import { trackingTable } from './trackingTable';
import { forbidNonLoopbackRequests } from './networkGuard';
import {
  type BenchResults,
  corePairsTable,
  coreTable,
  httpPairsTable,
  httpTable,
  memoryTable,
  targets,
  targetsTable,
} from './report';
import { FRAMEWORKS, type Framework, type RouteMode } from './servers';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const list = <T extends string>(name: string) => value(name)?.split(',') as T[] | undefined;
const quick = flag('quick');
const chosen = ['core', 'http', 'memory', 'tracking'].filter(flag);
const parts = new Set(chosen.length > 0 ? chosen : ['core', 'http', 'memory', 'tracking']);

function canPin(): boolean {
  if (flag('no-pin') || cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['-c', '0', 'true']);
    return true;
  } catch {
    return false;
  }
}

forbidNonLoopbackRequests();
const results: BenchResults = {};
const log = (text: string) => process.stderr.write(`${text}\n`);
const started = Date.now();
process.stdout.write(`### Machine\n\n${machineReport()}\n`);

if (parts.has('core')) {
  log('core: per-notification cost, interleaved rounds ...');
  const only = value('only');
  results.core = await runCoreCost({ quick, ...(only !== undefined ? { only } : {}) });
  const s = results.core.settings;
  process.stdout.write(
    `\n### In process (${s.rounds} interleaved rounds of ${s.opsPerRound} ops after ${s.warmupOps} warm-up ops each)\n\n${coreTable(results.core)}\n\nPaired ratios (each round's contenders ran back to back):\n\n${corePairsTable(results.core)}\n\nWhere a notification's time goes (stages measured alone; each row a difference of two contenders within each round, reused token unless named):\n\n${stagesTable(results.core)}\n`,
  );
}
if (parts.has('http')) {
  const pin = canPin();
  log(`http: autocannon on loopback${pin ? ' (server on CPU 0, autocannon on CPU 1)' : ''} ...`);
  const modes = list<RouteMode>('modes');
  const extraModes = list<RouteMode>('extra');
  const profileDir = value('profile');
  const baselineDir = value('baseline');
  results.http = await runHttpBench({
    durationSec: Number(value('duration') ?? (quick ? 2 : 5)),
    rounds: Number(value('rounds') ?? (quick ? 1 : 5)),
    warmupSec: Number(value('warmup') ?? 1),
    connections: Number(value('connections') ?? 32),
    freshTokens: quick ? 1200 : 2500,
    frameworks: list<Framework>('frameworks') ?? [...FRAMEWORKS],
    pin,
    ...(modes !== undefined ? { modes } : {}),
    ...(extraModes !== undefined ? { extraModes } : {}),
    ...(profileDir !== undefined
      ? { serverNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] }
      : {}),
    ...(baselineDir !== undefined ? { baselineDir: resolve(baselineDir) } : {}),
  });
  const h = results.http.settings;
  process.stdout.write(
    `\n### HTTP on loopback (${h.connections} connections, ${h.rounds} rounds of ${h.durationSec} s after ${h.warmupSec} s warm-up; all routes take turns in each round${pin ? '; server pinned to CPU 0, autocannon to CPU 1' : ''})\n\n${httpTable(results.http)}\n\nPaired per round (median, min–max):\n\n${httpPairsTable(results.http)}\n`,
  );
  if (results.http.baseline !== undefined) {
    process.stdout.write(
      `\n### Before/after: this build ÷ baseline, paired per round\n\n${baselineTable(results.http.baseline)}\n`,
    );
  }
}
if (parts.has('memory')) {
  const count = Number(value('count') ?? (quick ? 100_000 : 1_000_000));
  log(`memory: ${count} notifications through webhook.handle ...`);
  const child = spawnChild('memory', { count }, ['--expose-gc']);
  results.memory = await child.nextJson<MemoryResult>();
  await child.exited;
  process.stdout.write(`\n### Memory\n\n${memoryTable(results.memory)}\n`);
}
if (parts.has('tracking')) {
  const calls = Number(value('calls') ?? (quick ? 2_000 : 10_000));
  log(`tracking: ${calls} concurrent calls through their whole life ...`);
  const child = spawnChild('tracking', { calls, rounds: quick ? 1 : 3 }, ['--expose-gc']);
  results.tracking = await child.nextJson<TrackingResult>();
  await child.exited;
  process.stdout.write(`\n### Following calls\n\n${trackingTable(results.tracking)}\n`);
}
process.stdout.write(
  `\nload average at end: ${loadAverage()} (1 / 5 / 15 min); ${Math.round((Date.now() - started) / 1000)} s in all\n`,
);
process.stdout.write(`\n### Targets\n\n${targetsTable(targets(results))}\n`);
const json = value('json');
if (json !== undefined) writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
