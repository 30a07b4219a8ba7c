import { CallgateError } from '../errors';

/**
 * Every reason a token verification can fail, as stable codes.
 *
 * - `missing_token`: no `Authorization` (nor `Authentication`) header, or an empty one.
 * - `bad_scheme`: the header is not `Bearer <token>` (e.g. `Basic ...`).
 * - `multiple_tokens`: the header was repeated or lists more than one credential.
 * - `token_too_large`: the header value is over 8 KiB; refused before any decoding.
 * - `malformed_token`: not a compact JWS, or its header/payload is not valid JSON.
 * - `alg_not_allowed`: the token is not signed with RS256 (`none`, `HS256`, ...).
 * - `unknown_issuer`: `iss` matches no configured issuer exactly (no key work is done).
 * - `wrong_audience`: `aud` is not one of the bot's App IDs (a token for another bot).
 * - `expired`: `exp` is in the past, beyond the clock tolerance.
 * - `not_yet_valid`: `nbf` is in the future, beyond the clock tolerance.
 * - `missing_claim`: a required claim (`iss`, `exp`, `aud`, `tid`) is absent or of the wrong type.
 * - `bad_signature`: the signature does not verify with the key named by `kid`.
 * - `unknown_key`: no published signing key has the token's `kid` (even after a refetch).
 * - `wrong_app_id`: an Azure AD token whose `appid`/`azp` is not the calling service.
 * - `tenant_mismatch`: an Azure AD token whose `tid` is not a GUID or not the tenant in `iss`.
 * - `tenant_not_allowed`: `tid` is not in the configured `tenants` allow-list.
 * - `key_issuer_mismatch`: the signing key is published for another issuer/tenant.
 * - `keys_unavailable`: no signing keys could be fetched and none are cached (HTTP 503).
 */
export const AUTH_ERROR_CODES = [
  'missing_token',
  'bad_scheme',
  'multiple_tokens',
  'token_too_large',
  'malformed_token',
  'alg_not_allowed',
  'unknown_issuer',
  'wrong_audience',
  'expired',
  'not_yet_valid',
  'missing_claim',
  'bad_signature',
  'unknown_key',
  'wrong_app_id',
  'tenant_mismatch',
  'tenant_not_allowed',
  'key_issuer_mismatch',
  'keys_unavailable',
] as const;

/** One of {@link AUTH_ERROR_CODES}. */
export type AuthErrorCode = (typeof AUTH_ERROR_CODES)[number];

/**
 * A request whose bearer token could not be trusted.
 *
 * `status` is 401 for every code but `keys_unavailable`, which is 503 and carries
 * `retryAfter` (whole seconds, at least 1): the token may be fine, the bot just
 * cannot check it yet. Messages name the reason, `kid`, issuer and tenant, never
 * the token or key material.
 *
 * @example
 * ```ts
 * try {
 *   const caller = await verifier.verify(request.headers);
 * } catch (error) {
 *   if (error instanceof AuthError) {
 *     return { status: error.status, headers: authErrorResponseHeaders(error), body: error.code };
 *   }
 *   throw error;
 * }
 * ```
 */
export class AuthError extends CallgateError<AuthErrorCode> {
  /** Seconds after which a retry may succeed; set only for `keys_unavailable`. */
  readonly retryAfter: number | undefined;

  constructor(
    code: AuthErrorCode,
    message: string,
    options: { retryAfter?: number; cause?: unknown } = {},
  ) {
    const unavailable = code === 'keys_unavailable';
    super(code, message, {
      status: unavailable ? 503 : 401,
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.retryAfter = unavailable ? wholeSecondsAtLeastOne(options.retryAfter) : undefined;
  }
}

function wholeSecondsAtLeastOne(seconds: number | undefined): number {
  if (seconds === undefined || !Number.isFinite(seconds)) return 1;
  return Math.max(1, Math.ceil(seconds));
}

/**
 * The response headers an {@link AuthError} calls for: `WWW-Authenticate` on a
 * 401 (RFC 6750), `Retry-After` on a 503.
 *
 * @example
 * ```ts
 * authErrorResponseHeaders(new AuthError('expired', 'token expired'));
 * // { 'WWW-Authenticate': 'Bearer error="invalid_token"' }
 * ```
 */
export function authErrorResponseHeaders(error: AuthError): Record<string, string> {
  if (error.status === 503) return { 'Retry-After': String(error.retryAfter ?? 1) };
  return { 'WWW-Authenticate': 'Bearer error="invalid_token"' };
}
