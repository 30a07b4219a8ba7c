/**
 * `node bench/dist/reliability.js [--long] [--parts=soak,faults,fuzz]
 * [--soak-seconds=N] [--fuzz-cases=N] [--fuzz-adapter-cases=N] [--seed=N]
 * [--json=FILE]`: soak, faults and fuzz against real servers on loopback;
 * prints Markdown tables and exits 1 if anything did not hold. Run with
 * --expose-gc for memory figures. The fuzz long run (issue 17):
 * `--parts=fuzz --fuzz-cases=1000000 --fuzz-adapter-cases=100000`.
 */
import { writeFileSync } from 'node:fs';
import { forbidNonLoopbackRequests } from './networkGuard';
import { runFaults } from './reliability/faults';
import { type FuzzResult, fuzzAdapter, fuzzHandle } from './reliability/fuzz';
import { runSoak } from './reliability/soak';
import { FRAMEWORKS, type Framework } from './servers';

const args = process.argv.slice(2);
const long = args.includes('--long');
const value = (name: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const seedText = value('seed');
const seed = seedText === undefined ? undefined : Number(seedText);
const soakSeconds = Number(value('soak-seconds') ?? (long ? 60 : 5));
const parts = new Set(value('parts')?.split(',') ?? ['soak', 'faults', 'fuzz']);
/** fast-check runs this many cases per call; a long run is several batches, seeds base + k. */
const FUZZ_BATCH = 50_000;
const frameworks: Framework[] = long ? [...FRAMEWORKS] : ['node'];
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

if (parts.has('soak')) {
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
      Object.keys(soak.unexpected).length === 0 &&
      soak.valid5xx === 0 &&
      (!long || heapGrowth <= 10);
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
}

if (parts.has('faults')) {
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
}

if (parts.has('fuzz')) {
  const handleRuns = Number(value('fuzz-cases') ?? (long ? 20_000 : 500));
  const adapterRuns = Number(value('fuzz-adapter-cases') ?? (long ? 3_000 : 150));
  const base = seed ?? Math.floor(Math.random() * 2 ** 31);
  log(
    `fuzz: ${handleRuns} cases into webhook.handle, ${adapterRuns} per adapter over HTTP (seed ${base}, batches of ${FUZZ_BATCH}) ...`,
  );
  /** `runs` cases in batches, merged into one result. */
  const batched = async (
    runs: number,
    fuzzOnce: (n: number, batchSeed: number) => Promise<FuzzResult>,
  ) => {
    const started = Date.now();
    let merged: FuzzResult | undefined;
    for (let done = 0, k = 0; done < runs; done += FUZZ_BATCH, k++) {
      const result = await fuzzOnce(Math.min(FUZZ_BATCH, runs - done), base + k);
      if (merged === undefined) merged = { ...result, statuses: { ...result.statuses } };
      else {
        merged.runs += result.runs;
        for (const [status, n] of Object.entries(result.statuses))
          merged.statuses[status] = (merged.statuses[status] ?? 0) + n;
        if (result.failure !== undefined) merged.failure ??= result.failure;
      }
      if (runs > FUZZ_BATCH) log(`  ${merged.target}: ${done + result.runs}/${runs}`);
      if (merged.failure !== undefined) break;
    }
    return { ...merged!, seconds: Math.round((Date.now() - started) / 1000) };
  };
  const fuzz = [await batched(handleRuns, (n, s) => fuzzHandle(n, s))];
  for (const framework of FRAMEWORKS)
    fuzz.push(await batched(adapterRuns, (n, s) => fuzzAdapter(framework, n, s)));
  results.fuzz = fuzz;
  out.push(
    '',
    `### Fuzz (fast-check, seeds ${base}..${base + Math.ceil(Math.max(handleRuns, adapterRuns) / FUZZ_BATCH) - 1})`,
    '',
    line(['target', 'cases', 'seconds', 'statuses', 'held']),
    line(Array(5).fill('---')),
  );
  for (const f of fuzz) {
    failed ||= f.failure !== undefined;
    out.push(
      line([
        f.target,
        f.runs,
        f.seconds,
        tally(f.statuses),
        f.failure === undefined ? 'yes' : `**no**: ${f.failure.split('\n')[0]}`,
      ]),
    );
  }
}

process.stdout.write(`${out.join('\n')}\n`);
const json = value('json');
if (json !== undefined) writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
if (failed) {
  log('reliability: something did not hold (see the tables)');
  process.exitCode = 1;
}
