const NUMBER = /^\s*\d+(?:\.\d+)?\s*$/;

/**
 * How long Graph asked to wait before retrying, in ms: `retry-after-ms` or
 * `x-ms-retry-after-ms` (milliseconds), else `Retry-After` (seconds, possibly
 * fractional, or an HTTP date relative to `now`). Undefined when none is usable.
 */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = headers.get(name);
    if (value !== null && NUMBER.test(value)) return Number(value);
  }
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (NUMBER.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * Exponential backoff with jitter for retry number `retry` (1, 2, 3…):
 * half of `min(maxMs, baseMs · 2^(retry-1))` plus a random part of the other half.
 */
export function backoffMs(
  retry: number,
  maxMs: number,
  random: () => number,
  baseMs = 500,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** (retry - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}
