import { importJWK, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from './AuthError';
import {
  BOT_APP_ID,
  createTestKey,
  signRaw,
  signToken,
  skypeClaims,
  T0,
  type TestKey,
} from './localIssuer.test-support';
import { verifySignedClaims } from './verifySignedClaims';

// The second layer on its own: the verifier's header pre-check never runs here,
// so these tests fail if jose's `algorithms` pin is widened or dropped.
let key: TestKey;
let publicKey: CryptoKey;
const policy = { audience: [BOT_APP_ID], clockToleranceSec: 300, now: T0 };

beforeAll(async () => {
  key = await createTestKey('k1');
  publicKey = (await importJWK(key.publicJwk, 'RS256')) as CryptoKey;
});

async function codeOf(token: string): Promise<string> {
  const error = await verifySignedClaims(token, publicKey, policy, 'test').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return (error as AuthError).code;
}

describe('verifySignedClaims: jose with RS256 pinned', () => {
  it('accepts an RS256 token signed by the key', async () => {
    const claims = await verifySignedClaims(
      await signToken(key, skypeClaims()),
      publicKey,
      policy,
      'test',
    );
    expect(claims.aud).toBe(BOT_APP_ID);
  });

  it.each(['RS384', 'RS512', 'PS256', 'ES256', 'HS256'])(
    'refuses a token whose header says %s, though the pre-check is bypassed',
    async (alg) => {
      const token = await signRaw(key, { alg, kid: 'k1' }, skypeClaims());
      expect(await codeOf(token)).toBe('alg_not_allowed');
    },
  );

  it('refuses an unsecured (alg none) token', async () => {
    expect(await codeOf(new UnsecuredJWT(skypeClaims()).encode())).toBe('alg_not_allowed');
  });

  it('refuses HS256 signed with the public key as the secret', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(key.publicJwk));
    const token = await new SignJWT(skypeClaims())
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(secret);
    expect(await codeOf(token)).toBe('alg_not_allowed');
  });

  it('requires exp and the audience', async () => {
    const { exp: _exp, ...noExp } = skypeClaims();
    expect(await codeOf(await signToken(key, noExp))).toBe('missing_claim');
    expect(await codeOf(await signToken(key, skypeClaims(undefined, { aud: 'other' })))).toBe(
      'wrong_audience',
    );
  });
});
