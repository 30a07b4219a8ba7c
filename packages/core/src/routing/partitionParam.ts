/** The query parameter that carries a partition in a callbackUri. */
export const PARTITION_PARAM = 'callgate-partition';

const PARTITION_PATTERN = /^[A-Za-z0-9._~-]{1,64}$/;
/** `.`, `..`, `...`: path segments a URL template would resolve, not names. */
const ONLY_DOTS = /^\.+$/;

/**
 * True for a usable partition name: 1-64 characters of `A-Z a-z 0-9 . _ ~ -`,
 * so it travels unescaped in URLs and logs, and not made only of dots (a
 * template like `.../api/calls/${partition}` would turn `..` into the parent path).
 */
export function isValidPartition(value: unknown): value is string {
  return typeof value === 'string' && PARTITION_PATTERN.test(value) && !ONLY_DOTS.test(value);
}

/**
 * The partition a request was addressed to, read from its URL's query
 * (`?callgate-partition=…`). Undefined when absent or malformed.
 */
export function partitionFromUrl(url: string): string | undefined {
  const query = url.indexOf('?');
  if (query === -1) return undefined;
  const value = new URLSearchParams(url.slice(query + 1)).get(PARTITION_PARAM);
  return isValidPartition(value) ? value : undefined;
}

/** `base` with the partition added to its query, replacing any earlier one. */
export function withPartition(base: URL, partition: string): string {
  const url = new URL(base.href);
  url.searchParams.set(PARTITION_PARAM, partition);
  return url.href;
}
