import fc from 'fast-check';
import { importJWK, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { signatureCheckOf } from './importSigningKeys';
import {
  b64url,
  BOT_APP_ID,
  createTestKey,
  signRaw,
  T0,
  T0_SEC,
  type TestKey,
} from './localIssuer.test-support';
import { platformRs256, webCryptoRs256 } from './rs256';
import { verifySignedClaims } from './verifySignedClaims';

// callgate checks RS256 tokens itself (see verifySignedClaims.ts); jose's
// jwtVerify, with the options callgate used to pass it, is the oracle. Headers,
// claims and tampering are generated; every token must get the same verdict,
// except headers with crit/b64, which callgate refuses and jose may accept.
let key: TestKey;
let otherKey: TestKey;
let publicKey: CryptoKey;
const CLOCK_TOLERANCE = 300;

beforeAll(async () => {
  key = await createTestKey('k1');
  otherKey = await createTestKey('k1');
  publicKey = (await importJWK(key.publicJwk, 'RS256')) as CryptoKey;
});

/** Mostly `arbitrary`'s values, sometimes absent. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, absent: number, present: number) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary, weight: present });
const numericDate = fc.oneof(
  { arbitrary: fc.integer({ min: T0_SEC - 100, max: T0_SEC + 100 }), weight: 6 },
  fc.integer({ min: T0_SEC - 2 * CLOCK_TOLERANCE, max: T0_SEC + 2 * CLOCK_TOLERANCE }),
  fc.constantFrom(T0_SEC - CLOCK_TOLERANCE, T0_SEC + CLOCK_TOLERANCE),
  fc.double({ noNaN: true, min: T0_SEC - 1000, max: T0_SEC + 1000 }),
  fc.string({ maxLength: 12 }),
  fc.constant(null),
  fc.boolean(),
);
const audience = fc.oneof(
  { arbitrary: fc.constant(BOT_APP_ID), weight: 6 },
  fc.constantFrom('other', '', BOT_APP_ID.toUpperCase()),
  fc.array(fc.constantFrom(BOT_APP_ID, 'other', 1), { maxLength: 3 }),
  fc.integer(),
  fc.constant(null),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
);
const claims = fc.record({
  iss: fc.constant('https://api.botframework.com'),
  aud: sometimes(audience, 1, 8),
  exp: sometimes(numericDate, 1, 8),
  nbf: sometimes(numericDate, 2, 1),
  iat: sometimes(numericDate, 2, 1),
  tid: fc.string({ maxLength: 8 }),
});
const header = fc.record({
  alg: fc.oneof(
    { arbitrary: fc.constant('RS256'), weight: 8 },
    fc.constantFrom('RS384', 'PS256', 'none', 'HS256', 'rs256', ''),
  ),
  kid: fc.constant('k1'),
  typ: sometimes(fc.constantFrom('JWT', 'at+jwt', 'anything'), 1, 1),
  crit: sometimes(fc.constantFrom(['b64'], ['exp'], [], 'b64'), 8, 1),
  b64: sometimes(fc.boolean(), 8, 1),
  jku: sometimes(fc.constant('https://attacker.test/keys'), 4, 1),
});
type Tamper =
  | 'none'
  | 'other-key'
  | 'swap-payload'
  | 'flip-signature'
  | 'drop-signature'
  | 'junk-header';
const tamper = fc.oneof(
  { arbitrary: fc.constant<Tamper>('none'), weight: 10 },
  fc.constantFrom<Tamper>(
    'other-key',
    'swap-payload',
    'flip-signature',
    'drop-signature',
    'junk-header',
  ),
);

/** The members that are not undefined (JSON would drop them anyway). */
function present(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

async function tokenOf(
  h: Record<string, unknown>,
  c: Record<string, unknown>,
  how: Tamper,
): Promise<string> {
  const token = await signRaw(how === 'other-key' ? otherKey : key, h, c);
  const [encodedHeader, payload, signature] = token.split('.') as [string, string, string];
  switch (how) {
    case 'swap-payload':
      return `${encodedHeader}.${b64url({ ...c, aud: BOT_APP_ID, exp: T0_SEC + 60 })}.${signature}`;
    case 'flip-signature':
      return `${encodedHeader}.${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    case 'drop-signature':
      return `${encodedHeader}.${payload}.`;
    case 'junk-header':
      return `${b64url(new TextEncoder().encode('{"alg":"RS256"'))}.${payload}.${signature}`;
    default:
      return token;
  }
}

async function joseAccepts(token: string): Promise<boolean> {
  try {
    await jwtVerify(token, publicKey, {
      algorithms: ['RS256'],
      audience: [BOT_APP_ID],
      clockTolerance: CLOCK_TOLERANCE,
      currentDate: new Date(T0),
      requiredClaims: ['exp'],
    });
    return true;
  } catch {
    return false;
  }
}

describe.each([
  ['node:crypto', platformRs256],
  ['WebCrypto', () => webCryptoRs256],
])('verifySignedClaims (%s) against jose jwtVerify', (_name, rs256) => {
  it("gives jose's verdict on generated and tampered tokens", async () => {
    const signingKey = { verifySignature: signatureCheckOf(publicKey, rs256()) };
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(header, claims, tamper, async (rawHeader, rawClaims, how) => {
        const h = present(rawHeader);
        const token = await tokenOf(h, present(rawClaims), how);
        const ours = await verifySignedClaims(
          token,
          signingKey,
          { audience: [BOT_APP_ID], clockToleranceSec: CLOCK_TOLERANCE, now: T0 },
          'differential',
        ).then(
          () => true,
          () => false,
        );
        const theirs = await joseAccepts(token);
        if (ours) accepted += 1;
        // Never weaker than jose; as strict as jose except for crit/b64 headers.
        if (ours) expect(theirs).toBe(true);
        if (!('crit' in h) && !('b64' in h)) expect(ours).toBe(theirs);
      }),
      { numRuns: 500, seed: 20261127 },
    );
    // The generators must reach acceptance, or the property says little.
    expect(accepted).toBeGreaterThan(50);
  });
});
