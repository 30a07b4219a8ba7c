import type { HeaderMap } from '../http/types';
import { AuthError } from './AuthError';

/** Longest `Authorization` value read; real tokens are 1-2 KiB. */
export const MAX_AUTHORIZATION_BYTES = 8 * 1024;

/**
 * The bearer token of a request: from `Authorization`, or from `Authentication`
 * when `Authorization` is absent (Microsoft's documentation sample spells it so).
 * Header names and the `Bearer` scheme are matched case-insensitively.
 *
 * @throws {AuthError} `missing_token`, `bad_scheme`, `multiple_tokens`,
 *   `token_too_large` or `malformed_token`.
 * @example
 * ```ts
 * readBearerToken({ authorization: 'Bearer eyJ...' }); // 'eyJ...'
 * ```
 */
export function readBearerToken(headers: HeaderMap | Headers): string {
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
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    if (Array.isArray(value)) values.push(...value);
    else values.push(value);
  }
  return values;
}

function isHeaders(headers: HeaderMap | Headers): headers is Headers {
  // Duck-typed so that a Headers from another realm or polyfill works too.
  return typeof (headers as Partial<Headers>).get === 'function';
}
