/**
 * True when the path of `url` (query string and fragment ignored) is exactly `path`.
 *
 * @example
 * ```ts
 * pathMatches('/api/calls?tenant=1', '/api/calls'); // true
 * pathMatches('/api/calls/x', '/api/calls'); // false
 * ```
 */
export function pathMatches(url: string | undefined, path: string): boolean {
  const target = url ?? '/';
  const end = target.search(/[?#]/);
  return (end === -1 ? target : target.slice(0, end)) === path;
}
