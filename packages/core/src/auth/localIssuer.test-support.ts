/*
 * A local token issuer for the auth tests: RSA keys, token minting, and an
 * in-memory fetch that plays Microsoft's OpenID endpoints. Imported only by
 * *.test.ts files (never by the package), and free of node:* like the rest of src.
 */
import {
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { expect } from 'vitest';
import { AuthError, type AuthErrorCode } from './AuthError';
import { CLOUD_PRESETS } from './cloudPresets';
import { createTokenVerifier } from './createTokenVerifier';
import type { TokenVerifierOptions } from './types';

export const BOT_APP_ID = '5a1b0c7e-1111-4222-8333-944455556666';
export const TENANT_ID = '0b9c1d2e-aaaa-4bbb-8ccc-ddddeeeeffff';
export const OTHER_TENANT_ID = '7f6e5d4c-1234-4abc-9def-0123456789ab';
/** 2025-01-01T00:00:00Z, the tests' fixed clock. */
export const T0 = Date.UTC(2025, 0, 1);
export const T0_SEC = T0 / 1000;

const [skypePreset, aadPreset] = CLOUD_PRESETS.public;
export const SKYPE_METADATA_URL = skypePreset!.openIdConfigurationUrl;
export const AAD_METADATA_URL = aadPreset!.openIdConfigurationUrl;
export const SKYPE_JWKS_URL = 'https://keys.skype.test/v1/keys';
export const AAD_JWKS_URL = 'https://login.aad.test/common/discovery/v2.0/keys';
export const AAD_METADATA_ISSUER = 'https://login.microsoftonline.com/{tenantid}/v2.0';

export interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** An RS256 key pair; `jwkMembers` are added to the published JWK (e.g. `issuer`). */
export async function createTestKey(kid: string, jwkMembers: Record<string, unknown> = {}) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, use: 'sig', ...jwkMembers } as JWK;
  return { kid, privateKey, publicJwk } satisfies TestKey;
}

/** The same public key published with other JWK members. */
export function withJwkMembers(key: TestKey, jwkMembers: Record<string, unknown>): TestKey {
  return { ...key, publicJwk: { ...key.publicJwk, ...jwkMembers } as JWK };
}

/** Signs `claims` with `key`; the header is `{ alg: RS256, kid, typ: JWT }` plus `header`. */
export function signToken(
  key: TestKey,
  claims: JWTPayload,
  header: Partial<JWTHeaderParameters> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT', ...header })
    .sign(key.privateKey);
}

/** Claims shaped like a real Skype token: no iat, 5 minutes of life from `nowSec`. */
export function skypeClaims(nowSec = T0_SEC, overrides: Overrides = {}): JWTPayload {
  return withoutUndefined({
    iss: 'https://api.botframework.com',
    aud: BOT_APP_ID,
    tid: TENANT_ID,
    nbf: nowSec,
    exp: nowSec + 300,
    ...overrides,
  });
}

/** Claims of an Azure AD token issued to the calling service. */
export function aadClaims(
  version: 'v1' | 'v2',
  nowSec = T0_SEC,
  overrides: Overrides = {},
): JWTPayload {
  const v1 = version === 'v1';
  return withoutUndefined({
    iss: v1
      ? `https://sts.windows.net/${TENANT_ID}/`
      : `https://login.microsoftonline.com/${TENANT_ID}/v2.0`,
    aud: BOT_APP_ID,
    tid: TENANT_ID,
    ...(v1
      ? { appid: '26a18ebc-cdf7-4a6a-91cb-beb352805e81', ver: '1.0' }
      : { azp: '26a18ebc-cdf7-4a6a-91cb-beb352805e81', ver: '2.0' }),
    iat: nowSec,
    nbf: nowSec,
    exp: nowSec + 3600,
    ...overrides,
  });
}

/** Claim overrides; `undefined` removes the claim. */
export type Overrides = Record<string, unknown>;

