import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

export const BOT_APP_ID = '6b4d5c4a-1f0e-4b9a-9c8d-2b1e0f3a4c5d';
export const TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const CALLING_SERVICE = '26a18ebc-cdf7-4a6a-91cb-beb352805e81';
const ISSUER = 'https://api.botframework.com';
const METADATA_URL = 'https://issuer.test/v1/.well-known/OpenIdConfiguration';
const JWKS_URL = 'https://issuer.test/keys';

/**
 * An in-memory Skype/Bot Framework issuer for webhook tests: its `fetch`
 * serves the OpenID metadata and JWKS, so no socket is opened.
 */
export async function createMemoryIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', use: 'sig', alg: 'RS256' };
  let available = true;
  const fetches: string[] = [];

  const fetchImpl: typeof fetch = async (input) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    fetches.push(url);
    if (!available) return new Response('down', { status: 500 });
    if (url === METADATA_URL) return Response.json({ issuer: ISSUER, jwks_uri: JWKS_URL });
    if (url === JWKS_URL) return Response.json({ keys: [jwk] });
    return new Response('not found', { status: 404 });
  };

  return {
    fetches,
    /** Makes every metadata/key request fail from now on. */
    takeDown() {
      available = false;
    },
    /** `auth` options that trust this issuer (and only it). */
    auth: {
      issuers: [
        { kind: 'botframework' as const, issuers: [ISSUER], openIdConfigurationUrl: METADATA_URL },
      ],
      fetch: fetchImpl,
    },
    /** A token shaped like the calling service's: no iat, cty JWT, 5 minutes. */
    async token(
      claims: JWTPayload = {},
      nowSeconds = Math.floor(Date.now() / 1000),
    ): Promise<string> {
      return new SignJWT({ tid: TENANT_ID, appid: CALLING_SERVICE, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1', typ: 'JWT', cty: 'JWT' })
        .setIssuer(ISSUER)
        .setAudience(BOT_APP_ID)
        .setNotBefore(nowSeconds - 5)
        .setExpirationTime(nowSeconds + 300)
        .sign(privateKey);
    },
  };
}
