/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A paired figure over rounds: its median and its range. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** The value of each round, in order. */
  rounds: number[];
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0)
    return { median: Number.NaN, min: Number.NaN, max: Number.NaN, rounds: [] };
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    rounds: [...values],
  };
}

/** One round of one contender. */
export interface RoundSample {
  /** Wall-clock ns per operation, each awaited before the next (latency). */
  nsPerOp: number;
  /** Process CPU ns (user + system, all threads: WebCrypto works on libuv's pool) per operation. */
  cpuNsPerOp: number;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `op` `count` times, awaiting each, from index `start`. Every 256 ops it
 * yields to the event loop (for every contender alike) so that timers
 * scheduled by an op, such as callgate's ack-first dispatch, run as they
 * would in a server; their cost is in the figures.
 */
export async function runOps(
  op: (i: number) => Promise<unknown> | unknown,
  start: number,
  count: number,
): Promise<RoundSample> {
  await yieldToLoop();
  const cpuBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  for (let n = 0; n < count; n++) {
    await op(start + n);
    if ((n & 255) === 255) await yieldToLoop();
  }
  await yieldToLoop();
  const wall = Number(process.hrtime.bigint() - wallBefore);
  const cpu = process.cpuUsage(cpuBefore);
  return { nsPerOp: wall / count, cpuNsPerOp: ((cpu.user + cpu.system) * 1000) / count };
}
