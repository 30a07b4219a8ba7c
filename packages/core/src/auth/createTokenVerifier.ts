import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import type { HeaderMap } from '../http/types';
import { AuthError } from './AuthError';
import { platformSignatureCheck, type SigningKey, type SigningKeys } from './importSigningKeys';
import { keySetCacheFor, metadataCacheFor, type OpenIdMetadata } from './keySources';
import { isGuid, matchIssuer, TENANT_PLACEHOLDER } from './matchIssuer';
import { isCompactJws } from './isCompactJws';
import { readBearerToken } from './readBearerToken';
import type { RefreshingValue } from './RefreshingValue';
import { describeError } from '../webhook/consoleLogger';
import { ValueUnavailableError } from './RefreshingValue';
import { resolveVerifierConfig } from './resolveVerifierConfig';
import type { AuthVerifyContext } from '../tracing/channels';
import { traceAuthVerify } from '../tracing/traceAuthVerify';
import type {
  IssuerProfile,
  TokenVerifier,
  TokenVerifierOptions,
  TokenVerifierStats,
  VerifiedCaller,
} from './types';
import { VerifiedTokenCache } from './VerifiedTokenCache';
import { verifySignedClaims } from './verifySignedClaims';

interface ResolvedKey {
  signingKey: SigningKey;
  metadata: OpenIdMetadata;
}

/** Where a key came from, and which loads of metadata and key set it was read from. */
interface KeyProvenance {
  metadataSource: RefreshingValue<OpenIdMetadata>;
  metadataGeneration: number;
  keySet: RefreshingValue<SigningKeys>;
  keySetGeneration: number;
}

interface CachedVerification {
  caller: VerifiedCaller;
  profile: IssuerProfile;
  kid: string;
  signingKey: SigningKey;
  /** Updated when a re-check finds the same key in a newer load. */
  provenance: KeyProvenance;
  exp: number;
  nbf: number | undefined;
}

/** A message context, built only when a message is: issuer, kid and tenant are clipped on the way. */
type Context = () => string;

/**
 * Creates the verifier of the bearer tokens Microsoft's calling service sends
 * with every notification: Bot Framework (Skype) and Azure AD tokens, RS256
 * only, exact issuers, audience = the bot's App ID, `tid` required.
 *
 * Signing keys come only from the `jwks_uri` of each issuer's OpenID
 * configuration, cached per process; an unknown `kid` refetches at most once per
 * cooldown, and known keys keep working while the key endpoint is down.
 *
 * @throws {ConfigError} for options that cannot work (e.g. an `http:` metadata URL).
 * @example
 * ```ts
 * const verifier = createTokenVerifier({ appId: process.env.BOT_APP_ID! });
 * await verifier.warm();
 * try {
 *   const caller = await verifier.verify(request.headers);
 *   console.log(caller.kind, caller.tenantId);
 * } catch (error) {
 *   if (error instanceof AuthError) reply(error.status, authErrorResponseHeaders(error));
 * }
 * ```
 */
