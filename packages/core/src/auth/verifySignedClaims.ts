import {
  decodeJwt,
  decodeProtectedHeader,
  type JWTPayload,
  type ProtectedHeaderParameters,
} from 'jose';
import { AuthError } from './AuthError';
import type { SigningKey } from './importSigningKeys';
import { isCompactJws } from './isCompactJws';

/** What a token must satisfy besides its signature. */
export interface SignedClaimsPolicy {
  /** Accepted `aud` values (the bot's App IDs). */
  audience: readonly string[];
  clockToleranceSec: number;
  /** Current time, ms since the epoch. */
  now: number;
}

/** A token's header and claims as jose decoded them before the signature was checked. */
export interface DecodedToken {
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
}

/**
 * Checks a compact JWS the way jose's `jwtVerify` does with
 * `{ algorithms: ['RS256'], audience, clockTolerance, currentDate, requiredClaims: ['exp'] }`,
 * with one difference: the signature is checked by {@link SigningKey.verifySignature}
 * (synchronous node:crypto where the runtime offers it, WebCrypto elsewhere),
 * which on Node costs a third of an awaited `crypto.subtle.verify`.
 *
 * jose still decodes the header and the claims (`decodeProtectedHeader`,
 * `decodeJwt`, `base64url.decode`); what is written here is the order of the
 * checks and the claim rules, and `verifySignedClaims.differential.test.ts`
 * holds them to jose's `jwtVerify` over generated and tampered tokens: any
 * token accepted here is accepted by jose with the options above. Stricter
 * than jose: a header with `crit` or `b64` is refused (RFC 7797's unencoded
 * payloads have no place in a bearer token).
 *
 * The algorithm is pinned to RS256 here, independently of the verifier's own
 * check of the header before a key is even looked up.
 *
 * @param context names the issuer and kid in messages; a function is called only for a message.
 * @param decoded the header and claims the caller already decoded from this same `token`, if any.
 * @throws {AuthError} `malformed_token`, `alg_not_allowed`, `bad_signature`,
 *   `missing_claim`, `wrong_audience`, `expired`, `not_yet_valid`; `context`
 *   (issuer, kid) ends each message.
 * @example
 * ```ts
 * const claims = await verifySignedClaims(token, signingKey, { audience: [appId], clockToleranceSec: 300, now: Date.now() }, 'kid abc');
 * ```
 */
export async function verifySignedClaims(
  token: string,
  key: Pick<SigningKey, 'verifySignature'>,
  policy: SignedClaimsPolicy,
  context: string | (() => string),
  decoded?: DecodedToken,
): Promise<JWTPayload> {
  const fail = (
    code: ConstructorParameters<typeof AuthError>[0],
    reason: string,
    cause?: unknown,
  ) =>
    new AuthError(
      code,
      `${reason} (${typeof context === 'string' ? context : context()})`,
      cause === undefined ? {} : { cause },
    );

  // Checked again although the verifier did: this layer stands on its own (its tests call it directly).
  if (!isCompactJws(token)) {
    throw fail('malformed_token', 'the token is not a well-formed signed JWT');
  }
  let header: ProtectedHeaderParameters;
  let payload: JWTPayload;
  try {
    header = decoded?.header ?? decodeProtectedHeader(token);
    payload = decoded?.payload ?? decodeJwt(token);
  } catch (cause) {
    throw fail('malformed_token', 'the token is not a well-formed signed JWT', cause);
  }
  if (header.alg !== 'RS256') throw fail('alg_not_allowed', 'the token is not signed with RS256');
  if (Object.hasOwn(header, 'crit') || Object.hasOwn(header, 'b64')) {
    throw fail(
      'malformed_token',
      'the token header has "crit" or "b64", which bearer tokens never need',
    );
  }

  const dot = token.lastIndexOf('.');
  if (!(await key.verifySignature(token.slice(0, dot), token.slice(dot + 1)))) {
    throw fail('bad_signature', 'the token signature does not verify');
  }

  checkClaims(payload, policy, fail);
  return payload;
}

/** jose's `validateClaimsSet` for `audience`, `clockTolerance`, `currentDate` and `requiredClaims: ['exp']`. */
function checkClaims(
  payload: JWTPayload,
  policy: SignedClaimsPolicy,
  fail: (code: ConstructorParameters<typeof AuthError>[0], reason: string) => AuthError,
): void {
  if (!Object.hasOwn(payload, 'exp')) throw fail('missing_claim', 'the token has no "exp" claim');
  if (!Object.hasOwn(payload, 'aud')) throw fail('missing_claim', 'the token has no "aud" claim');
  const { aud } = payload;
  const audienceMatches =
    typeof aud === 'string'
      ? policy.audience.includes(aud)
      : Array.isArray(aud) && policy.audience.some((accepted) => aud.includes(accepted));
  if (!audienceMatches) {
    throw fail('wrong_audience', "the token's audience is not this bot's App ID");
  }
  const now = Math.floor(policy.now / 1000);
  const tolerance = policy.clockToleranceSec;
  for (const claim of ['iat', 'nbf', 'exp'] as const) {
    const value = payload[claim];
    if (value !== undefined && typeof value !== 'number') {
      throw fail('malformed_token', `the token's "${claim}" claim is not a number`);
    }
  }
  if (payload.nbf !== undefined && payload.nbf > now + tolerance) {
    throw fail('not_yet_valid', 'the token is not valid yet (nbf)');
  }
  if ((payload.exp as number) <= now - tolerance) throw fail('expired', 'the token has expired');
}
