import { importJWK } from 'jose';
import { platformRs256, type Rs256, webCryptoRs256 } from './rs256';

/** One RS256 verification key of a JWKS, by `kid`. */
export interface SigningKey {
  readonly kid: string;
  readonly key: CryptoKey;
  /** The JWK's `issuer` member (Azure AD publishes one, with `{tenantid}`), if any. */
  readonly issuer: string | undefined;
  /** True when `signature` (base64url) is this key's RS256 signature of the ASCII `signingInput` (see {@link Rs256}). */
  readonly verifySignature: (signingInput: string, signature: string) => boolean | Promise<boolean>;
}

/** Chosen once per process: node:crypto where the runtime offers it, else WebCrypto. */
const PLATFORM_RS256 = platformRs256();

/** Which RS256 check {@link importSigningKeys} gives keys by default in this runtime. */
export function platformSignatureCheck(): Rs256['name'] {
  return PLATFORM_RS256.name;
}

/** The usable keys of one JWKS document. */
export type SigningKeys = ReadonlyMap<string, SigningKey>;

/**
 * Imports the RS256 signature keys of a JWKS document. Keys that are not RSA
 * signature keys of at least 2048 bits, or cannot be imported, are skipped;
 * only `kty`, `n` and `e` are read, so `x5c`, `x5u` or `jku` members are never
 * followed. A document without a single usable key is refused as garbage.
 *
 * @throws {Error} when the document is not a JWKS or has no usable key.
 * @example
 * ```ts
 * const keys = await importSigningKeys(await (await fetch(jwksUri)).json());
 * keys.get(kid)?.key;
 * ```
 */
export async function importSigningKeys(
  document: unknown,
  rs256: Rs256 = PLATFORM_RS256,
): Promise<SigningKeys> {
  if (!isObject(document) || !Array.isArray(document.keys)) {
    throw new Error('the key document has no "keys" array');
  }
  const keys = new Map<string, SigningKey>();
  for (const jwk of document.keys as unknown[]) {
    const key = await importSigningKey(jwk, rs256);
    if (key !== undefined && !keys.has(key.kid)) keys.set(key.kid, key);
  }
  if (keys.size === 0) throw new Error('the key document has no usable RS256 signing key');
  return keys;
}

async function importSigningKey(jwk: unknown, rs256: Rs256): Promise<SigningKey | undefined> {
  if (!isObject(jwk)) return undefined;
  const { kty, kid, use, alg, n, e, issuer } = jwk;
  if (kty !== 'RSA' || typeof kid !== 'string' || kid === '') return undefined;
  if (use !== undefined && use !== 'sig') return undefined;
  if (alg !== undefined && alg !== 'RS256') return undefined;
  if (typeof n !== 'string' || typeof e !== 'string') return undefined;
  try {
    const key = await importJWK({ kty: 'RSA', n, e }, 'RS256');
    if (!(key instanceof CryptoKey) || modulusLength(key) < 2048) return undefined;
    return {
      kid,
      key,
      issuer: typeof issuer === 'string' ? issuer : undefined,
      verifySignature: signatureCheckOf(key, rs256),
    };
  } catch {
    return undefined;
  }
}

/** The key's check through `rs256`, or through WebCrypto when `rs256` cannot use this key. */
export function signatureCheckOf(key: CryptoKey, rs256: Rs256): SigningKey['verifySignature'] {
  const prepared = rs256.prepare(key);
  const check = prepared === undefined ? webCryptoRs256 : rs256;
  const form = prepared === undefined ? key : prepared;
  return (signingInput, signature) => check.verify(form, signingInput, signature);
}

function modulusLength(key: CryptoKey): number {
  const algorithm = key.algorithm as Partial<RsaHashedKeyAlgorithm>;
  return typeof algorithm.modulusLength === 'number' ? algorithm.modulusLength : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