export function createTokenVerifier(
  options: TokenVerifierOptions,
): TokenVerifier & { readonly stats: TokenVerifierStats } {
  const config = resolveVerifierConfig(options);
  const { logger, now, policy, timeoutMs } = config;
  const stats: TokenVerifierStats = {
    signatureChecks: 0,
    cacheHits: 0,
    signatureCheck: platformSignatureCheck(),
  };
  const verified = new VerifiedTokenCache<CachedVerification>(config.maxVerifiedTokens);
  const appIds = Object.freeze([...config.appIds]);
  const isKnownToken = (token: string) => verified.has(token);

  const logFetchFailure = (what: string, url: string) => (error: unknown) => {
    logger.warn(
      { url, cause: error instanceof Error ? error.message : String(error) },
      `callgate: could not refresh ${what}`,
    );
  };

  async function metadataOf(
    profile: IssuerProfile,
  ): Promise<{ metadataSource: RefreshingValue<OpenIdMetadata>; metadata: OpenIdMetadata }> {
    const url = profile.openIdConfigurationUrl;
    const metadataSource = metadataCacheFor(config.fetch, url);
    const metadata = await metadataSource.get(
      now,
      policy,
      timeoutMs,
      logFetchFailure('OpenID metadata', url),
    );
    return { metadataSource, metadata };
  }

  async function keysOf(
    metadata: OpenIdMetadata,
  ): Promise<{ keySet: RefreshingValue<SigningKeys>; keys: SigningKeys }> {
    const keySet = keySetCacheFor(config.fetch, metadata.jwksUri);
    const keys = await keySet.get(
      now,
      policy,
      timeoutMs,
      logFetchFailure('signing keys', metadata.jwksUri),
    );
    return { keySet, keys };
  }

  async function resolveKey(
    profile: IssuerProfile,
    kid: string,
    context: Context,
  ): Promise<ResolvedKey & { provenance: KeyProvenance }> {
    try {
      const { metadataSource, metadata } = await metadataOf(profile);
      const metadataGeneration = metadataSource.generation;
      const { keySet, keys } = await keysOf(metadata);
      let signingKey = keys.get(kid);
      if (signingKey === undefined) {
        // A new kid is how rotation shows; the cooldown caps what random kids cost.
        const reloaded = await keySet.reloadIfCooledDown(
          now,
          policy,
          timeoutMs,
          logFetchFailure('signing keys', metadata.jwksUri),
        );
        signingKey = reloaded?.get(kid);
      }
      if (signingKey === undefined) {
        throw new AuthError('unknown_key', `no published signing key has this kid (${context()})`);
      }
      return {
        signingKey,
        metadata,
        provenance: {
          metadataSource,
          metadataGeneration,
          keySet,
          keySetGeneration: keySet.generation,
        },
      };
    } catch (error) {
      if (error instanceof ValueUnavailableError) {
        throw new AuthError(
          'keys_unavailable',
          `the signing keys could not be fetched and none are cached (${context()}); see earlier warnings`,
          { retryAfter: error.retryAfter, cause: error },
        );
      }
      throw error;
    }
  }

  /**
   * `kid`'s key when metadata and keys are loaded and no refresh is due, read
   * synchronously; anything else (a load, a refresh, an unknown kid) is
   * {@link resolveKey}'s.
   */
  function publishedKey(
    profile: IssuerProfile,
    kid: string,
  ): (ResolvedKey & { provenance: KeyProvenance }) | undefined {
    const metadataSource = metadataCacheFor(config.fetch, profile.openIdConfigurationUrl);
    const metadata = metadataSource.peekFresh(now, policy);
    if (metadata === undefined) return undefined;
    const keySet = keySetCacheFor(config.fetch, metadata.jwksUri);
    const signingKey = keySet.peekFresh(now, policy)?.get(kid);
    if (signingKey === undefined) return undefined;
    return {
      signingKey,
      metadata,
      provenance: {
        metadataSource,
        metadataGeneration: metadataSource.generation,
        keySet,
        keySetGeneration: keySet.generation,
      },
    };
  }

  function checkTimes(exp: number, nbf: number | undefined, context: Context): void {
    const nowSec = Math.floor(now() / 1000);
    const tolerance = config.clockToleranceSec;
    if (nbf !== undefined && nbf > nowSec + tolerance) {
      throw new AuthError('not_yet_valid', `the token is not valid yet (nbf) (${context()})`);
    }
    if (exp <= nowSec - tolerance) {
      throw new AuthError('expired', `the token has expired (${context()})`);
    }
  }

  /** No refresh due and nothing reloaded since the token was verified: its key is still the one published. */
  function isProvenanceCurrent({ provenance: p }: CachedVerification): boolean {
    return (
      p.metadataSource.generation === p.metadataGeneration &&
      p.keySet.generation === p.keySetGeneration &&
      p.metadataSource.peekFresh(now, policy) !== undefined &&
      p.keySet.peekFresh(now, policy) !== undefined
    );
  }

  /**
   * A token verified before: its times are checked again, and its key too when
   * metadata or keys were reloaded or are due (synchronously otherwise: the
   * calling service sends one token with many notifications).
   */
  function fromCache(
    token: string,
  ): VerifiedCaller | Promise<VerifiedCaller | undefined> | undefined {
    const hit = verified.get(token);
    if (hit === undefined) return undefined;
    const context = () => describe(hit.caller.issuer, hit.kid, hit.caller.tenantId);
    try {
      checkTimes(hit.exp, hit.nbf, context);
    } catch (error) {
      verified.delete(token);
      throw error;
    }
    if (isProvenanceCurrent(hit)) {
      stats.cacheHits += 1;
      return hit.caller;
    }
    return recheckKey(token, hit, context);
  }

  async function recheckKey(
    token: string,
    hit: CachedVerification,
    context: Context,
  ): Promise<VerifiedCaller | undefined> {
    try {
      const current = await resolveKey(hit.profile, hit.kid, context);
      if (current.signingKey !== hit.signingKey) {
        verified.delete(token);
        return undefined;
      }
      hit.provenance = current.provenance;
    } catch (error) {
      verified.delete(token);
      throw error;
    }
    stats.cacheHits += 1;
    return hit.caller;
  }

  async function verifyToken(
    token: string,
    trace: AuthVerifyContext | undefined,
  ): Promise<VerifiedCaller> {
    const cached = await fromCache(token);
    if (trace !== undefined) trace.cache = cached === undefined ? 'miss' : 'hit';
    if (cached !== undefined) return cached;

    if (!isCompactJws(token)) {
      throw new AuthError('malformed_token', 'the bearer token is not a compact JWS');
    }
    let header: ReturnType<typeof decodeProtectedHeader>;
    let unverified: JWTPayload;
    try {
      header = decodeProtectedHeader(token);
      unverified = decodeJwt(token);
    } catch (cause) {
      throw new AuthError('malformed_token', 'the bearer token is not a decodable JWT', { cause });
    }
    const kid = typeof header.kid === 'string' ? header.kid : '';
    const iss = unverified.iss;
    if (header.alg !== 'RS256') {
      throw new AuthError(
        'alg_not_allowed',
        `the token is signed with ${clip(String(header.alg))}, only RS256 is accepted (${describe(iss, kid)})`,
      );
    }
    if (typeof iss !== 'string') throw new AuthError('missing_claim', 'the token has no "iss"');
    const match = matchIssuer(config.profiles, iss);
    if (match === undefined) {
      throw new AuthError('unknown_issuer', `the token issuer is not trusted (${describe(iss)})`);
    }
    const { profile } = match;
    if (kid === '') {
      throw new AuthError('unknown_key', `the token header has no kid (${describe(iss)})`);
    }

    const keyContext = () => describe(iss, kid);
    const resolved = publishedKey(profile, kid) ?? (await resolveKey(profile, kid, keyContext));
    stats.signatureChecks += 1;
    const claims = await verifySignedClaims(
      token,
      resolved.signingKey,
      { audience: appIds, clockToleranceSec: config.clockToleranceSec, now: now() },
      keyContext,
      { header, payload: unverified },
    );

    const tid = claims.tid;
    if (typeof tid !== 'string' || tid === '') {
      throw new AuthError('missing_claim', `the token has no "tid" (${describe(iss, kid)})`);
    }
    const context = () => describe(iss, kid, tid);
    const callerAppId = checkCaller(profile, match.issuerTenant, claims, tid, context);
    checkKeyIssuer(resolved, iss, tid, context);
    if (config.tenants !== undefined && !config.tenants.has(tid)) {
      throw new AuthError('tenant_not_allowed', `the tenant is not allowed (${context()})`);
    }

    const caller = deepFreeze<VerifiedCaller>({
      kind: profile.kind,
      tenantId: tid,
      appId: callerAppId,
      issuer: iss,
      claims,
    });
    verified.set(token, {
      caller,
      profile,
      kid,
      signingKey: resolved.signingKey,
      provenance: resolved.provenance,
      exp: claims.exp!,
      nbf: typeof claims.nbf === 'number' ? claims.nbf : undefined,
    });
    return caller;
  }

  return {
    appIds,
    verify(headers: HeaderMap | Headers): Promise<VerifiedCaller> {
      return traceAuthVerify(async (trace) => {
        try {
          return await verifyToken(readBearerToken(headers, isKnownToken), trace);
        } catch (error) {
          if (error instanceof AuthError) {
            if (error.code === 'keys_unavailable') logger.warn({ code: error.code }, error.message);
            else logger.debug({ code: error.code }, error.message);
          }
          throw error;
        }
      });
    },
    async warm(): Promise<void> {
      await Promise.all(
        config.profiles.map(async (profile) => {
          try {
            await keysOf((await metadataOf(profile)).metadata);
          } catch (error) {
            if (!(error instanceof ValueUnavailableError)) throw error;
            throw new AuthError(
              'keys_unavailable',
              `warm(): the signing keys of ${profile.openIdConfigurationUrl} could not be fetched: ${describeError(error.cause ?? error)}`,
              { retryAfter: error.retryAfter, cause: error.cause ?? error },
            );
          }
        }),
      );
    },
    get stats(): TokenVerifierStats {
      return { ...stats };
    },
  };
}

