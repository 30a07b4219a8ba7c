import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from './createTokenVerifier';
import { MAX_KEY_DOCUMENT_BYTES } from './fetchJson';
import {
  BOT_APP_ID,
  bearer,
  createFakeFetch,
  createLocalMicrosoft,
  createTestKey,
  type Route,
  SKYPE_JWKS_URL,
  SKYPE_METADATA_URL,
  signToken,
  skypeClaims,
  T0,
  T0_SEC,
  type TestKey,
  codeOf,
  rejection,
} from './localIssuer.test-support';
import type { IssuerProfile, TokenVerifierOptions } from './types';

let key1: TestKey;
let key2: TestKey;

beforeAll(async () => {
  [key1, key2] = await Promise.all([createTestKey('k1'), createTestKey('k2')]);
});

// Only the Bot Framework profile, so that fetch counts concern one metadata URL and one JWKS.
const skypeOnly: IssuerProfile[] = [
  {
    kind: 'botframework',
    issuers: ['https://api.botframework.com'],
    openIdConfigurationUrl: SKYPE_METADATA_URL,
  },
];

function setup(options: Partial<TokenVerifierOptions> = {}, keys?: TestKey[]) {
  const microsoft = createLocalMicrosoft(keys ?? [key1], []);
  const clock = { now: T0 };
  const verifier = createTokenVerifier({
    appId: BOT_APP_ID,
    issuers: skypeOnly,
    fetch: microsoft.fetch,
    now: () => clock.now,
    keyCache: { cooldown: 30, refreshInterval: 600, maxStale: 600, timeout: 0.2 },
    ...options,
  });
  const tokenAt = (key: TestKey, ms = clock.now) =>
    signToken(key, skypeClaims(Math.floor(ms / 1000))).then(bearer);
  return { microsoft, clock, verifier, tokenAt };
}

const breakages: [string, Route][] = [
  ['HTTP 500', () => new Response('down', { status: 500 })],
  ['a network error', () => Promise.reject(new TypeError('fetch failed'))],
  ['a timeout', () => new Promise<Response>(() => {})],
  ['a redirect', () => Promise.reject(new TypeError('unexpected redirect'))],
  ['a non-JSON body', () => new Response('<html>maintenance</html>', { status: 200 })],
  ['JSON without keys', () => Response.json({ value: [] })],
  ['an empty key list', () => Response.json({ keys: [] })],
  ['only unusable keys', () => Response.json({ keys: [{ kty: 'EC', kid: 'k1' }] })],
  ['an oversize body', () => new Response(' '.repeat(MAX_KEY_DOCUMENT_BYTES + 1))],
];

