import { SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AAD_JWKS_URL,
  AAD_METADATA_ISSUER,
  AAD_METADATA_URL,
  aadClaims,
  bearer,
  createTestKey,
  OTHER_TENANT_ID,
  SKYPE_JWKS_URL,
  SKYPE_METADATA_URL,
  signRaw,
  signToken,
  skypeClaims,
  T0,
  T0_SEC,
  TENANT_ID,
  type TestKey,
  withJwkMembers,
  codeOf,
  setupVerifier,
} from './localIssuer.test-support';
import type { AuthLogger, TokenVerifierOptions } from './types';

const MICROSOFT_URLS = [SKYPE_METADATA_URL, SKYPE_JWKS_URL, AAD_METADATA_URL, AAD_JWKS_URL];
const ATTACKER_URL = 'https://attacker.example/jwks.json';

let skypeKey: TestKey;
let aadKey: TestKey;
let attackerKey: TestKey;

beforeAll(async () => {
  [skypeKey, aadKey, attackerKey] = await Promise.all([
    createTestKey('skype-1'),
    createTestKey('aad-1', { issuer: AAD_METADATA_ISSUER }),
    createTestKey('attacker-1'),
  ]);
});

function setup(options: Partial<TokenVerifierOptions> = {}, aadKeys?: TestKey[]) {
  return setupVerifier([skypeKey], aadKeys ?? [aadKey], options);
}

describe('attacks on the algorithm', () => {
  it('refuses alg none without fetching any key', async () => {
    const { verifier, microsoft } = setup();
    const token = new UnsecuredJWT(skypeClaims()).encode();
    expect(await codeOf(verifier.verify(bearer(token)))).toBe('alg_not_allowed');
    expect(microsoft.requests).toEqual([]);
  });

  it('refuses "None" and a none token carrying a real kid', async () => {
    const { verifier } = setup();
    const forged = `${btoa(JSON.stringify({ alg: 'None', kid: 'skype-1' })).replace(/=+$/, '')}.${btoa(JSON.stringify(skypeClaims())).replace(/=+$/, '')}.`;
    expect(await codeOf(verifier.verify(bearer(forged)))).toBe('alg_not_allowed');
  });

  it('refuses HS256 signed with the RSA public key as the secret', async () => {
    const { verifier, microsoft } = setup();
    const secret = new TextEncoder().encode(JSON.stringify(skypeKey.publicJwk));
    const token = await new SignJWT(skypeClaims())
      .setProtectedHeader({ alg: 'HS256', kid: 'skype-1' })
      .sign(secret);
    expect(await codeOf(verifier.verify(bearer(token)))).toBe('alg_not_allowed');
    expect(microsoft.requests).toEqual([]);
  });

  // The first layer on its own: with an unknown kid, only the header pre-check can answer
  // alg_not_allowed without a key fetch (jose's pin is tested alone in verifySignedClaims.test.ts).
  it.each(['RS384', 'PS256', 'HS256'])(
    'refuses %s from the header alone: no key lookup, even for an unknown kid',
    async (alg) => {
      const { verifier, microsoft } = setup();
      const token = await signRaw(skypeKey, { alg, kid: 'never-published' }, skypeClaims());
      expect(await codeOf(verifier.verify(bearer(token)))).toBe('alg_not_allowed');
      expect(microsoft.requests).toEqual([]);
    },
  );

  it.each(['RS384', 'RS512', 'PS256', 'ES256'])('refuses %s', async (alg) => {
    const { verifier } = setup();
    const token = await signRaw(skypeKey, { alg, kid: 'skype-1' }, skypeClaims());
    expect(await codeOf(verifier.verify(bearer(token)))).toBe('alg_not_allowed');
  });
});

