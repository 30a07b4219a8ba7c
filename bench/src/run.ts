/**
 * `pnpm bench [--quick] [--core] [--http] [--memory] [--duration=S]
 * [--rounds=N] [--warmup=S] [--connections=N] [--count=N] [--frameworks=node,express,koa] [--modes=bare,callgate,jose,botframework]
 * [--only=TEXT] [--profile=DIR] [--json=FILE]`: runs the chosen parts (all by default) and prints Markdown.
 */
import { writeFileSync } from 'node:fs';
import { spawnChild } from './children';
import { runCoreCost } from './coreCost';
import { runHttpBench } from './httpBench';
import type { MemoryResult } from './memory';
import type { TrackingResult } from './tracking';
import { loadAverage, machineReport } from './machine';
import { forbidNonLoopbackRequests } from './networkGuard';
import {
  type BenchResults,
  coreTable,
  httpTable,
  memoryTable,
  targets,
  targetsTable,
} from './report';
import { trackingTable } from './trackingTable';
import type { Framework, RouteMode } from './servers';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const quick = flag('quick');
const chosen = ['core', 'http', 'memory', 'tracking'].filter(flag);
const parts = new Set(chosen.length > 0 ? chosen : ['core', 'http', 'memory', 'tracking']);

forbidNonLoopbackRequests();
const results: BenchResults = {};
const log = (text: string) => process.stderr.write(`${text}\n`);
process.stdout.write(`### Machine\n\n${machineReport()}\n`);

if (parts.has('core')) {
  log('core: per-notification cost ...');
  const only = value('only');
  results.core = await runCoreCost({ quick, ...(only !== undefined ? { only } : {}) });
  process.stdout.write(`\n### Per-notification core cost\n\n${coreTable(results.core)}\n`);
}
if (parts.has('http')) {
  log('http: autocannon on loopback ...');
  const frameworks = value('frameworks')?.split(',') as Framework[] | undefined;
  const modes = value('modes')?.split(',') as RouteMode[] | undefined;
  const profileDir = value('profile');
  results.http = await runHttpBench({
    durationSec: Number(value('duration') ?? (quick ? 3 : 5)),
    rounds: Number(value('rounds') ?? (quick ? 1 : 3)),
    warmupSec: Number(value('warmup') ?? 1),
    connections: Number(value('connections') ?? 32),
    freshTokens: quick ? 1200 : 2500,
    ...(frameworks !== undefined ? { frameworks } : {}),
    ...(modes !== undefined ? { modes } : {}),
    ...(profileDir !== undefined
      ? { serverNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] }
      : {}),
  });
  process.stdout.write(`\n### HTTP on loopback\n\n${httpTable(results.http)}\n`);
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
process.stdout.write(`\nload average at end: ${loadAverage()}\n`);
process.stdout.write(`\n### Targets\n\n${targetsTable(targets(results))}\n`);
const json = value('json');
if (json !== undefined) writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
