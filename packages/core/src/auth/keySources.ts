import { fetchJson, KeyFetchError } from './fetchJson';
import { importSigningKeys, type SigningKeys } from './importSigningKeys';
import { isAllowedKeyUrl } from './isAllowedKeyUrl';
import { RefreshingValue } from './RefreshingValue';
import { traceKeysFetch } from '../tracing/traceKeysFetch';

/** What the key cache reads from an OpenID configuration document. */
export interface OpenIdMetadata {
  /** The document's `issuer`, possibly with `{tenantid}`. */
  readonly issuer: string | undefined;
  readonly jwksUri: string;
}

interface FetchScope {
  metadata: Map<string, RefreshingValue<OpenIdMetadata>>;
  keys: Map<string, RefreshingValue<SigningKeys>>;
}

/*
 * One cache per URL per fetch function, shared by every verifier of the process:
 * a bot with several verifiers still fetches each key set once. Keyed by the
 * fetch function too, so that verifiers (tests) with different fetches never
 * see each other's keys; a WeakMap lets those caches go with their fetch.
 */
const scopes = new WeakMap<typeof fetch, FetchScope>();

function scopeOf(fetchFn: typeof fetch): FetchScope {
  let scope = scopes.get(fetchFn);
  if (scope === undefined) {
    scope = { metadata: new Map(), keys: new Map() };
    scopes.set(fetchFn, scope);
  }
  return scope;
}

/** The shared cache of the OpenID configuration at `url`. */
export function metadataCacheFor(
  fetchFn: typeof fetch,
  url: string,
): RefreshingValue<OpenIdMetadata> {
  const { metadata } = scopeOf(fetchFn);
  let cache = metadata.get(url);
  if (cache === undefined) {
    cache = new RefreshingValue((timeoutMs) =>
      traceKeysFetch('openid-configuration', url, async () =>
        parseOpenIdMetadata(url, await fetchJson(fetchFn, url, timeoutMs)),
      ),
    );
    metadata.set(url, cache);
  }
  return cache;
}

/** The shared cache of the signing keys at `jwksUri`. */
export function keySetCacheFor(
  fetchFn: typeof fetch,
  jwksUri: string,
): RefreshingValue<SigningKeys> {
  const { keys } = scopeOf(fetchFn);
  let cache = keys.get(jwksUri);
  if (cache === undefined) {
    cache = new RefreshingValue((timeoutMs) =>
      traceKeysFetch(
        'jwks',
        jwksUri,
        async () => {
          const document = await fetchJson(fetchFn, jwksUri, timeoutMs);
          try {
            return await importSigningKeys(document);
          } catch (cause) {
            throw new KeyFetchError(`${jwksUri}: ${(cause as Error).message}`, { cause });
          }
        },
        (keys) => keys.size,
      ),
    );
    keys.set(jwksUri, cache);
  }
  return cache;
}

function parseOpenIdMetadata(url: string, document: unknown): OpenIdMetadata {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new KeyFetchError(`${url} is not an OpenID configuration object`);
  }
  const { jwks_uri: jwksUri, issuer } = document as Record<string, unknown>;
  if (typeof jwksUri !== 'string') throw new KeyFetchError(`${url} has no "jwks_uri"`);
  if (!isAllowedKeyUrl(jwksUri)) {
    throw new KeyFetchError(
      `${url} names a jwks_uri that is not https: (http: only on loopback): ${jwksUri}`,
    );
  }
  return { issuer: typeof issuer === 'string' ? issuer : undefined, jwksUri };
}
