import { createTokenVerifier } from '@callgate/core';
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLING_SERVICE_APP_ID } from './issuerProfile';
import { type DevIssuer, startDevIssuer } from './startDevIssuer';

const appId = '11111111-2222-4333-8444-555555555555';
let issuer: DevIssuer;

beforeAll(async () => {
  issuer = await startDevIssuer({ appId });
});
afterAll(() => issuer.close());

const getJson = async (url: string) =>
  (await fetch(url)).json() as Promise<Record<string, unknown>>;

async function keysOf(profileIndex: 0 | 1) {
  const metadata = await getJson(issuer.issuers[profileIndex]!.openIdConfigurationUrl);
  return createRemoteJWKSet(new URL(String(metadata.jwks_uri)));
}

describe('startDevIssuer: served metadata', () => {
  it('listens on 127.0.0.1 and describes itself as auth.issuers profiles', () => {
    expect(issuer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(issuer.issuers).toEqual([
      {
        kind: 'botframework',
        issuers: [`${issuer.url}/botframework`],
        openIdConfigurationUrl: `${issuer.url}/botframework/.well-known/OpenIdConfiguration`,
      },
      {
        kind: 'aad',
        issuerTemplates: [`${issuer.url}/sts/{tenantid}/`, `${issuer.url}/aad/{tenantid}/v2.0`],
        openIdConfigurationUrl: `${issuer.url}/aad/common/v2.0/.well-known/openid-configuration`,
        appIds: [CALLING_SERVICE_APP_ID],
      },
    ]);
  });

  it('serves OpenID metadata whose jwks_uri lists RS256 keys with a kid', async () => {
    const skype = await getJson(issuer.issuers[0]!.openIdConfigurationUrl);
    expect(skype).toMatchObject({
      issuer: `${issuer.url}/botframework`,
      id_token_signing_alg_values_supported: ['RS256'],
    });
    const skypeKeys = (await getJson(String(skype.jwks_uri))).keys as Record<string, unknown>[];
    expect(skypeKeys).toEqual([
      expect.objectContaining({ kty: 'RSA', use: 'sig', kid: expect.any(String) }),
    ]);
    expect(skypeKeys[0]).not.toHaveProperty('d');

    const aad = await getJson(issuer.issuers[1]!.openIdConfigurationUrl);
    expect(aad.issuer).toBe(`${issuer.url}/aad/{tenantid}/v2.0`);
    const aadKeys = (await getJson(String(aad.jwks_uri))).keys as Record<string, unknown>[];
    // Like Azure AD's keys, each names the issuer template it signs for.
    expect(aadKeys).toEqual([
      expect.objectContaining({
        kty: 'RSA',
        kid: expect.any(String),
        issuer: `${issuer.url}/aad/{tenantid}/v2.0`,
      }),
    ]);
    expect(aadKeys[0]).not.toHaveProperty('d');
    expect(aadKeys[0]?.kid).not.toBe(skypeKeys[0]?.kid);
  });

  it('counts metadata and key fetches', async () => {
    const before = { ...issuer.stats };
    await getJson(issuer.issuers[0]!.openIdConfigurationUrl);
    await getJson(`${issuer.url}/botframework/keys`);
    await getJson(`${issuer.url}/aad/common/discovery/v2.0/keys`);
    expect(issuer.stats).toEqual({
      botFrameworkMetadataFetches: before.botFrameworkMetadataFetches + 1,
      botFrameworkKeyFetches: before.botFrameworkKeyFetches + 1,
      aadMetadataFetches: before.aadMetadataFetches,
      aadKeyFetches: before.aadKeyFetches + 1,
    });
  });
});

describe('startDevIssuer: minted tokens', () => {
  it('mints Skype-shaped tokens: cty JWT, no iat, 5 minutes, calling service appid, tid', async () => {
    const token = await issuer.mintToken({ audience: appId });
    expect(decodeProtectedHeader(token)).toMatchObject({
      alg: 'RS256',
      cty: 'JWT',
      kid: expect.any(String),
    });
    const { payload } = await jwtVerify(token, await keysOf(0), {
      issuer: `${issuer.url}/botframework`,
      audience: appId,
      algorithms: ['RS256'],
    });
    expect(payload).not.toHaveProperty('iat');
    expect(payload.exp! - payload.nbf!).toBe(300);
    expect(payload).toMatchObject({ appid: CALLING_SERVICE_APP_ID, tid: issuer.tenantId });
  });

  it('mints AAD v1 and v2 tokens with the tenant in iss', async () => {
    const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    const v1 = await issuer.mintToken({ kind: 'aad-v1', audience: appId, tenantId });
    const v2 = await issuer.mintToken({ kind: 'aad-v2', audience: appId, tenantId });
    const keys = await keysOf(1);
    const { payload: p1 } = await jwtVerify(v1, keys, {
      issuer: `${issuer.url}/sts/${tenantId}/`,
      audience: appId,
    });
    const { payload: p2 } = await jwtVerify(v2, keys, {
      issuer: `${issuer.url}/aad/${tenantId}/v2.0`,
      audience: appId,
    });
    expect(p1).toMatchObject({ ver: '1.0', appid: CALLING_SERVICE_APP_ID, tid: tenantId });
    expect(p2).toMatchObject({ ver: '2.0', azp: CALLING_SERVICE_APP_ID, tid: tenantId });
  });

  it('lets claims override the defaults and sets lifetimes', async () => {
    const token = await issuer.mintToken({
      audience: appId,
      lifetimeSeconds: 60,
      claims: { tid: 'other' },
    });
    const { payload } = await jwtVerify(token, await keysOf(0), { audience: appId });
    expect(payload.tid).toBe('other');
    expect(payload.exp! - payload.nbf!).toBe(60);
  });

  it('mints expired tokens beyond a 5-minute clock tolerance', async () => {
    const token = await issuer.mintToken({ audience: appId, expired: true });
    await expect(jwtVerify(token, await keysOf(0), { clockTolerance: 300 })).rejects.toBeInstanceOf(
      errors.JWTExpired,
    );
  });

  it('forges tokens with the published kid that no published key verifies', async () => {
    for (const [kind, index] of [
      ['botframework', 0],
      ['aad-v2', 1],
    ] as const) {
      const genuine = await issuer.mintToken({ kind, audience: appId });
      const forged = await issuer.mintForgedToken(kind, appId);
      expect(decodeProtectedHeader(forged).kid).toBe(decodeProtectedHeader(genuine).kid);
      await expect(jwtVerify(forged, await keysOf(index))).rejects.toBeInstanceOf(
        errors.JWSSignatureVerificationFailed,
      );
    }
  });

  it('refuses to mint without an audience', async () => {
    await expect(issuer.mintToken({ audience: '' })).rejects.toMatchObject({
      code: 'invalid_options',
    });
  });

  it('rotates keys: new kids, and the old keys are no longer published', async () => {
    const own = await startDevIssuer();
    try {
      const before = await own.mintToken({ audience: appId });
      await own.rotateKeys();
      const after = await own.mintToken({ audience: appId });
      expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
      const keys = createRemoteJWKSet(new URL(`${own.url}/botframework/keys`));
      await expect(jwtVerify(after, keys)).resolves.toBeDefined();
      await expect(jwtVerify(before, keys)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    } finally {
      await own.close();
    }
  });

  it('mints over HTTP for other processes (the CLI), forged ones included', async () => {
    const response = await fetch(`${issuer.url}/_emulator/token`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'aad-v2', audience: appId }),
    });
    const { token } = (await response.json()) as { token: string };
    await expect(jwtVerify(token, await keysOf(1), { audience: appId })).resolves.toBeDefined();
    const bad = await fetch(`${issuer.url}/_emulator/token`, {
      method: 'POST',
      body: '{"kind":"saml"}',
    });
    expect(bad.status).toBe(400);
  });
});

describe('startDevIssuer with callgate createTokenVerifier', () => {
  const verifier = () => createTokenVerifier({ appId, issuers: issuer.issuers });
  const headers = (token: string) => ({ authorization: `Bearer ${token}` });

  it.each(['botframework', 'aad-v1', 'aad-v2'] as const)(
    '%s tokens verify through the issuers profiles',
    async (kind) => {
      const caller = await verifier().verify(
        headers(await issuer.mintToken({ kind, audience: appId })),
      );
      expect(caller).toMatchObject({ tenantId: issuer.tenantId, appId: CALLING_SERVICE_APP_ID });
    },
  );

  it.each(['botframework', 'aad-v2'] as const)(
    'forged and expired %s tokens are refused',
    async (kind) => {
      const v = verifier();
      await expect(
        v.verify(headers(await issuer.mintForgedToken(kind, appId))),
      ).rejects.toMatchObject({ status: 401 });
      await expect(
        v.verify(headers(await issuer.mintToken({ kind, audience: appId, expired: true }))),
      ).rejects.toMatchObject({ code: 'expired' });
    },
  );
});
