import { errors } from 'jose';
import { AuthError } from './AuthError';

/**
 * The {@link AuthError} for a failure of jose's `jwtVerify`; `context` names the
 * issuer and `kid` in the message. Anything unrecognised fails closed as
 * `bad_signature`.
 *
 * @example
 * ```ts
 * try { await jwtVerify(token, key, options); } catch (e) { throw authErrorFromJose(e, 'kid abc'); }
 * ```
 */
export function authErrorFromJose(error: unknown, context: string): AuthError {
  const because = (code: ConstructorParameters<typeof AuthError>[0], reason: string) =>
    new AuthError(code, `${reason} (${context})`, { cause: error });

  if (error instanceof errors.JWTExpired) return because('expired', 'the token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const { claim, reason } = error;
    if (reason === 'missing') return because('missing_claim', `the token has no "${claim}" claim`);
    if (reason === 'invalid') {
      return because('malformed_token', `the token's "${claim}" claim is not a number`);
    }
    if (claim === 'nbf') return because('not_yet_valid', 'the token is not valid yet (nbf)');
    if (claim === 'aud') {
      return because('wrong_audience', "the token's audience is not this bot's App ID");
    }
    return because('malformed_token', `the token's "${claim}" claim failed validation`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return because('bad_signature', 'the token signature does not verify');
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return because('alg_not_allowed', 'the token is not signed with RS256');
  }
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return because('malformed_token', 'the token is not a well-formed signed JWT');
  }
  return because('bad_signature', 'the token signature could not be verified');
}