describe('key cache: cold start', () => {
  it('serves 50 concurrent first requests with one metadata and one key fetch', async () => {
    const { verifier, microsoft, tokenAt } = setup();
    const headers = await tokenAt(key1);
    const callers = await Promise.all(Array.from({ length: 50 }, () => verifier.verify(headers)));
    expect(callers).toHaveLength(50);
    expect(microsoft.countOf(SKYPE_METADATA_URL)).toBe(1);
    expect(microsoft.countOf(SKYPE_JWKS_URL)).toBe(1);
  });

  it('shares one key cache between verifiers on the same fetch, not across fetches', async () => {
    const { microsoft, tokenAt } = setup();
    const make = (fetch: typeof globalThis.fetch) =>
      createTokenVerifier({ appId: BOT_APP_ID, issuers: skypeOnly, fetch, now: () => T0 });
    const headers = await tokenAt(key1);
    await make(microsoft.fetch).verify(headers);
    await make(microsoft.fetch).verify(headers);
    expect(microsoft.requests).toEqual([SKYPE_METADATA_URL, SKYPE_JWKS_URL]);

    const other = createLocalMicrosoft([key1], []);
    await make(other.fetch).verify(headers);
    expect(other.requests).toEqual([SKYPE_METADATA_URL, SKYPE_JWKS_URL]);
  });

  it.each(breakages)(
    'answers keys_unavailable (503, Retry-After) when the key endpoint gives %s',
    async (_name, route) => {
      const { verifier, microsoft, tokenAt } = setup();
      microsoft.routes.set(SKYPE_JWKS_URL, route);
      const error = await rejection(verifier.verify(await tokenAt(key1)));
      expect(error.code).toBe('keys_unavailable');
      expect(error.status).toBe(503);
      expect(error.retryAfter).toBe(30);
    },
  );

  it('answers keys_unavailable when the metadata endpoint is down', async () => {
    const { verifier, microsoft, tokenAt } = setup();
    microsoft.routes.set(SKYPE_METADATA_URL, () => new Response('', { status: 503 }));
    expect(await codeOf(verifier.verify(await tokenAt(key1)))).toBe('keys_unavailable');
    expect(microsoft.requests).toEqual([SKYPE_METADATA_URL]);
  });

  it('retries a failed cold fetch only after the cooldown', async () => {
    const { verifier, microsoft, clock, tokenAt } = setup();
    const working = microsoft.routes.get(SKYPE_JWKS_URL)!;
    microsoft.routes.set(SKYPE_JWKS_URL, () => new Response('', { status: 500 }));
    await rejection(verifier.verify(await tokenAt(key1)));
    microsoft.routes.set(SKYPE_JWKS_URL, working);

    clock.now = T0 + 10_000;
    const error = await rejection(verifier.verify(await tokenAt(key1)));
    expect(error.retryAfter).toBe(20);
    expect(microsoft.countOf(SKYPE_JWKS_URL)).toBe(1);

    clock.now = T0 + 30_000;
    await expect(verifier.verify(await tokenAt(key1))).resolves.toBeDefined();
    expect(microsoft.countOf(SKYPE_JWKS_URL)).toBe(2);
  });

  it('refuses a jwks_uri that is not https without requesting it', async () => {
    const { verifier, microsoft, tokenAt } = setup();
    microsoft.routes.set(SKYPE_METADATA_URL, () =>
      Response.json({ jwks_uri: 'http://keys.skype.test/v1/keys' }),
    );
    expect(await codeOf(verifier.verify(await tokenAt(key1)))).toBe('keys_unavailable');
    expect(microsoft.requests).toEqual([SKYPE_METADATA_URL]);
  });

  it('warm() rejects with keys_unavailable when it cannot fetch', async () => {
    const { verifier, microsoft } = setup();
    microsoft.routes.set(SKYPE_JWKS_URL, () => new Response('', { status: 404 }));
    const error = await rejection(verifier.warm());
    expect(error.code).toBe('keys_unavailable');
  });
});

describe('key cache: a warm cache outlives a broken endpoint', () => {
  it.each(breakages)('keeps verifying with the last good keys on %s', async (_name, route) => {
    const { verifier, microsoft, clock, tokenAt } = setup();
    await verifier.warm();
    microsoft.routes.set(SKYPE_JWKS_URL, route);
    clock.now = T0 + 700_000; // past refreshInterval: a refresh is attempted and fails
    await expect(verifier.verify(await tokenAt(key1))).resolves.toBeDefined();
    expect(microsoft.countOf(SKYPE_JWKS_URL)).toBe(2);
  });

  it('stops once the keys are older than refreshInterval + maxStale', async () => {
    const { verifier, microsoft, clock, tokenAt } = setup();
    await verifier.warm();
    microsoft.routes.set(SKYPE_JWKS_URL, () => new Response('', { status: 500 }));
    clock.now = T0 + 1_200_000;
    await expect(verifier.verify(await tokenAt(key1))).resolves.toBeDefined();
    clock.now = T0 + 1_200_001;
    const error = await rejection(verifier.verify(await tokenAt(key1)));
    expect(error.code).toBe('keys_unavailable');
    expect(error.status).toBe(503);
  });

  it('keeps serving known keys while an unknown kid cannot be refetched', async () => {
    const { verifier, microsoft, clock, tokenAt } = setup();
    await verifier.warm();
    microsoft.routes.set(SKYPE_JWKS_URL, () => new Response('', { status: 500 }));
    clock.now = T0 + 31_000;
    expect(await codeOf(verifier.verify(await tokenAt(key2)))).toBe('unknown_key');
    await expect(verifier.verify(await tokenAt(key1))).resolves.toBeDefined();
  });
});

