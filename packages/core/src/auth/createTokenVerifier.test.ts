import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors';
import { CALLING_SERVICE_APP_ID } from './cloudPresets';
import { createTokenVerifier } from './createTokenVerifier';
import {
  AAD_JWKS_URL,
  AAD_METADATA_ISSUER,
  aadClaims,
  BOT_APP_ID,
  bearer,
  createLocalMicrosoft,
  createTestKey,
  SKYPE_JWKS_URL,
  SKYPE_METADATA_URL,
  signToken,
  skypeClaims,
  T0,
  T0_SEC,
  TENANT_ID,
  type TestKey,
  withJwkMembers,
  rejection,
  setupVerifier,
} from './localIssuer.test-support';
import type { TokenVerifierOptions } from './types';

let skypeKey: TestKey;
let aadKey: TestKey;

beforeAll(async () => {
  skypeKey = await createTestKey('skype-1');
  aadKey = await createTestKey('aad-1', { issuer: AAD_METADATA_ISSUER, x5t: 'aad-1' });
});

function setup(options: Partial<TokenVerifierOptions> = {}) {
  return setupVerifier([skypeKey], [aadKey], options);
}

describe('createTokenVerifier: accepted tokens', () => {
  it('accepts a token shaped like a real Skype token (no iat, cty JWT, 5 minutes)', async () => {
    const { verifier } = setup();
    const token = await signToken(skypeKey, skypeClaims(), { cty: 'JWT', x5t: 'skype-1' });
    const caller = await verifier.verify(bearer(token));
    expect(caller).toMatchObject({
      kind: 'botframework',
      tenantId: TENANT_ID,
      appId: '',
      issuer: 'https://api.botframework.com',
    });
    expect(caller.claims.iat).toBeUndefined();
    expect(Object.isFrozen(caller)).toBe(true);
  });

  it('accepts the Graph issuer of the Bot Framework preset', async () => {
    const { verifier } = setup();
    const token = await signToken(
      skypeKey,
      skypeClaims(T0_SEC, { iss: 'https://graph.microsoft.com' }),
    );
    expect((await verifier.verify(bearer(token))).issuer).toBe('https://graph.microsoft.com');
  });

  it('accepts Azure AD v1 (appid) and v2 (azp) tokens of the calling service', async () => {
    const { verifier } = setup();
    const v1 = await verifier.verify(bearer(await signToken(aadKey, aadClaims('v1'))));
    expect(v1).toMatchObject({
      kind: 'aad',
      tenantId: TENANT_ID,
      appId: CALLING_SERVICE_APP_ID,
      issuer: `https://sts.windows.net/${TENANT_ID}/`,
    });
    const v2 = await verifier.verify(bearer(await signToken(aadKey, aadClaims('v2'))));
    expect(v2.issuer).toBe(`https://login.microsoftonline.com/${TENANT_ID}/v2.0`);
    expect(v2.appId).toBe(CALLING_SERVICE_APP_ID);
  });

  it('accepts any of several App IDs as the audience', async () => {
    const { verifier } = setup({ appId: ['other-bot', BOT_APP_ID] });
    const token = await signToken(skypeKey, skypeClaims());
    await expect(verifier.verify(bearer(token))).resolves.toMatchObject({ tenantId: TENANT_ID });
  });

  it('accepts a token whose aud is a list containing the App ID', async () => {
    const { verifier } = setup();
    const token = await signToken(skypeKey, skypeClaims(T0_SEC, { aud: ['x', BOT_APP_ID] }));
    await expect(verifier.verify(bearer(token))).resolves.toBeDefined();
  });
});