describe('attacks on the key', () => {
  it('refuses an attacker key presented under a real kid', async () => {
    const { verifier } = setup();
    const token = await signToken({ ...attackerKey, kid: 'skype-1' }, skypeClaims());
    expect(await codeOf(verifier.verify(bearer(token)))).toBe('bad_signature');
  });

  it('refuses a tampered payload', async () => {
    const { verifier } = setup();
    const token = await signToken(skypeKey, skypeClaims());
    const [header, , signature] = token.split('.');
    const claims = btoa(JSON.stringify(skypeClaims(T0_SEC, { tid: OTHER_TENANT_ID })))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(await codeOf(verifier.verify(bearer(`${header}.${claims}.${signature}`)))).toBe(
      'bad_signature',
    );
  });

  it('refuses an empty signature', async () => {
    const { verifier } = setup();
    const token = await signToken(skypeKey, skypeClaims());
    const unsigned = token.slice(0, token.lastIndexOf('.') + 1);
    expect(await codeOf(verifier.verify(bearer(unsigned)))).toBe('bad_signature');
  });

  it.each([
    ['jku', { jku: ATTACKER_URL }],
    ['x5u', { x5u: ATTACKER_URL }],
    ['an embedded jwk', { jwk: {} }],
    ['x5c', { x5c: ['MIIB'] }],
  ])('never follows %s to an attacker key', async (_name, extra) => {
    const { verifier, microsoft } = setup();
    const header =
      'jwk' in extra ? { jwk: attackerKey.publicJwk } : (extra as Record<string, unknown>);
    const withAttackerKid = await signToken(attackerKey, skypeClaims(), header);
    expect(await codeOf(verifier.verify(bearer(withAttackerKid)))).toBe('unknown_key');
    const withRealKid = await signToken({ ...attackerKey, kid: 'skype-1' }, skypeClaims(), header);
    expect(await codeOf(verifier.verify(bearer(withRealKid)))).toBe('bad_signature');
    expect(microsoft.requests.every((url) => MICROSOFT_URLS.includes(url))).toBe(true);
    expect(microsoft.requests).not.toContain(ATTACKER_URL);
  });

  it('refuses a token without kid', async () => {
    const { verifier } = setup();
    const token = await signRaw(skypeKey, { alg: 'RS256', typ: 'JWT' }, skypeClaims());
    expect(await codeOf(verifier.verify(bearer(token)))).toBe('unknown_key');
  });

  it('refuses a Bot Framework token signed with an Azure AD key (keys do not cross issuers)', async () => {
    const { verifier } = setup();
    const token = await signToken(aadKey, skypeClaims());
    expect(await codeOf(verifier.verify(bearer(token)))).toBe('unknown_key');
  });

  it('refuses an unknown critical header', async () => {
    const { verifier } = setup();
    const token = await signRaw(
      skypeKey,
      { alg: 'RS256', kid: 'skype-1', crit: ['urn:x'], 'urn:x': true },
      skypeClaims(),
    );
    expect(await codeOf(verifier.verify(bearer(token)))).toBe('malformed_token');
  });

  it('refuses an unencoded (b64: false) payload', async () => {
    const { verifier } = setup();
    const token = await signRaw(
      skypeKey,
      { alg: 'RS256', kid: 'skype-1', b64: false, crit: ['b64'] },
      skypeClaims(),
    );
    expect(await codeOf(verifier.verify(bearer(token)))).toBe('malformed_token');
  });

  it('refuses a payload that is not a JSON object', async () => {
    const { verifier } = setup();
    const token = await signRaw(skypeKey, { alg: 'RS256', kid: 'skype-1' }, [1] as never);
    expect(await codeOf(verifier.verify(bearer(token)))).toBe('malformed_token');
  });
});

describe('attacks on the issuer', () => {
  it.each([
    'https://api.botframework.com.evil.example',
    'https://api.botframework.com/',
    'http://api.botframework.com',
    'https://API.botframework.com',
    'https://api.botframework.com ',
    'https://evil.example/https://api.botframework.com',
    `https://sts.windows.net/${TENANT_ID}`,
    `https://sts.windows.net/${TENANT_ID}//`,
    `http://sts.windows.net/${TENANT_ID}/`,
    `https://sts.windows.net/common/`,
    `https://sts.windows.net/evil.example/${TENANT_ID}/`,
    `https://sts.windows.net.evil.example/${TENANT_ID}/`,
    `https://login.microsoftonline.com/${TENANT_ID}/v2.0/`,
    `https://login.microsoftonline.com.evil.example/${TENANT_ID}/v2.0`,
    `https://login.microsoftonline.com/${TENANT_ID}/v2.0?x=1`,
  ])('refuses the look-alike issuer %s without any network', async (iss) => {
    const { verifier, microsoft } = setup();
    const token = await signToken(skypeKey, aadClaims('v1', T0_SEC, { iss }));
    expect(await codeOf(verifier.verify(bearer(token)))).toBe('unknown_issuer');
    expect(microsoft.requests).toEqual([]);
  });
});