describe('key cache: rotation', () => {
  it('verifies a new kid after one refetch', async () => {
    const { verifier, microsoft, clock, tokenAt } = setup();
    await verifier.verify(await tokenAt(key1));
    microsoft.skypeKeys.push(key2);
    clock.now = T0 + 31_000;
    await expect(verifier.verify(await tokenAt(key2))).resolves.toBeDefined();
    expect(microsoft.countOf(SKYPE_JWKS_URL)).toBe(2);
  });

  it('stops verifying a removed kid after the refresh, cached tokens included', async () => {
    const { verifier, microsoft, clock, tokenAt } = setup({}, [key1, key2]);
    await verifier.warm(); // keys loaded at T0, due for refresh at T0 + 600 s
    const old = await tokenAt(key1, T0 + 500_000);
    clock.now = T0 + 500_000;
    await verifier.verify(old);
    await verifier.verify(old);
    expect(verifier.stats).toMatchObject({ signatureChecks: 1, cacheHits: 1 });

    microsoft.skypeKeys = [key2];
    clock.now = T0 + 601_000; // the keys are due for refresh
    expect(await codeOf(verifier.verify(old))).toBe('unknown_key');
    expect(await codeOf(verifier.verify(old))).toBe('unknown_key');
    expect(verifier.stats.cacheHits).toBe(1);
    await expect(verifier.verify(await tokenAt(key2))).resolves.toBeDefined();
    expect(microsoft.countOf(SKYPE_JWKS_URL)).toBe(2);
  });

  it('re-checks cached tokens when a new kid reloaded the keys before the refresh was due', async () => {
    const { verifier, microsoft, clock, tokenAt } = setup({}, [key1]);
    const old = await tokenAt(key1);
    await verifier.verify(old);
    microsoft.skypeKeys = [key2];
    clock.now = T0 + 31_000; // past the cooldown, long before the refresh is due
    await verifier.verify(await tokenAt(key2)); // unknown kid: one reload, key1 gone
    expect(await codeOf(verifier.verify(old))).toBe('unknown_key');
    expect(microsoft.countOf(SKYPE_JWKS_URL)).toBe(2);
  });

  it('re-verifies a cached token once after a reload that still publishes its key, then caches it again', async () => {
    const { verifier, microsoft, clock, tokenAt } = setup({}, [key1]);
    const old = await tokenAt(key1);
    await verifier.verify(old);
    microsoft.skypeKeys = [key1, key2];
    clock.now = T0 + 31_000;
    await verifier.verify(await tokenAt(key2));
    await verifier.verify(old); // the reloaded key is a new import: one signature check
    await verifier.verify(old); // then answered from the cache again
    await verifier.verify(old);
    expect(verifier.stats).toMatchObject({ signatureChecks: 3, cacheHits: 2 });
    expect(microsoft.countOf(SKYPE_JWKS_URL)).toBe(2);
  });

  it('re-verifies a cached token when its kid now names another key', async () => {
    const { verifier, microsoft, clock, tokenAt } = setup();
    await verifier.warm();
    clock.now = T0 + 400_000;
    const headers = await tokenAt(key1);
    await verifier.verify(headers);
    microsoft.skypeKeys = [{ ...key2, publicJwk: { ...key2.publicJwk, kid: 'k1' } }];
    clock.now = T0 + 601_000;
    expect(await codeOf(verifier.verify(headers))).toBe('bad_signature');
  });
});

