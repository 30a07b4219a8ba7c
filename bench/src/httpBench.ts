import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevIssuer } from '@callgate/emulator';
import { spawnChild } from './children';
import { graphBody } from './fixtures';
import { fetchCounts, metadataUrl, mintBenchTokens } from './issuer';
import type { LoadConfig, LoadResult } from './load';
import type { Framework, RouteMode } from './servers';

export interface HttpRow extends LoadResult {
  framework: Framework;
  mode: RouteMode;
  tokenMode: 'reused' | 'fresh';
  /** Metadata and key fetches the dev issuer served to this server process. */
  fetches: { metadata: number; keys: number };
  serverRssMb: number;
}

export interface HttpBenchOptions {
  durationSec: number;
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

/**
 * Loopback HTTP throughput: per framework, a bare 202 route, the callgate
 * adapter (reused and fresh tokens) and a hand-written jose route; plus the
 * botframework-connector route on node:http. Each server runs in its own
 * process, autocannon in another.
 */
export async function runHttpBench(options: HttpBenchOptions): Promise<HttpRow[]> {
  const issuer = await startDevIssuer();
  const dir = mkdtempSync(join(tmpdir(), 'callgate-bench-'));
  try {
    const fresh = await mintBenchTokens(issuer, options.freshTokens);
    const files = { reused: join(dir, 'reused.json'), fresh: join(dir, 'fresh.json') };
    writeFileSync(files.reused, JSON.stringify(fresh.slice(0, 1)));
    writeFileSync(files.fresh, JSON.stringify(fresh));
    const rows: HttpRow[] = [];
    const frameworks = options.frameworks ?? ['node', 'express', 'koa'];
    for (const framework of frameworks) {
      const plan = framework === 'node' ? [...PLAN, ['botframework', 'fresh'] as const] : PLAN;
      for (const [mode, tokenMode] of plan) {
        if (options.modes !== undefined && !options.modes.includes(mode)) continue;
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
          connections: options.connections,
          body: graphBody,
          tokensFile: files[tokenMode],
        };
        const load = spawnChild('load', loadConfig);
        const result = await load.nextJson<LoadResult>();
        await load.exited;
        server.process.kill('SIGTERM');
        const { rssMb } = await server.nextJson<{ rssMb: number }>();
        await server.exited;
        const after = fetchCounts(issuer);
        const row: HttpRow = {
          framework,
          mode,
          tokenMode,
          ...result,
          fetches: { metadata: after.metadata - before.metadata, keys: after.keys - before.keys },
          serverRssMb: rssMb,
        };
        rows.push(row);
        process.stderr.write(
          `  http ${framework} ${mode} ${tokenMode}: ${Math.round(row.requestsPerSec)} req/s, p99 ${row.latencyP99Ms} ms, statuses ${JSON.stringify(row.statusCounts)}\n`,
        );
      }
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await issuer.close();
  }
}
