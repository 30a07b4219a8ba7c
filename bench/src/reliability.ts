/**
 * `node bench/dist/reliability.js [--long] [--seed=N] [--json=FILE]`: soak,
 * faults and fuzz against real servers on loopback; prints Markdown tables and
 * exits 1 if anything did not hold. Run with --expose-gc for memory figures.
 */
import { writeFileSync } from 'node:fs';
import { forbidNonLoopbackRequests } from './networkGuard';
import { runFaults } from './reliability/faults';
import { fuzzAdapter, fuzzHandle } from './reliability/fuzz';
import { runSoak } from './reliability/soak';
import type { Framework } from './servers';

const args = process.argv.slice(2);
const long = args.includes('--long');
const value = (name: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const seedText = value('seed');
const seed = seedText === undefined ? undefined : Number(seedText);
const soakSeconds = Number(value('soak-seconds') ?? (long ? 60 : 5));
const frameworks: Framework[] = long ? ['node', 'express', 'koa'] : ['node'];
const log = (text: string) => process.stderr.write(`${text}\n`);
const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
const tally = (t: Record<string, number>) =>
  Object.entries(t)
    .sort()
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');

forbidNonLoopbackRequests();
let failed = false;
const out: string[] = [];
const results: Record<string, unknown> = {};

log(`soak: ${soakSeconds} s per framework (${frameworks.join(', ')}) ...`);
out.push(
  '### Soak',
  '',
  line([
    'server',
    'seconds',
    'requests',
    'outcomes',
    'unexpected',
    '5xx to valid',
    'RSS before/after GC (MB)',
    'heap before/after GC (MB)',
    'held',
  ]),
  line(Array(9).fill('---')),
);
const soaks = [];
for (const framework of frameworks) {
  const soak = await runSoak({
    framework,
    durationMs: soakSeconds * 1000,
    concurrency: long ? 32 : 8,
  });
  soaks.push(soak);
  const heapGrowth = soak.heapAfterMb - soak.heapBeforeMb;
  const held =
    Object.keys(soak.unexpected).length === 0 && soak.valid5xx === 0 && (!long || heapGrowth <= 10);
  failed ||= !held;
  out.push(
    line([
      framework,
      soakSeconds,
      soak.requests,
      tally(soak.outcomes),
      tally(soak.unexpected) || 'none',
      soak.valid5xx,
      `${soak.rssBeforeMb} / ${soak.rssAfterMb}`,
      `${soak.heapBeforeMb} / ${soak.heapAfterMb}`,
      held ? 'yes' : '**no**',
    ]),
  );
}
results.soak = soaks;

const faultSize = long ? 400 : 40;
log(`faults: ${faultSize} requests per scenario ...`);
const faults = await runFaults(faultSize);
results.faults = faults;
out.push(
  '',
  '### Faults during load',
  '',
  line([
    'scenario',
    'expectation',
    'requests',
    'outcomes',
    'key fetches (all / under the fault)',
    'held',
  ]),
  line(Array(6).fill('---')),
);
for (const f of faults) {
  failed ||= !f.held;
  out.push(
    line([
      f.scenario,
      f.expectation,
      f.requests,
      tally(f.outcomes),
      `${f.keyFetches} / ${f.faultFetches}`,
      f.held ? 'yes' : '**no**',
    ]),
  );
}

const handleRuns = long ? 20_000 : 500;
const adapterRuns = long ? 3_000 : 150;
log(`fuzz: ${handleRuns} cases into webhook.handle, ${adapterRuns} per adapter over HTTP ...`);
const fuzz = [await fuzzHandle(handleRuns, seed)];
for (const framework of ['node', 'express', 'koa'] as const)
  fuzz.push(await fuzzAdapter(framework, adapterRuns, seed));
results.fuzz = fuzz;
out.push(
  '',
  '### Fuzz (fast-check)',
  '',
  line(['target', 'cases', 'statuses', 'held']),
  line(Array(4).fill('---')),
);
for (const f of fuzz) {
  failed ||= f.failure !== undefined;
  out.push(
    line([
      f.target,
      f.runs,
      tally(f.statuses),
      f.failure === undefined ? 'yes' : `**no**: ${f.failure.split('\n')[0]}`,
    ]),
  );
}

process.stdout.write(`${out.join('\n')}\n`);
const json = value('json');
if (json !== undefined) writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
if (failed) {
  log('reliability: something did not hold (see the tables)');
  process.exitCode = 1;
}
