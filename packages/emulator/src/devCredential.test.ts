import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALLS_ROLES, devCredential } from './devCredential';
import { type DevIssuer, startDevIssuer } from './startDevIssuer';

let issuer: DevIssuer;
beforeAll(async () => {
  issuer = await startDevIssuer();
});
afterAll(() => issuer.close());

describe('devCredential', () => {
  it('is a TokenCredential: app-only Azure AD tokens for the scope, with Calls.* roles', async () => {
    const credential = devCredential(issuer);
    const before = Date.now();
    const access = await credential.getToken(['https://graph.microsoft.com/.default']);
    expect(access.expiresOnTimestamp).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(access.refreshAfterTimestamp).toBeLessThan(access.expiresOnTimestamp);
    expect(decodeJwt(access.token)).toMatchObject({
      aud: 'https://graph.microsoft.com',
      iss: `${issuer.url}/sts/${issuer.tenantId}/`,
      appid: issuer.appId,
      tid: issuer.tenantId,
      roles: [...CALLS_ROLES],
      idtyp: 'app',
    });
    expect(await issuer.verifyAccessToken(access.token)).toMatchObject({ appid: issuer.appId });
    expect(credential.tokensIssued).toBe(1);
  });

  it('takes the app id, tenant, roles and lifetime to mint', async () => {
    const credential = devCredential(issuer, {
      appId: 'bot-2',
      tenantId: 'tenant-2',
      roles: ['Calls.JoinGroupCall.All'],
      lifetimeSeconds: 60,
    });
    const access = await credential.getToken('https://graph.microsoft.com/.default');
    expect(decodeJwt(access.token)).toMatchObject({
      appid: 'bot-2',
      tid: 'tenant-2',
      roles: ['Calls.JoinGroupCall.All'],
    });
    expect(access.expiresOnTimestamp - Date.now()).toBeLessThanOrEqual(60_000);
  });

  it('works from another process, given the URL of a running serve', async () => {
    const access = await devCredential(issuer.url).getToken('https://graph.microsoft.com/.default');
    expect(await issuer.verifyAccessToken(access.token)).toMatchObject({ appid: issuer.appId });
  });

  it('refuses a scope that is not app-only', async () => {
    await expect(devCredential(issuer).getToken('Calls.Initiate.All')).rejects.toMatchObject({
      code: 'invalid_options',
    });
  });

  it('a token of another dev issuer does not verify', async () => {
    const other = await startDevIssuer();
    try {
      const foreign = await devCredential(other).getToken('https://graph.microsoft.com/.default');
      await expect(issuer.verifyAccessToken(foreign.token)).rejects.toThrow();
    } finally {
      await other.close();
    }
  });
});
