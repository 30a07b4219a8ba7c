import type { HeaderMap } from './types';

/**
 * The value of header `name` (case-insensitive) as one string: repeated
 * headers are joined with `, ` as HTTP defines; absent gives undefined.
 */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const wanted = name.toLowerCase();
  let value = headers[wanted];
  if (value === undefined) {
    for (const key of Object.keys(headers)) {
      if (key.length === wanted.length && key.toLowerCase() === wanted) {
        value = headers[key];
        break;
      }
    }
  }
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}
