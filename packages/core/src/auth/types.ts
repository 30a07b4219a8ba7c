import type { HeaderMap } from '../http/types';

/** The Microsoft clouds with a built-in issuer preset. */
export type Cloud = 'public' | 'gcch' | 'dod' | 'china';

/**
 * Tokens issued by the Bot Framework / Skype token service: `iss` must equal one
 * of `issuers` exactly.
 */
export interface BotFrameworkIssuerProfile {
  kind: 'botframework';
  issuers: string[];
  /** OpenID configuration whose `jwks_uri` publishes the signing keys. */
  openIdConfigurationUrl: string;
}

/**
 * Tokens issued by Azure AD (Entra ID) to a calling service: `iss` must match
 * one of `issuerTemplates` with `{tenantid}` standing for the token's `tid`.
 */
export interface AadIssuerProfile {
  kind: 'aad';
  /** E.g. `https://sts.windows.net/{tenantid}/`; exactly one `{tenantid}` each. */
  issuerTemplates: string[];
  openIdConfigurationUrl: string;
  /** App IDs allowed in `appid` (v1) / `azp` (v2): the calling service. */
  appIds: string[];
}

/** Who may sign tokens for the bot, and where their keys are published. */
export type IssuerProfile = BotFrameworkIssuerProfile | AadIssuerProfile;

/** A pino-compatible logger; every method is optional to implement as a no-op. */
export interface AuthLogger {
  debug(o: object, msg?: string): void;
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}

/** Signing-key cache tuning, in seconds. */
export interface KeyCacheOptions {
  /** Minimum time between two fetches triggered by unknown `kid`s or failures. Default 30, at least 1. */
  cooldown?: number;
  /** Age after which keys are refetched (lazily, on use). Default 86400. */
  refreshInterval?: number;
  /** How long past `refreshInterval` the last good keys keep verifying while refreshes fail. Default 86400. */
  maxStale?: number;
  /** Timeout of one metadata or key request, body included. Default 5. */
  timeout?: number;
}

/** Options of {@link createTokenVerifier}. */
export interface TokenVerifierOptions {
  /** The token audience: the bot's App ID (or several). */
  appId: string | string[];
  /** Which built-in issuer preset to trust. Default `'public'`. */
  cloud?: Cloud;
  /** Replaces the cloud preset entirely. */
  issuers?: IssuerProfile[];
  /** Seconds of leeway on `exp` and `nbf`. Default 300. */
  clockTolerance?: number;
  /** If set, only tokens whose `tid` is listed are accepted. */
  tenants?: string[];
  /** Used for every metadata and key request. Default: the global `fetch`. */
  fetch?: typeof fetch;
  keyCache?: KeyCacheOptions;
  /** Clock in milliseconds since the epoch (tests). Default `Date.now`. */
  now?: () => number;
  /**
   * Where key-fetch failures are reported (pino-compatible). Default: warnings
   * and errors to the console; `false` for silence.
   */
  logger?: AuthLogger | false;
  /** Already-verified tokens kept to skip repeated signature checks. Default 1000 entries; 0 disables. */
  verifiedTokenCache?: { maxEntries?: number };
}

/** The authenticated sender of a request. Frozen. */
export interface VerifiedCaller {
  kind: 'botframework' | 'aad';
  /** The token's `tid`. */
  tenantId: string;
  /** The caller's `appid`/`azp` when present, else `''`. */
  appId: string;
  /** The token's `iss`. */
  issuer: string;
  claims: TokenClaims;
}

/** Counters of a verifier's work, for tests and metrics. */
export interface TokenVerifierStats {
  /** Signature verifications performed. */
  signatureChecks: number;
  /** Verifications answered from the verified-token cache. */
  cacheHits: number;
  /**
   * What checks RS256 signatures in this runtime: `node:crypto` (synchronous,
   * where `process.getBuiltinModule` offers it: Node 20.16+, 22.3+) or
   * `webcrypto` (`crypto.subtle.verify`, everywhere else).
   */
  signatureCheck: 'node:crypto' | 'webcrypto';
}

/** Verifies the bearer token of calling-service requests. */
export interface TokenVerifier {
  /** Resolves with the caller, or rejects with an `AuthError`. */
  verify(headers: HeaderMap | Headers): Promise<VerifiedCaller>;
  /** Prefetches metadata and keys of every profile; rejects with `keys_unavailable` if it cannot. */
  warm(): Promise<void>;
  /**
   * The audiences (the bot's App IDs) this verifier accepts, frozen. A webhook
   * given this verifier refuses at construction an `appId` that differs from it.
   */
  readonly appIds: readonly string[];
  /**
   * A snapshot of the verifier's counters. Always present on verifiers made by
   * `createTokenVerifier`; optional so that test doubles need not fake it.
   */
  readonly stats?: TokenVerifierStats;
}

/**
 * The verified token's claims. Declared here rather than borrowed from jose,
 * so the published types (CommonJS ones included) import nothing from jose.
 */
export interface TokenClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  tid?: string;
  appid?: string;
  azp?: string;
  [claim: string]: unknown;
}
