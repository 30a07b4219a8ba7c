/**
 * Child-process entry: runs autocannon against one server, so that the load
 * generator and the server under test do not share an event loop. argv[2] is
 * a JSON LoadConfig; prints one JSON LoadResult line.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

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
if (config.warmupSec > 0) await load(config.warmupSec);
const result = await load(config.durationSec);
const statusCounts: Record<string, number> = {};
for (const [status, stat] of Object.entries(result.statusCodeStats ?? {})) {
  statusCounts[status] = (stat as { count: number }).count;
}
const out: LoadResult = {
  requestsPerSec: result.requests.average,
  latencyP50Ms: result.latency.p50,
  latencyP99Ms: result.latency.p99,
  total: result.requests.total,
  statusCounts,
  errors: result.errors,
  timeouts: result.timeouts,
};
process.stdout.write(`${JSON.stringify(out)}\n`);
