/**
 * Child-process entry: runs autocannon against one server, so that the load
 * generator and the server under test do not share an event loop. argv[2] is
 * a JSON LoadConfig; prints one JSON LoadResult line.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { STATS_PATH } from './benchPaths';

export interface LoadConfig {
  url: string;
  durationSec: number;
  /** Seconds of load first, not measured. */
  warmupSec: number;
  connections: number;
  body: string;
  /** File holding a JSON array of tokens, cycled through one per request. */
  tokensFile: string;
}

export interface LoadResult {
  requestsPerSec: number;
  /** Server CPU time (user + system, all its threads) per request it received while measured. */
  serverCpuUsPerRequest: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  total: number;
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as LoadConfig;
const tokens = JSON.parse(readFileSync(config.tokensFile, 'utf8')) as string[];
let next = 0;
const headersFor = () => ({
  'content-type': 'application/json',
  authorization: `Bearer ${tokens[next++ % tokens.length]}`,
});

const load = (duration: number) =>
  autocannon({
    url: config.url,
    method: 'POST',
    duration,
    connections: config.connections,
    body: config.body,
    ...(tokens.length === 1
      ? { headers: headersFor() }
      : {
          requests: [
            {
              method: 'POST',
              body: config.body,
              setupRequest: (request) => ({ ...request, headers: headersFor() }),
            },
          ],
        }),
  });
/** The server's CPU time and request count so far (its stats route is not counted). */
async function serverStats(): Promise<{ cpuUs: number; requests: number }> {
  const response = await fetch(new URL(STATS_PATH, config.url));
  return (await response.json()) as { cpuUs: number; requests: number };
}

if (config.warmupSec > 0) await load(config.warmupSec);
const before = await serverStats();
const result = await load(config.durationSec);
const after = await serverStats();
const statusCounts: Record<string, number> = {};
for (const [status, stat] of Object.entries(result.statusCodeStats ?? {})) {
  statusCounts[status] = (stat as { count: number }).count;
}
const out: LoadResult = {
  requestsPerSec: result.requests.average,
  serverCpuUsPerRequest:
    (after.cpuUs - before.cpuUs) / Math.max(1, after.requests - before.requests),
  latencyP50Ms: result.latency.p50,
  latencyP99Ms: result.latency.p99,
  total: result.requests.total,
  statusCounts,
  errors: result.errors,
  timeouts: result.timeouts,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
