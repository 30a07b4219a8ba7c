import { importJWK } from 'jose';

/** One RS256 verification key of a JWKS, by `kid`. */
export interface SigningKey {
  readonly kid: string;
  readonly key: CryptoKey;
  /** The JWK's `issuer` member (Azure AD publishes one, with `{tenantid}`), if any. */
  readonly issuer: string | undefined;
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
export async function importSigningKeys(document: unknown): Promise<SigningKeys> {
  if (!isObject(document) || !Array.isArray(document.keys)) {
    throw new Error('the key document has no "keys" array');
  }
  const keys = new Map<string, SigningKey>();
  for (const jwk of document.keys as unknown[]) {
    const key = await importSigningKey(jwk);
    if (key !== undefined && !keys.has(key.kid)) keys.set(key.kid, key);
  }
  if (keys.size === 0) throw new Error('the key document has no usable RS256 signing key');
  return keys;
}

async function importSigningKey(jwk: unknown): Promise<SigningKey | undefined> {
  if (!isObject(jwk)) return undefined;
  const { kty, kid, use, alg, n, e, issuer } = jwk;
  if (kty !== 'RSA' || typeof kid !== 'string' || kid === '') return undefined;
  if (use !== undefined && use !== 'sig') return undefined;
  if (alg !== undefined && alg !== 'RS256') return undefined;
  if (typeof n !== 'string' || typeof e !== 'string') return undefined;
  try {
    const key = await importJWK({ kty: 'RSA', n, e }, 'RS256');
    if (!(key instanceof CryptoKey) || modulusLength(key) < 2048) return undefined;
    return { kid, key, issuer: typeof issuer === 'string' ? issuer : undefined };
  } catch {
    return undefined;
  }
}

function modulusLength(key: CryptoKey): number {
  const algorithm = key.algorithm as Partial<RsaHashedKeyAlgorithm>;
  return typeof algorithm.modulusLength === 'number' ? algorithm.modulusLength : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