describe('createTokenVerifier: reading the header', () => {
  let token: string;
  beforeAll(async () => {
    token = await signToken(skypeKey, skypeClaims());
  });

  it.each([
    ['lower-case authorization', () => ({ authorization: `Bearer ${token}` })],
    ['Authorization', () => ({ Authorization: `Bearer ${token}` })],
    ['lower-case bearer', () => ({ authorization: `bearer ${token}` })],
    ['BEARER and extra spaces', () => ({ authorization: `  BEARER   ${token} ` })],
    ['the Authentication fallback', () => ({ Authentication: `Bearer ${token}` })],
    ['a one-element list', () => ({ authorization: [`Bearer ${token}`] })],
    ['a Headers instance', () => new Headers({ Authorization: `Bearer ${token}` })],
  ])('reads %s', async (_name, headers) => {
    const { verifier } = setup();
    await expect(verifier.verify(headers())).resolves.toMatchObject({ tenantId: TENANT_ID });
  });

  it('prefers Authorization over Authentication', async () => {
    const { verifier } = setup();
    const error = await rejection(
      verifier.verify({ authorization: 'Basic abc', authentication: `Bearer ${token}` }),
    );
    expect(error.code).toBe('bad_scheme');
  });

  it.each([
    ['no header', () => ({}), 'missing_token'],
    ['an empty header', () => ({ authorization: '' }), 'missing_token'],
    ['a scheme without token', () => ({ authorization: 'Bearer ' }), 'missing_token'],
    ['Basic credentials', () => ({ authorization: 'Basic dXNlcjpwYXNz' }), 'bad_scheme'],
    ['a bare token', () => ({ authorization: token }), 'bad_scheme'],
    [
      'two header values',
      () => ({ authorization: [`Bearer ${token}`, `Bearer ${token}`] }),
      'multiple_tokens',
    ],
    [
      'the header under two spellings',
      () => ({ Authorization: `Bearer ${token}`, authorization: `Bearer ${token}` }),
      'multiple_tokens',
    ],
    [
      'a comma-joined pair',
      () => ({ authorization: `Bearer ${token}, Bearer ${token}` }),
      'multiple_tokens',
    ],
    [
      'two tokens after Bearer',
      () => ({ authorization: `Bearer ${token} ${token}` }),
      'multiple_tokens',
    ],
    [
      'a combined Headers value',
      () =>
        new Headers([
          ['authorization', `Bearer ${token}`],
          ['authorization', `Bearer ${token}`],
        ]),
      'multiple_tokens',
    ],
    ['a non-JWT token', () => ({ authorization: 'Bearer not-a-jwt' }), 'malformed_token'],
    ['a token with bad base64', () => ({ authorization: 'Bearer e30.e30.a+b' }), 'malformed_token'],
    [
      'a header that is not JSON',
      () => ({ authorization: 'Bearer YWJj.e30.c2ln' }),
      'malformed_token',
    ],
  ] as const)('rejects %s', async (_name, headers, code) => {
    const { verifier, microsoft } = setup();
    const error = await rejection(verifier.verify(headers()));
    expect(error.code).toBe(code);
    expect(error.status).toBe(401);
    expect(microsoft.requests).toEqual([]);
  });

  it('rejects a header over 8 KiB before decoding it', async () => {
    const { verifier, microsoft } = setup();
    const padded = await signToken(skypeKey, skypeClaims(T0_SEC, { pad: 'x'.repeat(9000) }));
    const error = await rejection(verifier.verify(bearer(padded)));
    expect(error.code).toBe('token_too_large');
    expect(microsoft.requests).toEqual([]);
    const error2 = await rejection(
      verifier.verify({ authorization: `Bearer ${'a'.repeat(8200)}` }),
    );
    expect(error2.code).toBe('token_too_large');
  });
});

describe('createTokenVerifier: time claims', () => {
  const exp = T0_SEC + 300;

  it.each([
    ['just inside the tolerance after exp', (exp - 1 + 300) * 1000, 'ok'],
    ['at exp + tolerance', (exp + 300) * 1000, 'expired'],
    ['far after exp', (exp + 3600) * 1000, 'expired'],
    ['just inside the tolerance before nbf', (T0_SEC - 300) * 1000, 'ok'],
    ['just outside the tolerance before nbf', (T0_SEC - 301) * 1000, 'not_yet_valid'],
  ] as const)('at %s: %s', async (_name, at, expected) => {
    const { verifier, clock } = setup();
    const token = await signToken(skypeKey, skypeClaims(T0_SEC));
    clock.now = at;
    if (expected === 'ok') {
      await expect(verifier.verify(bearer(token))).resolves.toBeDefined();
    } else {
      expect((await rejection(verifier.verify(bearer(token)))).code).toBe(expected);
    }
  });

  it('honours a configured clockTolerance', async () => {
    const { verifier, clock } = setup({ clockTolerance: 0 });
    const token = await signToken(skypeKey, skypeClaims(T0_SEC));
    clock.now = exp * 1000;
    expect((await rejection(verifier.verify(bearer(token)))).code).toBe('expired');
  });

  it('requires exp', async () => {
    const { verifier } = setup();
    const token = await signToken(skypeKey, skypeClaims(T0_SEC, { exp: undefined }));
    const error = await rejection(verifier.verify(bearer(token)));
    expect(error.code).toBe('missing_claim');
    expect(error.message).toContain('"exp"');
  });

  it('rejects a non-numeric exp', async () => {
    const { verifier } = setup();
    const token = await signToken(skypeKey, skypeClaims(T0_SEC, { exp: 'tomorrow' as never }));
    expect((await rejection(verifier.verify(bearer(token)))).code).toBe('malformed_token');
  });
});

