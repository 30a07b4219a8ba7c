const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Whether `token` has the shape of a compact JWS: three base64url parts, the
 * last (the signature) possibly empty, so that an unsigned token is refused
 * as a bad signature rather than as noise. Base64url characters only, so its
 * signing input is ASCII.
 *
 * @example
 * ```ts
 * isCompactJws('eyJhbGciOiJSUzI1NiJ9.eyJ4IjoxfQ.c2ln'); // true
 * ```
 */
export function isCompactJws(token: string): boolean {
  return COMPACT_JWS.test(token);
}
