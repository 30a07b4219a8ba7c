import { importJWK, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuthError } from './AuthError';
import { signatureCheckOf, type SigningKey } from './importSigningKeys';
import {
  BOT_APP_ID,
  createTestKey,
  signRaw,
  signToken,
  skypeClaims,
  T0,
  type TestKey,
} from './localIssuer.test-support';
import { platformRs256, type Rs256, webCryptoRs256 } from './rs256';
import { verifySignedClaims } from './verifySignedClaims';

// The second layer on its own: the verifier's header pre-check never runs here,
// so these tests fail if the RS256 pin is widened or dropped.
let key: TestKey;
let publicKey: CryptoKey;
const policy = { audience: [BOT_APP_ID], clockToleranceSec: 300, now: T0 };

beforeAll(async () => {
  key = await createTestKey('k1');
  publicKey = (await importJWK(key.publicJwk, 'RS256')) as CryptoKey;
});

const platform = platformRs256();

it('uses node:crypto on this Node (process.getBuiltinModule exists)', () => {
  expect(platform.name).toBe('node:crypto');
});

describe.each([
  ['node:crypto', () => platform],
  ['WebCrypto', () => webCryptoRs256],
] satisfies Array<[string, () => Rs256]>)('verifySignedClaims, signature by %s', (_name, rs256) => {
  let signingKey: Pick<SigningKey, 'verifySignature'>;
  beforeAll(() => {
    signingKey = { verifySignature: signatureCheckOf(publicKey, rs256()) };
  });

  async function codeOf(token: string, now = T0): Promise<string> {
    const error = await verifySignedClaims(token, signingKey, { ...policy, now }, 'test').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthError);
    return (error as AuthError).code;
  }

  it('accepts an RS256 token signed by the key, and returns its claims', async () => {
    const claims = await verifySignedClaims(
      await signToken(key, skypeClaims()),
      signingKey,
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
    const token = await signRaw(key, { alg: 'none', kid: 'k1' }, skypeClaims());
    expect(await codeOf(token)).toBe('alg_not_allowed');
  });

  it('refuses HS256 signed with the public key as the secret', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(key.publicJwk));
    const token = await new SignJWT(skypeClaims())
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(secret);
    expect(await codeOf(token)).toBe('alg_not_allowed');
  });

  it('refuses a signature by another key, a changed payload, an empty or cut signature', async () => {
    const other = await createTestKey('k1');
    expect(await codeOf(await signToken(other, skypeClaims()))).toBe('bad_signature');
    const token = await signToken(key, skypeClaims());
    const [header, , signature] = token.split('.');
    const forged = await signToken(key, skypeClaims(undefined, { aud: 'someone-else' }));
    expect(await codeOf(`${header}.${forged.split('.')[1]}.${signature}`)).toBe('bad_signature');
    expect(await codeOf(`${header}.${token.split('.')[1]}.`)).toBe('bad_signature');
    expect(await codeOf(token.slice(0, -4))).toBe('bad_signature');
  });

  it('refuses crit and b64 headers, which jose would partly accept', async () => {
    const critical = await signRaw(key, { alg: 'RS256', crit: ['b64'], b64: true }, skypeClaims());
    expect(await codeOf(critical)).toBe('malformed_token');
    const unencoded = await signRaw(key, { alg: 'RS256', b64: false }, skypeClaims());
    expect(await codeOf(unencoded)).toBe('malformed_token');
  });

  it('requires exp and the audience', async () => {
    const { exp: _exp, ...noExp } = skypeClaims();
    expect(await codeOf(await signToken(key, noExp))).toBe('missing_claim');
    const { aud: _aud, ...noAud } = skypeClaims();
    expect(await codeOf(await signToken(key, noAud))).toBe('missing_claim');
    expect(await codeOf(await signToken(key, skypeClaims(undefined, { aud: 'other' })))).toBe(
      'wrong_audience',
    );
    expect(await codeOf(await signToken(key, skypeClaims(undefined, { aud: 42 })))).toBe(
      'wrong_audience',
    );
    const listed = skypeClaims(undefined, { aud: ['other', BOT_APP_ID] });
    await expect(
      verifySignedClaims(await signToken(key, listed), signingKey, policy, 'test'),
    ).resolves.toMatchObject({ aud: ['other', BOT_APP_ID] });
  });

  it('checks exp and nbf with the clock tolerance, and the type of iat, nbf, exp', async () => {
    const { exp } = skypeClaims();
    const token = await signToken(key, skypeClaims());
    const ms = (seconds: number) => seconds * 1000;
    await expect(
      verifySignedClaims(token, signingKey, { ...policy, now: ms(exp! + 299) }, 'test'),
    ).resolves.toBeDefined();
    expect(await codeOf(token, ms(exp! + 300))).toBe('expired');
    const early = await signToken(key, skypeClaims(undefined, { nbf: T0 / 1000 + 301 }));
    expect(await codeOf(early)).toBe('not_yet_valid');
    const edge = await signToken(key, skypeClaims(undefined, { nbf: T0 / 1000 + 300 }));
    await expect(verifySignedClaims(edge, signingKey, policy, 'test')).resolves.toBeDefined();
    for (const claim of ['iat', 'nbf', 'exp']) {
      const typed = await signToken(key, skypeClaims(undefined, { [claim]: '1735689600' }));
      expect(await codeOf(typed)).toBe('malformed_token');
    }
  });

  it('ends every message with the context it was given', async () => {
    const error = await verifySignedClaims(
      await signToken(key, skypeClaims(undefined, { aud: 'other' })),
      signingKey,
      policy,
      'iss X, kid k1',
    ).catch((e: unknown) => e as AuthError);
    expect((error as AuthError).message).toMatch(/\(iss X, kid k1\)$/);
  });
});

describe('signatureCheckOf', () => {
  it('falls back to WebCrypto for a key the platform check cannot prepare', async () => {
    const unusable: Rs256 = {
      name: 'node:crypto',
      prepare: () => undefined,
      verify: () => {
        throw new Error('must not be called');
      },
    };
    const check = signatureCheckOf(publicKey, unusable);
    const token = await signToken(key, skypeClaims());
    await expect(
      verifySignedClaims(token, { verifySignature: check }, policy, 'test'),
    ).resolves.toBeDefined();
  });
});