describe('createTokenVerifier: claims', () => {
  it('requires tid, for Bot Framework tokens too', async () => {
    const { verifier } = setup();
    const token = await signToken(skypeKey, skypeClaims(T0_SEC, { tid: undefined }));
    const error = await rejection(verifier.verify(bearer(token)));
    expect(error.code).toBe('missing_claim');
    expect(error.message).toContain('"tid"');
  });

  it('rejects a token for another bot', async () => {
    const { verifier } = setup();
    const token = await signToken(skypeKey, skypeClaims(T0_SEC, { aud: 'another-bot' }));
    expect((await rejection(verifier.verify(bearer(token)))).code).toBe('wrong_audience');
  });

  it('rejects a token without aud', async () => {
    const { verifier } = setup();
    const token = await signToken(skypeKey, skypeClaims(T0_SEC, { aud: undefined }));
    expect((await rejection(verifier.verify(bearer(token)))).code).toBe('missing_claim');
  });

  it('rejects a token without iss', async () => {
    const { verifier } = setup();
    const token = await signToken(skypeKey, skypeClaims(T0_SEC, { iss: undefined }));
    expect((await rejection(verifier.verify(bearer(token)))).code).toBe('missing_claim');
  });

  it('applies the tenants allow-list', async () => {
    const { verifier } = setup({ tenants: ['7f6e5d4c-1234-4abc-9def-0123456789ab'] });
    const token = await signToken(skypeKey, skypeClaims());
    expect((await rejection(verifier.verify(bearer(token)))).code).toBe('tenant_not_allowed');
    const allowed = setup({ tenants: [TENANT_ID] });
    await expect(allowed.verifier.verify(bearer(token))).resolves.toBeDefined();
  });

  it('accepts a v1 token signed by a key published for the v2 issuer', async () => {
    const { verifier } = setup();
    const token = await signToken(aadKey, aadClaims('v1'));
    expect((aadKey.publicJwk as { issuer?: string }).issuer).toBe(
      'https://login.microsoftonline.com/{tenantid}/v2.0',
    );
    await expect(verifier.verify(bearer(token))).resolves.toMatchObject({ kind: 'aad' });
  });

  it('accepts a key whose issuer member names exactly the token issuer', async () => {
    const microsoft = createLocalMicrosoft(
      [],
      [withJwkMembers(aadKey, { issuer: `https://sts.windows.net/${TENANT_ID}/` })],
    );
    const verifier = createTokenVerifier({
      appId: BOT_APP_ID,
      fetch: microsoft.fetch,
      now: () => T0,
    });
    await expect(
      verifier.verify(bearer(await signToken(aadKey, aadClaims('v1')))),
    ).resolves.toBeDefined();
  });
});

describe('createTokenVerifier: verified-token cache', () => {
  it('answers a repeated token without a second signature check', async () => {
    const { verifier } = setup();
    const token = await signToken(skypeKey, skypeClaims());
    const first = await verifier.verify(bearer(token));
    const second = await verifier.verify(bearer(token));
    expect(second).toEqual(first);
    expect(verifier.stats).toMatchObject({ signatureChecks: 1, cacheHits: 1 });
    // This Node (20.16+) offers node:crypto through process.getBuiltinModule.
    expect(verifier.stats.signatureCheck).toBe('node:crypto');
  });

  it('still checks exp on every use of a cached token', async () => {
    const { verifier, clock } = setup();
    const token = await signToken(skypeKey, skypeClaims());
    await verifier.verify(bearer(token));
    clock.now = (T0_SEC + 600) * 1000;
    expect((await rejection(verifier.verify(bearer(token)))).code).toBe('expired');
    expect(verifier.stats.cacheHits).toBe(0);
  });

  it('still checks nbf on every use of a cached token (clock stepped back)', async () => {
    const { verifier, clock } = setup();
    const token = await signToken(skypeKey, skypeClaims());
    await verifier.verify(bearer(token));
    clock.now = (T0_SEC - 400) * 1000;
    expect((await rejection(verifier.verify(bearer(token)))).code).toBe('not_yet_valid');
  });

  it('does not cache failures', async () => {
    const { verifier } = setup({ tenants: [TENANT_ID] });
    const token = await signToken(skypeKey, skypeClaims(T0_SEC, { aud: 'x' }));
    await rejection(verifier.verify(bearer(token)));
    await rejection(verifier.verify(bearer(token)));
    expect(verifier.stats).toMatchObject({ signatureChecks: 2, cacheHits: 0 });
  });

  it('is disabled by maxEntries 0', async () => {
    const { verifier } = setup({ verifiedTokenCache: { maxEntries: 0 } });
    const token = await signToken(skypeKey, skypeClaims());
    await verifier.verify(bearer(token));
    await verifier.verify(bearer(token));
    expect(verifier.stats).toMatchObject({ signatureChecks: 2, cacheHits: 0 });
  });

  it('evicts the least recently used token beyond maxEntries', async () => {
    const { verifier } = setup({ verifiedTokenCache: { maxEntries: 2 } });
    const [a, b, c] = await Promise.all(
      ['a', 'b', 'c'].map((jti) => signToken(skypeKey, skypeClaims(T0_SEC, { jti }))),
    );
    await verifier.verify(bearer(a!));
    await verifier.verify(bearer(b!));
    await verifier.verify(bearer(a!)); // a is now the most recent
    await verifier.verify(bearer(c!)); // evicts b
    await verifier.verify(bearer(a!));
    await verifier.verify(bearer(b!));
    expect(verifier.stats).toMatchObject({ signatureChecks: 4, cacheHits: 2 });
  });
});

