import { ConfigError } from '../errors';
import { consoleLogger } from '../webhook/consoleLogger';
import { CLOUD_PRESETS, copyProfile } from './cloudPresets';
import { isAllowedKeyUrl } from './isAllowedKeyUrl';
import { TENANT_PLACEHOLDER } from './matchIssuer';
import type { RefreshPolicy } from './RefreshingValue';
import type { AuthLogger, IssuerProfile, TokenVerifierOptions } from './types';

/** {@link TokenVerifierOptions} checked, defaulted and copied. */
export interface VerifierConfig {
  appIds: readonly string[];
  profiles: readonly IssuerProfile[];
  clockToleranceSec: number;
  tenants: ReadonlySet<string> | undefined;
  fetch: typeof fetch;
  policy: RefreshPolicy;
  timeoutMs: number;
  now: () => number;
  logger: AuthLogger;
  maxVerifiedTokens: number;
}

// One stable function, so that every verifier on the global fetch shares key caches
// and a fetch stubbed later (tests) is still the one called.
const globalFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

const silent: AuthLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Validates verifier options, refusing at construction what cannot work.
 *
 * @throws {ConfigError} naming the offending option.
 * @example
 * ```ts
 * resolveVerifierConfig({ appId: 'my-bot-app-id' }).profiles; // the public preset
 * ```
 */
export function resolveVerifierConfig(options: TokenVerifierOptions): VerifierConfig {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError('createTokenVerifier needs an options object with appId');
  }
  const appIds = nonEmptyStrings(options.appId, 'appId');
  const cloud = options.cloud ?? 'public';
  if (!Object.hasOwn(CLOUD_PRESETS, cloud)) {
    throw new ConfigError(`cloud must be public, gcch, dod or china, not ${JSON.stringify(cloud)}`);
  }
  let profiles: IssuerProfile[];
  if (options.issuers === undefined) {
    profiles = CLOUD_PRESETS[cloud].map(copyProfile);
  } else {
    if (!Array.isArray(options.issuers) || options.issuers.length === 0) {
      throw new ConfigError('issuers must be a non-empty array of issuer profiles');
    }
    profiles = options.issuers.map(checkedProfile);
  }
  const keyCache = options.keyCache ?? {};
  const cooldown = seconds(keyCache.cooldown, 30, 'keyCache.cooldown', 1);
  const refreshInterval = seconds(keyCache.refreshInterval, 86400, 'keyCache.refreshInterval', 1);
  const maxStale = seconds(keyCache.maxStale, 86400, 'keyCache.maxStale', 0);
  const timeout = seconds(keyCache.timeout, 5, 'keyCache.timeout', 0.001);
  const maxVerifiedTokens = options.verifiedTokenCache?.maxEntries ?? 1000;
  if (!Number.isInteger(maxVerifiedTokens) || maxVerifiedTokens < 0) {
    throw new ConfigError('verifiedTokenCache.maxEntries must be an integer >= 0');
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new ConfigError('fetch must be a function');
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new ConfigError('now must be a function returning milliseconds');
  }
  return {
    appIds,
    profiles,
    clockToleranceSec: seconds(options.clockTolerance, 300, 'clockTolerance', 0),
    tenants:
      options.tenants === undefined
        ? undefined
        : new Set(nonEmptyStrings(options.tenants, 'tenants')),
    fetch: options.fetch ?? globalFetch,
    policy: {
      cooldownMs: cooldown * 1000,
      refreshIntervalMs: refreshInterval * 1000,
      maxStaleMs: maxStale * 1000,
    },
    timeoutMs: timeout * 1000,
    now: options.now ?? Date.now,
    logger: options.logger === false ? silent : (options.logger ?? consoleLogger),
    maxVerifiedTokens,
  };
}

function checkedProfile(profile: IssuerProfile, index: number): IssuerProfile {
  const where = `issuers[${index}]`;
  if (typeof profile !== 'object' || profile === null) {
    throw new ConfigError(`${where} must be an issuer profile object`);
  }
  checkKeyUrl(profile.openIdConfigurationUrl, `${where}.openIdConfigurationUrl`);
  if (profile.kind === 'botframework') {
    nonEmptyStrings(profile.issuers, `${where}.issuers`);
  } else if (profile.kind === 'aad') {
    for (const template of nonEmptyStrings(profile.issuerTemplates, `${where}.issuerTemplates`)) {
      if (template.split(TENANT_PLACEHOLDER).length !== 2) {
        throw new ConfigError(
          `${where}.issuerTemplates: ${JSON.stringify(template)} must contain {tenantid} exactly once`,
        );
      }
    }
    nonEmptyStrings(profile.appIds, `${where}.appIds`);
  } else {
    throw new ConfigError(`${where}.kind must be 'botframework' or 'aad'`);
  }
  return copyProfile(profile);
}

function checkKeyUrl(url: unknown, where: string): void {
  if (typeof url !== 'string' || !isAllowedKeyUrl(url)) {
    throw new ConfigError(
      `${where} must be an https: URL (http: only on localhost/127.0.0.0/8/[::1]), got ${JSON.stringify(url)}`,
    );
  }
}

function nonEmptyStrings(value: unknown, where: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((item) => typeof item === 'string' && item !== '')
  ) {
    throw new ConfigError(`${where} must be a non-empty string or list of non-empty strings`);
  }
  return [...(list as string[])];
}

function seconds(value: unknown, fallback: number, where: string, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new ConfigError(`${where} must be a number of seconds >= ${min}`);
  }
  return value;
}
