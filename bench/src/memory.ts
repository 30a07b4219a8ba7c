/**
 * Child-process entry (run with --expose-gc): pushes `count` notifications
 * through `webhook.handle` (a `notification` handler registered) with a reused
 * token and reports heap (the leak signal) and RSS before and after, each
 * after a full GC. argv[2] is `{"count": N}`.
 */
import { startDevIssuer } from '@callgate/emulator';
import { benchWebhook, callgateContender } from './contenders';
import { graphBody } from './fixtures';
import { mintBenchToken } from './issuer';
import { forbidNonLoopbackRequests } from './networkGuard';

export interface MemoryResult {
  count: number;
  warmup: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  rssPeakMb: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  seconds: number;
  /** Heap used after GC every 10% of the run (the leak signal). */
  heapSamplesMb: number[];
}

forbidNonLoopbackRequests();
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const { count } = JSON.parse(process.argv[2] ?? '{}') as { count: number };
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

const issuer = await startDevIssuer();
const webhook = benchWebhook(issuer);
const handle = callgateContender(webhook);
const token = await mintBenchToken(issuer);
const BATCH = 500;

// Concurrent batches, then idle(): a server's event loop turns between requests,
// letting the ack-first dispatch timers run; a tight await loop would not.
async function run(n: number, onProgress?: (done: number) => void): Promise<void> {
  for (let done = 0; done < n; done += BATCH) {
    const size = Math.min(BATCH, n - done);
    const batch: Promise<unknown>[] = [];
    for (let i = 0; i < size; i++) batch.push(handle(token, graphBody));
    await Promise.all(batch);
    await webhook.idle();
    onProgress?.(done + size);
  }
}

const warmup = Math.min(50_000, Math.ceil(count / 10));
await run(warmup);
gc();
const before = process.memoryUsage();
let peak = before.rss;
const samples: number[] = [];
const step = Math.max(BATCH, Math.floor(count / 10 / BATCH) * BATCH);
const start = process.hrtime.bigint();
await run(count, (done) => {
  const { rss } = process.memoryUsage();
  if (rss > peak) peak = rss;
  if (done % step === 0) {
    gc();
    samples.push(mb(process.memoryUsage().heapUsed));
  }
});
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
gc();
const after = process.memoryUsage();
await issuer.close();
const result: MemoryResult = {
  count,
  warmup,
  rssBeforeMb: mb(before.rss),
  rssAfterMb: mb(after.rss),
  rssPeakMb: mb(peak),
  heapBeforeMb: mb(before.heapUsed),
  heapAfterMb: mb(after.heapUsed),
  seconds: Math.round(seconds * 10) / 10,
  heapSamplesMb: samples,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
