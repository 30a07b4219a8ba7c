import { type JWTPayload, jwtVerify } from 'jose';
import { authErrorFromJose } from './authErrorFromJose';

/** What a token must satisfy besides its signature. */
export interface SignedClaimsPolicy {
  /** Accepted `aud` values (the bot's App IDs). */
  audience: readonly string[];
  clockToleranceSec: number;
  /** Current time, ms since the epoch. */
  now: number;
}

/**
 * Checks the RS256 signature of `token` with `key` and its time and audience
 * claims (`exp` required) through jose's `jwtVerify`, with the algorithm pinned
 * to RS256. The verifier refuses other algorithms from the header before a key
 * is even looked up; this pin is the second, independent layer.
 *
 * @throws {AuthError} with the code for jose's failure; `context` names the issuer and `kid`.
 * @example
 * ```ts
 * const claims = await verifySignedClaims(token, signingKey.key, { audience: [appId], clockToleranceSec: 300, now: Date.now() }, 'kid abc');
 * ```
 */
export async function verifySignedClaims(
  token: string,
  key: CryptoKey,
  policy: SignedClaimsPolicy,
  context: string,
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['RS256'],
      audience: [...policy.audience],
      clockTolerance: policy.clockToleranceSec,
      currentDate: new Date(policy.now),
      requiredClaims: ['exp'],
    });
    return payload;
  } catch (error) {
    throw authErrorFromJose(error, context);
  }
}