describe('attacks on Azure AD claims', () => {
  it('refuses a tid that is not the tenant in iss', async () => {
    const { verifier } = setup();
    const token = await signToken(aadKey, aadClaims('v2', T0_SEC, { tid: OTHER_TENANT_ID }));
    expect(await codeOf(verifier.verify(bearer(token)))).toBe('tenant_mismatch');
  });

  it('refuses a tid that is not a GUID', async () => {
    const { verifier } = setup();
    const token = await signToken(aadKey, aadClaims('v1', T0_SEC, { tid: 'contoso.com' }));
    expect(await codeOf(verifier.verify(bearer(token)))).toBe('tenant_mismatch');
  });

  it('refuses a token without tid', async () => {
    const { verifier } = setup();
    const token = await signToken(aadKey, aadClaims('v1', T0_SEC, { tid: undefined }));
    expect(await codeOf(verifier.verify(bearer(token)))).toBe('missing_claim');
  });

  it.each([
    [
      'another appid (v1)',
      aadClaims('v1', T0_SEC, { appid: '00000000-0000-0000-0000-000000000001' }),
    ],
    ['another azp (v2)', aadClaims('v2', T0_SEC, { azp: '00000000-0000-0000-0000-000000000001' })],
    ['no appid nor azp', aadClaims('v1', T0_SEC, { appid: undefined })],
    ['a good appid with a bad azp', aadClaims('v1', T0_SEC, { azp: 'someone-else' })],
  ])('refuses %s', async (_name, claims) => {
    const { verifier } = setup();
    expect(await codeOf(verifier.verify(bearer(await signToken(aadKey, claims))))).toBe(
      'wrong_app_id',
    );
  });

  it('refuses a key published for another tenant', async () => {
    const otherTenantKey = withJwkMembers(aadKey, {
      issuer: `https://login.microsoftonline.com/${OTHER_TENANT_ID}/v2.0`,
    });
    const { verifier } = setup({}, [otherTenantKey]);
    const token = await signToken(aadKey, aadClaims('v2'));
    expect(await codeOf(verifier.verify(bearer(token)))).toBe('key_issuer_mismatch');
  });

  it('refuses a key published for another issuer', async () => {
    const b2cKey = withJwkMembers(aadKey, {
      issuer: 'https://tenant.b2clogin.com/{tenantid}/v2.0/',
    });
    const { verifier } = setup({}, [b2cKey]);
    const token = await signToken(aadKey, aadClaims('v1'));
    expect(await codeOf(verifier.verify(bearer(token)))).toBe('key_issuer_mismatch');
  });
});

describe('unknown-kid floods', () => {
  it('costs at most one key fetch per cooldown', async () => {
    const { verifier, microsoft, clock } = setup({ keyCache: { cooldown: 30 } });
    await verifier.verify(bearer(await signToken(skypeKey, skypeClaims())));
    expect(microsoft.countOf(SKYPE_JWKS_URL)).toBe(1);

    clock.now = T0 + 31_000;
    const tokens = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        signToken({ ...attackerKey, kid: `random-${i}-${Math.random()}` }, skypeClaims()),
      ),
    );
    const codes = await Promise.all(tokens.map((token) => codeOf(verifier.verify(bearer(token)))));
    expect(new Set(codes)).toEqual(new Set(['unknown_key']));
    for (const token of tokens.slice(0, 10)) await codeOf(verifier.verify(bearer(token)));
    expect(microsoft.countOf(SKYPE_JWKS_URL)).toBe(2);
    expect(microsoft.countOf(SKYPE_METADATA_URL)).toBe(1);

    clock.now = T0 + 62_000;
    await codeOf(verifier.verify(bearer(tokens[0]!)));
    expect(microsoft.countOf(SKYPE_JWKS_URL)).toBe(3);
  });
});

describe('secrecy', () => {
  it('never logs or reports the token or key material', async () => {
    const lines: string[] = [];
    const record =
      (level: string) =>
      (o: object, msg?: string): void => {
        lines.push(`${level} ${JSON.stringify(o)} ${msg ?? ''}`);
      };
    const logger: AuthLogger = {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    };
    const { verifier, microsoft, clock } = setup({ logger });
    const good = await signToken(skypeKey, skypeClaims());
    const forged = await signToken({ ...attackerKey, kid: 'skype-1' }, skypeClaims());
    const expired = await signToken(skypeKey, skypeClaims(T0_SEC - 3600));
    const tokens = [good, forged, expired];
    const messages: string[] = [];
    for (const token of [forged, expired]) {
      messages.push((await verifier.verify(bearer(token)).catch((e: Error) => e)).toString());
    }
    microsoft.routes.set(SKYPE_JWKS_URL, () => new Response('oops', { status: 500 }));
    microsoft.routes.set(AAD_METADATA_URL, () => new Response('oops', { status: 500 }));
    clock.now = T0 + 3 * 86400 * 1000;
    const later = await signToken(aadKey, aadClaims('v1', T0_SEC + 3 * 86400));
    messages.push((await verifier.verify(bearer(later)).catch((e: Error) => e)).toString());
    tokens.push(later);

    expect(lines.length).toBeGreaterThan(2);
    const text = [...lines, ...messages].join('\n');
    for (const token of tokens) {
      for (const part of token.split('.')) expect(text).not.toContain(part);
    }
    for (const key of [skypeKey, aadKey, attackerKey]) {
      expect(text).not.toContain(String(key.publicJwk.n).slice(0, 40));
    }
    expect(text).toContain('kid skype-1');
  });
});
