import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevIssuer } from '@callgate/emulator';
import { spawnChild } from './children';
import { graphBody } from './fixtures';
import { fetchCounts, metadataUrl, mintBenchTokens } from './issuer';
import type { LoadConfig, LoadResult } from './load';
import { median } from './measure';
import type { Framework, RouteMode } from './servers';

export interface HttpRow extends LoadResult {
  framework: Framework;
  mode: RouteMode;
  tokenMode: 'reused' | 'fresh';
  /** Metadata and key fetches the dev issuer served to each server process (one per round). */
  fetches: { metadata: number; keys: number }[];
  /** Largest server RSS at the end of a round. */
  serverRssMb: number;
  /** req/s of each round; `requestsPerSec` and the latencies are their medians. */
  roundsRequestsPerSec: number[];
}

export interface HttpBenchOptions {
  durationSec: number;
  /**
   * Each route runs this many times, the routes of one framework taking
   * turns, so that a machine that slows down or speeds up during the run
   * weighs on the bare route and the adapter alike.
   */
  rounds: number;
  /** Seconds of load before each measured run, discarded (JIT, caches, keys). */
  warmupSec: number;
  connections: number;
  freshTokens: number;
  frameworks?: Framework[];
  /** Only these route modes (profiling). */
  modes?: RouteMode[];
  /** Extra node flags for server processes, e.g. `--cpu-prof`. */
  serverNodeArgs?: string[];
}

const PLAN: [RouteMode, 'reused' | 'fresh'][] = [
  ['bare', 'reused'],
  ['callgate', 'reused'],
  ['callgate', 'fresh'],
  ['jose', 'fresh'],
];

/** On node:http only: botframework-connector, and what parsing alone costs. */
const NODE_ONLY: [RouteMode, 'reused' | 'fresh'][] = [
  ['botframework', 'fresh'],
  ['json', 'reused'],
  ['parse', 'reused'],
];

/**
 * Loopback HTTP throughput: per framework, a bare 202 route, the callgate
 * adapter (reused and fresh tokens) and a hand-written jose route; plus the
 * botframework-connector route on node:http. Each server runs in its own
 * process, autocannon in another.
 */
export async function runHttpBench(options: HttpBenchOptions): Promise<HttpRow[]> {
  const issuer = await startDevIssuer();

  /** One server process under one load run (after a discarded warm-up). */
  async function runOnce(
    framework: Framework,
    mode: RouteMode,
    tokensFile: string,
  ): Promise<RunResult> {
    const before = fetchCounts(issuer);
    const server = spawnChild(
      'server',
      { framework, mode, metadataUrl: metadataUrl(issuer) },
      options.serverNodeArgs,
    );
    const { url } = await server.nextJson<{ url: string }>();
    const loadConfig: LoadConfig = {
      url,
      durationSec: options.durationSec,
      warmupSec: options.warmupSec,
      connections: options.connections,
      body: graphBody,
      tokensFile,
    };
    const load = spawnChild('load', loadConfig);
    const result = await load.nextJson<LoadResult>();
    await load.exited;
    server.process.kill('SIGTERM');
    const { rssMb } = await server.nextJson<{ rssMb: number }>();
    await server.exited;
    const after = fetchCounts(issuer);
    return {
      load: result,
      fetches: { metadata: after.metadata - before.metadata, keys: after.keys - before.keys },
      rssMb,
    };
  }

  const dir = mkdtempSync(join(tmpdir(), 'callgate-bench-'));
  try {
    const fresh = await mintBenchTokens(issuer, options.freshTokens);
    const files = { reused: join(dir, 'reused.json'), fresh: join(dir, 'fresh.json') };
    writeFileSync(files.reused, JSON.stringify(fresh.slice(0, 1)));
    writeFileSync(files.fresh, JSON.stringify(fresh));
    const rows: HttpRow[] = [];
    const frameworks = options.frameworks ?? ['node', 'express', 'koa'];
    for (const framework of frameworks) {
      const plan = (framework === 'node' ? [...PLAN, ...NODE_ONLY] : PLAN).filter(
        ([mode]) => options.modes === undefined || options.modes.includes(mode),
      );
      const runs = plan.map((): RunResult[] => []);
      for (let round = 0; round < options.rounds; round++) {
        for (const [index, [mode, tokenMode]] of plan.entries()) {
          const run = await runOnce(framework, mode, files[tokenMode]);
          runs[index]!.push(run);
          process.stderr.write(
            `  http ${framework} ${mode} ${tokenMode} round ${round + 1}/${options.rounds}: ${Math.round(run.load.requestsPerSec)} req/s, p99 ${run.load.latencyP99Ms} ms, statuses ${JSON.stringify(run.load.statusCounts)}\n`,
          );
        }
      }
      for (const [index, [mode, tokenMode]] of plan.entries()) {
        rows.push(combine(framework, mode, tokenMode, runs[index]!));
      }
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await issuer.close();
  }
}

interface RunResult {
  load: LoadResult;
  fetches: { metadata: number; keys: number };
  rssMb: number;
}

/** The rounds of one route as one row: medians of rate and latency, sums of counts. */
function combine(
  framework: Framework,
  mode: RouteMode,
  tokenMode: 'reused' | 'fresh',
  runs: RunResult[],
): HttpRow {
  const statusCounts: Record<string, number> = {};
  for (const run of runs) {
    for (const [status, count] of Object.entries(run.load.statusCounts)) {
      statusCounts[status] = (statusCounts[status] ?? 0) + count;
    }
  }
  const sum = (pick: (run: RunResult) => number) => runs.reduce((a, run) => a + pick(run), 0);
  return {
    framework,
    mode,
    tokenMode,
    requestsPerSec: median(runs.map((run) => run.load.requestsPerSec)),
    latencyP50Ms: median(runs.map((run) => run.load.latencyP50Ms)),
    latencyP99Ms: median(runs.map((run) => run.load.latencyP99Ms)),
    total: sum((run) => run.load.total),
    statusCounts,
    errors: sum((run) => run.load.errors),
    timeouts: sum((run) => run.load.timeouts),
    fetches: runs.map((run) => run.fetches),
    serverRssMb: Math.max(...runs.map((run) => run.rssMb)),
    roundsRequestsPerSec: runs.map((run) => run.load.requestsPerSec),
  };
}
