import type { DevTokenClaims } from './startDevIssuer';

/** Why the mock Graph refuses a request's token: Graph's status, code and message. */
export interface TokenProblem {
  status: 401;
  code: 'InvalidAuthenticationToken';
  message: string;
}

/** `aud` values Graph accepts: its resource URL and its app id (the mock adds its own root). */
export const graphAudiences = [
  'https://graph.microsoft.com',
  '00000003-0000-0000-c000-000000000000',
];

/**
 * Checks the `Authorization` header of a request to the mock Graph as Graph
 * would: a Bearer token, verified by `verify` (the dev issuer's AAD key), for
 * one of `audiences`. Returns its claims or why it is refused.
 */
export async function checkGraphToken(
  authorization: string | undefined,
  verify: (token: string) => Promise<DevTokenClaims>,
  audiences: string[],
): Promise<{ claims: DevTokenClaims } | { problem: TokenProblem }> {
  const refuse = (message: string) => ({
    problem: { status: 401 as const, code: 'InvalidAuthenticationToken' as const, message },
  });
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (bearer === undefined) {
    return refuse(
      authorization === undefined
        ? "Access token is empty. Send `Authorization: Bearer <token>` with a token of the emulator's devCredential()."
        : 'The Authorization header is not `Bearer <token>`.',
    );
  }
  let claims: DevTokenClaims;
  try {
    claims = await verify(bearer);
  } catch (error) {
    return refuse(
      (error as { code?: string }).code === 'ERR_JWT_EXPIRED'
        ? 'Lifetime validation failed, the token is expired.'
        : "Access token validation failure: the mock Graph accepts only tokens of its dev issuer's devCredential().",
    );
  }
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => audiences.includes(String(a)))) {
    return refuse(
      `Access token validation failure. Invalid audience: ${String(claims.aud)} (expected https://graph.microsoft.com; ask for the scope https://graph.microsoft.com/.default).`,
    );
  }
  return { claims };
}