/** `appid`/`azp` of the caller; for Azure AD also the tenant and App ID rules. */
function checkCaller(
  profile: IssuerProfile,
  issuerTenant: string | undefined,
  claims: JWTPayload,
  tid: string,
  context: Context,
): string {
  const presented = [claims.appid, claims.azp].filter(
    (value): value is string => typeof value === 'string',
  );
  if (profile.kind === 'aad') {
    if (!isGuid(tid) || tid !== issuerTenant) {
      throw new AuthError('tenant_mismatch', `"tid" is not the tenant of "iss" (${context()})`);
    }
    if (presented.length === 0 || !presented.every((id) => profile.appIds.includes(id))) {
      throw new AuthError(
        'wrong_app_id',
        `the token was not issued to the calling service (appid/azp) (${context()})`,
      );
    }
  }
  return presented[0] ?? '';
}

/** A key published for one issuer (or tenant) must not vouch for another. */
function checkKeyIssuer(resolved: ResolvedKey, iss: string, tid: string, context: Context): void {
  const keyIssuer = resolved.signingKey.issuer;
  if (keyIssuer === undefined) return;
  const expected = keyIssuer.replaceAll(TENANT_PLACEHOLDER, tid);
  if (expected === iss) return;
  const metadataIssuer = resolved.metadata.issuer?.replaceAll(TENANT_PLACEHOLDER, tid);
  if (metadataIssuer !== undefined && expected === metadataIssuer) return;
  throw new AuthError(
    'key_issuer_mismatch',
    `the signing key is published for another issuer (${context()})`,
  );
}

/** Names issuer, kid and tenant for messages and logs, clipped: they are attacker input. */
function describe(iss: unknown, kid?: string, tid?: string): string {
  const parts = [`iss ${typeof iss === 'string' ? clip(iss) : '(none)'}`];
  if (kid !== undefined) parts.push(`kid ${clip(kid)}`);
  if (tid !== undefined) parts.push(`tid ${clip(tid)}`);
  return parts.join(', ');
}

function clip(value: string): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 80 ? `${printable.slice(0, 80)}...` : printable;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const member of Object.values(value)) deepFreeze(member);
  }
  return value;
}
