import type { HeaderMap } from '../http/types';
import { AuthError } from './AuthError';

/** `Bearer <token68>`, any casing of the scheme, one space. */
const BEARER_PREFIX = /^[Bb][Ee][Aa][Rr][Ee][Rr] /;
const PLAIN_BEARER = /^[Bb][Ee][Aa][Rr][Ee][Rr] ([A-Za-z0-9\-._~+/]+=*)$/;

/** Longest `Authorization` value read; real tokens are 1-2 KiB. */
export const MAX_AUTHORIZATION_BYTES = 8 * 1024;

/**
 * The bearer token of a request: from `Authorization`, or from `Authentication`
 * when `Authorization` is absent (Microsoft's documentation sample spells it so).
 * Header names and the `Bearer` scheme are matched case-insensitively.
 * `isKnown` may vouch for a token verified before (the verifier's cache): a
 * `Bearer ` value whose rest it knows is returned without re-checking its
 * characters, which only a token that passed every check here could have.
 *
 * @throws {AuthError} `missing_token`, `bad_scheme`, `multiple_tokens`,
 *   `token_too_large` or `malformed_token`.
 * @example
 * ```ts
 * readBearerToken({ authorization: 'Bearer eyJ...' }); // 'eyJ...'
 * ```
 */
export function readBearerToken(
  headers: HeaderMap | Headers,
  isKnown?: (token: string) => boolean,
): string {
  let values = headerValues(headers, 'authorization');
  if (values.length === 0) values = headerValues(headers, 'authentication');
  if (values.length === 0) throw new AuthError('missing_token', 'no Authorization header');
  if (values.length > 1) {
    throw new AuthError('multiple_tokens', 'the Authorization header was sent more than once');
  }
  const value = values[0]!;
  if (value.length > MAX_AUTHORIZATION_BYTES) {
    throw new AuthError(
      'token_too_large',
      `the Authorization header is longer than ${MAX_AUTHORIZATION_BYTES} bytes`,
    );
  }
  // A token verified before passed every check below: an exact match skips re-checking its kilobyte.
  if (isKnown !== undefined && BEARER_PREFIX.test(value) && isKnown(value.slice(7))) {
    return value.slice(7);
  }
  // The shape every real request has; anything else gets the detailed checks below.
  const plain = PLAIN_BEARER.exec(value);
  if (plain !== null) return plain[1]!;
  const trimmed = value.trim();
  if (trimmed === '') throw new AuthError('missing_token', 'the Authorization header is empty');
  const match = /^([^\s]+)(?:\s+([\s\S]*))?$/.exec(trimmed);
  const scheme = match?.[1] ?? '';
  const credentials = match?.[2] ?? '';
  if (scheme.toLowerCase() !== 'bearer') {
    throw new AuthError('bad_scheme', 'the Authorization header does not use the Bearer scheme');
  }
  if (credentials === '') throw new AuthError('missing_token', 'the Bearer credentials are empty');
  if (credentials.includes(',') || /\s/.test(credentials)) {
    throw new AuthError('multiple_tokens', 'the Authorization header holds more than one token');
  }
  return credentials;
}

function headerValues(headers: HeaderMap | Headers, name: string): string[] {
  if (isHeaders(headers)) {
    const value = headers.get(name);
    return value === null ? [] : [value];
  }
  const values: string[] = [];
  for (const key of Object.keys(headers)) {
    if (key.length !== name.length || key.toLowerCase() !== name) continue;
    const value = headers[key];
    if (value === undefined) continue;
    if (Array.isArray(value)) values.push(...value);
    else values.push(value);
  }
  return values;
}

function isHeaders(headers: HeaderMap | Headers): headers is Headers {
  // Duck-typed so that a Headers from another realm or polyfill works too.
  return typeof (headers as Partial<Headers>).get === 'function';
}
