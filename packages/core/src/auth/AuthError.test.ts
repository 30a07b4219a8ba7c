import { describe, expect, it } from 'vitest';
import { CallgateError } from '../errors';
import { AUTH_ERROR_CODES, AuthError, authErrorResponseHeaders } from './AuthError';

describe('AuthError', () => {
  it('is a CallgateError with status 401 for every code but keys_unavailable', () => {
    for (const code of AUTH_ERROR_CODES.filter((c) => c !== 'keys_unavailable')) {
      const error = new AuthError(code, 'why');
      expect(error).toBeInstanceOf(CallgateError);
      expect(error.status).toBe(401);
      expect(error.retryAfter).toBeUndefined();
      expect(authErrorResponseHeaders(error)).toEqual({
        'WWW-Authenticate': 'Bearer error="invalid_token"',
      });
    }
  });

  it('is a 503 with a whole Retry-After of at least 1 s for keys_unavailable', () => {
    expect(
      authErrorResponseHeaders(new AuthError('keys_unavailable', 'x', { retryAfter: 29.2 })),
    ).toEqual({ 'Retry-After': '30' });
    expect(new AuthError('keys_unavailable', 'x', { retryAfter: 0 }).retryAfter).toBe(1);
    const error = new AuthError('keys_unavailable', 'x');
    expect(error.status).toBe(503);
    expect(error.retryAfter).toBe(1);
    expect(error.name).toBe('AuthError');
  });

  it('lists 18 distinct codes', () => {
    expect(new Set(AUTH_ERROR_CODES).size).toBe(18);
  });
});