function withoutUndefined(claims: Record<string, unknown>): JWTPayload {
  return Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined));
}

export type Route = (init: RequestInit | undefined) => Response | Promise<Response>;

/** A fetch over a routing table; records every URL asked for, routed or not. */
export interface FakeFetch {
  fetch: typeof fetch;
  requests: string[];
  routes: Map<string, Route>;
  countOf(url: string): number;
}

export function createFakeFetch(routes: Record<string, Route> = {}): FakeFetch {
  const fake: FakeFetch = {
    requests: [],
    routes: new Map(Object.entries(routes)),
    countOf: (url) => fake.requests.filter((requested) => requested === url).length,
    fetch: async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      fake.requests.push(url);
      const route = fake.routes.get(url);
      if (route === undefined) throw new TypeError(`fake fetch: no route for ${url}`);
      return route(init);
    },
  };
  return fake;
}

/**
 * Microsoft's public cloud, locally: the Skype and Azure AD OpenID documents at
 * their real (preset) URLs, served by a fake fetch, and JWKS whose published
 * keys the test changes at will.
 */
export interface LocalMicrosoft extends FakeFetch {
  skypeKeys: TestKey[];
  aadKeys: TestKey[];
}

export function createLocalMicrosoft(skypeKeys: TestKey[], aadKeys: TestKey[]): LocalMicrosoft {
  const fake = createFakeFetch() as LocalMicrosoft;
  fake.skypeKeys = [...skypeKeys];
  fake.aadKeys = [...aadKeys];
  fake.routes.set(SKYPE_METADATA_URL, () =>
    Response.json({ issuer: 'https://api.botframework.com', jwks_uri: SKYPE_JWKS_URL }),
  );
  fake.routes.set(SKYPE_JWKS_URL, () =>
    Response.json({ keys: fake.skypeKeys.map((key) => key.publicJwk) }),
  );
  fake.routes.set(AAD_METADATA_URL, () =>
    Response.json({ issuer: AAD_METADATA_ISSUER, jwks_uri: AAD_JWKS_URL }),
  );
  fake.routes.set(AAD_JWKS_URL, () =>
    Response.json({ keys: fake.aadKeys.map((key) => key.publicJwk) }),
  );
  return fake;
}

/** Headers carrying `token` the way the calling service sends it. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** base64url of a JSON value or bytes, for hand-made tokens. */
export function b64url(value: unknown): string {
  const bytes =
    value instanceof Uint8Array ? value : new TextEncoder().encode(JSON.stringify(value));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A token signed with RS256 by hand, with any header at all (jose would refuse some). */
export async function signRaw(
  key: TestKey,
  header: Record<string, unknown>,
  claims: JWTPayload,
): Promise<string> {
  const input = `${b64url(header)}.${b64url(claims)}`;
  const signature = await crypto.subtle.sign(
    'RSASSA-PKCS1-v1_5',
    key.privateKey,
    new TextEncoder().encode(input),
  );
  return `${input}.${b64url(new Uint8Array(signature))}`;
}

/**
 * A verifier against a {@link createLocalMicrosoft} publishing these keys, on
 * a settable clock starting at {@link T0}; `options` override the defaults.
 */
export function setupVerifier(
  skypeKeys: TestKey[],
  aadKeys: TestKey[],
  options: Partial<TokenVerifierOptions> = {},
) {
  const microsoft = createLocalMicrosoft(skypeKeys, aadKeys);
  const clock = { now: T0 };
  const verifier = createTokenVerifier({
    appId: BOT_APP_ID,
    fetch: microsoft.fetch,
    now: () => clock.now,
    ...options,
  });
  return { microsoft, clock, verifier };
}

/** The AuthError `promise` rejects with; fails the test if it resolves or rejects otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

/** The code of {@link rejection}. */
export async function codeOf(promise: Promise<unknown>): Promise<AuthErrorCode> {
  return (await rejection(promise)).code;
}
