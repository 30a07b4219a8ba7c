/** Every status the webhook may answer (DESIGN.md's pipeline table, 421 for partitions, 503 for keys). */
export const DOCUMENTED_STATUSES: ReadonlySet<number> = new Set([
  202, 204, 302, 400, 401, 405, 413, 421, 503,
]);

/** Counts of outcomes per key, e.g. `{ "valid 202": 1000 }`. */
export type Tally = Record<string, number>;

export function count(tally: Tally, key: string, by = 1): void {
  tally[key] = (tally[key] ?? 0) + by;
}

/** Rejects after `ms`: only a hang detector, never a performance assertion. */
export function withHangDetector<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hang: ${what} did not settle in ${ms} ms`)), ms);
  });
  return Promise.race([work, hang]).finally(() => clearTimeout(timer));
}
