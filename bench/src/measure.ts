/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface MeasureOptions {
  /** Operations run before measuring (JIT, caches). */
  warmupOps: number;
  rounds: number;
  opsPerRound: number;
}

export interface Measurement {
  name: string;
  /** Median over rounds. */
  nsPerOp: number;
  roundsNsPerOp: number[];
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `op` sequentially, awaiting each. Every 256 ops it yields to the event
 * loop (for every contender alike) so that timers scheduled by an op, such as
 * callgate's ack-first dispatch, run as they would in a server.
 */
export async function measure(
  name: string,
  op: (i: number) => Promise<unknown> | unknown,
  options: MeasureOptions,
): Promise<Measurement> {
  let i = 0;
  for (let n = 0; n < options.warmupOps; n++) {
    await op(i++);
    if ((n & 255) === 255) await yieldToLoop();
  }
  const rounds: number[] = [];
  for (let r = 0; r < options.rounds; r++) {
    await yieldToLoop();
    const start = process.hrtime.bigint();
    for (let n = 0; n < options.opsPerRound; n++) {
      await op(i++);
      if ((n & 255) === 255) await yieldToLoop();
    }
    const elapsed = Number(process.hrtime.bigint() - start);
    rounds.push(elapsed / options.opsPerRound);
  }
  return { name, nsPerOp: median(rounds), roundsNsPerOp: rounds };
}