describe('createTokenVerifier: configuration', () => {
  it.each([
    ['an empty appId', { appId: '' }],
    ['an empty appId list', { appId: [] }],
    ['an unknown cloud', { cloud: 'mars' as never }],
    ['an empty issuers list', { issuers: [] }],
    [
      'an http metadata URL',
      {
        issuers: [
          {
            kind: 'botframework',
            issuers: ['https://a'],
            openIdConfigurationUrl: 'http://keys.example/.well-known/openid-configuration',
          },
        ],
      },
    ],
    [
      'a template without {tenantid}',
      {
        issuers: [
          {
            kind: 'aad',
            issuerTemplates: ['https://sts.windows.net/'],
            openIdConfigurationUrl: 'https://a.example/m',
            appIds: ['x'],
          },
        ],
      },
    ],
    [
      'an aad profile without appIds',
      {
        issuers: [
          {
            kind: 'aad',
            issuerTemplates: ['https://x/{tenantid}/'],
            openIdConfigurationUrl: 'https://a.example/m',
            appIds: [],
          },
        ],
      },
    ],
    ['a cooldown below 1 s', { keyCache: { cooldown: 0.5 } }],
    ['a negative clockTolerance', { clockTolerance: -1 }],
    ['a fractional maxEntries', { verifiedTokenCache: { maxEntries: 1.5 } }],
  ] as const)('refuses %s with a ConfigError', (_name, options) => {
    expect(() => createTokenVerifier({ appId: BOT_APP_ID, ...(options as object) })).toThrow(
      ConfigError,
    );
  });

  it('accepts http metadata URLs on loopback hosts', () => {
    for (const url of ['http://127.0.0.1:9/m', 'http://localhost:9/m', 'http://[::1]:9/m']) {
      expect(() =>
        createTokenVerifier({
          appId: BOT_APP_ID,
          issuers: [{ kind: 'botframework', issuers: ['https://a'], openIdConfigurationUrl: url }],
        }),
      ).not.toThrow();
    }
  });

  it('uses only the configured issuers when issuers replaces the preset', async () => {
    const microsoft = createLocalMicrosoft([skypeKey], [aadKey]);
    const verifier = createTokenVerifier({
      appId: BOT_APP_ID,
      fetch: microsoft.fetch,
      now: () => T0,
      issuers: [
        {
          kind: 'botframework',
          issuers: ['https://dev.issuer.test'],
          openIdConfigurationUrl: SKYPE_METADATA_URL,
        },
      ],
    });
    const real = await signToken(skypeKey, skypeClaims());
    expect((await rejection(verifier.verify(bearer(real)))).code).toBe('unknown_issuer');
    const dev = await signToken(skypeKey, skypeClaims(T0_SEC, { iss: 'https://dev.issuer.test' }));
    await expect(verifier.verify(bearer(dev))).resolves.toMatchObject({
      issuer: 'https://dev.issuer.test',
    });
    expect(microsoft.requests).toEqual([SKYPE_METADATA_URL, SKYPE_JWKS_URL]);
  });

  it('warm() fetches the metadata and keys of every profile', async () => {
    const { verifier, microsoft } = setup();
    await verifier.warm();
    expect([...microsoft.requests].sort()).toEqual(
      [
        AAD_JWKS_URL,
        'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
        SKYPE_JWKS_URL,
        SKYPE_METADATA_URL,
      ].sort(),
    );
    const token = await signToken(skypeKey, skypeClaims());
    await verifier.verify(bearer(token));
    expect(microsoft.requests).toHaveLength(4);
  });
});