describe('key cache: a real OpenID server on 127.0.0.1', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      hits.push(request.url ?? '');
      const json = (value: unknown) =>
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      const metadata = (jwksPath: string) =>
        json({ issuer: 'https://api.botframework.com', jwks_uri: `${base}${jwksPath}` });
      switch (request.url) {
        case '/metadata':
          return metadata('/keys');
        case '/keys':
          return json({ keys: [key1.publicJwk] });
        // Redirects to working documents on the same loopback server.
        case '/metadata-redirect':
          return response.writeHead(302, { location: `${base}/metadata` }).end();
        case '/metadata-with-redirected-keys':
          return metadata('/keys-redirect');
        case '/keys-redirect':
          return response.writeHead(302, { location: `${base}/keys` }).end();
        default:
          return response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const verifierFor = (path: string, fetch?: typeof globalThis.fetch) =>
    createTokenVerifier({
      appId: BOT_APP_ID,
      issuers: [
        {
          kind: 'botframework',
          issuers: ['https://api.botframework.com'],
          openIdConfigurationUrl: `${base}${path}`,
        },
      ],
      now: () => T0,
      ...(fetch ? { fetch } : {}),
    });
  const token = async () => bearer(await signToken(key1, skypeClaims(T0_SEC)));

  it('verifies with keys fetched over loopback http by the global fetch', async () => {
    hits.length = 0;
    await expect(verifierFor('/metadata').verify(await token())).resolves.toMatchObject({
      kind: 'botframework',
    });
    expect(hits).toEqual(['/metadata', '/keys']);
  });

  it('does not follow a redirect of the metadata request, even to a loopback URL that works', async () => {
    hits.length = 0;
    expect(await codeOf(verifierFor('/metadata-redirect').verify(await token()))).toBe(
      'keys_unavailable',
    );
    expect(hits).toEqual(['/metadata-redirect']);
  });

  it('does not follow a redirect of the key request, even to a loopback URL that works', async () => {
    hits.length = 0;
    const verifier = verifierFor('/metadata-with-redirected-keys');
    expect(await codeOf(verifier.verify(await token()))).toBe('keys_unavailable');
    expect(hits).toEqual(['/metadata-with-redirected-keys', '/keys-redirect']);
  });

  it('refuses a redirected answer when the given fetch follows redirects itself', async () => {
    const following: typeof globalThis.fetch = (input, init) =>
      fetch(input, { ...init, redirect: 'follow' });
    for (const [path, followed] of [
      ['/metadata-redirect', ['/metadata-redirect', '/metadata']],
      [
        '/metadata-with-redirected-keys',
        ['/metadata-with-redirected-keys', '/keys-redirect', '/keys'],
      ],
    ] as const) {
      hits.length = 0;
      expect(await codeOf(verifierFor(path, following).verify(await token()))).toBe(
        'keys_unavailable',
      );
      expect(hits).toEqual(followed);
    }
  });
});

describe('key cache: redirected answers from a custom fetch', () => {
  /** What a fetch that follows redirects returns: the target's document, marked as redirected. */
  const redirectedTo = (target: string, document: unknown, markRedirected: boolean) => () => {
    const response = Response.json(document);
    Object.defineProperty(response, 'url', { value: target });
    Object.defineProperty(response, 'redirected', { value: markRedirected });
    return response;
  };
  const targets = ['https://elsewhere.test/moved', 'http://127.0.0.1:9/moved'];
  const cases = targets.flatMap((target) =>
    [true, false].flatMap((marked) =>
      (['metadata', 'keys'] as const).map((which) => ({ which, target, marked })),
    ),
  );

  it.each(cases)(
    'refuses the $which answer redirected to $target (redirected flag: $marked)',
    async ({ which, target, marked }) => {
      const { verifier, microsoft, tokenAt } = setup();
      if (which === 'metadata') {
        microsoft.routes.set(
          SKYPE_METADATA_URL,
          redirectedTo(
            target,
            { issuer: 'https://api.botframework.com', jwks_uri: SKYPE_JWKS_URL },
            marked,
          ),
        );
      } else {
        microsoft.routes.set(
          SKYPE_JWKS_URL,
          redirectedTo(target, { keys: [key1.publicJwk] }, marked),
        );
      }
      expect(await codeOf(verifier.verify(await tokenAt(key1)))).toBe('keys_unavailable');
      expect(microsoft.requests).toEqual(
        which === 'metadata' ? [SKYPE_METADATA_URL] : [SKYPE_METADATA_URL, SKYPE_JWKS_URL],
      );
    },
  );

  it('accepts an answer whose final URL is the requested one', async () => {
    const { verifier, microsoft, tokenAt } = setup();
    microsoft.routes.set(
      SKYPE_JWKS_URL,
      redirectedTo(SKYPE_JWKS_URL, { keys: [key1.publicJwk] }, false),
    );
    await expect(verifier.verify(await tokenAt(key1))).resolves.toMatchObject({
      kind: 'botframework',
    });
  });
});

describe('key cache: the https rule on fetched URLs', () => {
  it('never requests a non-loopback http URL, even through a custom fetch', async () => {
    const fake = createFakeFetch({
      'https://issuer.test/metadata': () => Response.json({ jwks_uri: 'http://10.0.0.8/keys' }),
    });
    const verifier = createTokenVerifier({
      appId: BOT_APP_ID,
      issuers: [
        {
          kind: 'botframework',
          issuers: ['https://api.botframework.com'],
          openIdConfigurationUrl: 'https://issuer.test/metadata',
        },
      ],
      fetch: fake.fetch,
      now: () => T0,
    });
    expect(await codeOf(verifier.warm())).toBe('keys_unavailable');
    expect(fake.requests).toEqual(['https://issuer.test/metadata']);
  });
});
