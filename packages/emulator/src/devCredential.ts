import { connectDevIssuer } from './connectDevIssuer';
import { EmulatorError } from './EmulatorError';
import type { TokenMinter } from './startDevIssuer';

/**
 * The Calls.* application permissions a calling bot may hold: the `roles` of a
 * {@link devCredential} token unless narrowed.
 *
 * @example
 * ```ts
 * const noGroupCalls = devCredential(issuer, {
 *   roles: CALLS_ROLES.filter((role) => role !== 'Calls.InitiateGroupCall.All'),
 * });
 * ```
 */
export const CALLS_ROLES = [
  'Calls.AccessMedia.All',
  'Calls.Initiate.All',
  'Calls.InitiateGroupCall.All',
  'Calls.JoinGroupCall.All',
  'Calls.JoinGroupCallAsGuest.All',
] as const;

/** Options of {@link devCredential}. */
export interface DevCredentialOptions {
  /** The bot's app id (`appid` of the token). Default: the issuer's dev app id. */
  appId?: string;
  /** `tid` of the token. Default: the issuer's tenant. */
  tenantId?: string;
  /** Application permissions (`roles`). Default: every entry of {@link CALLS_ROLES}. */
  roles?: readonly string[];
  /** Token lifetime. Default 3600 s, as Azure AD's app-only tokens. */
  lifetimeSeconds?: number;
}

/** What {@link devCredential} returns: shaped like `@azure/core-auth`'s `TokenCredential`. */
export interface DevCredential {
  getToken(
    scopes: string | string[],
    options?: unknown,
  ): Promise<{ token: string; expiresOnTimestamp: number; refreshAfterTimestamp: number }>;
  /** How many tokens it minted (to test a client's token cache). */
  readonly tokensIssued: number;
}

/**
 * App-only Graph access tokens for the emulator's mock Graph, from the dev
 * issuer: a `TokenCredential` (as `@azure/identity`'s `ClientSecretCredential`)
 * that a bot hands to its Graph client instead of a real one. The token is an
 * Azure AD v1 token for the scope's resource (`https://graph.microsoft.com/.default`
 * → `aud: https://graph.microsoft.com`), `appid` = the bot, `roles` = Calls.*
 * permissions; the mock Graph refuses anything else.
 *
 * @param issuer a {@link DevIssuer} in this process, a remote one
 * ({@link connectDevIssuer}), or the URL of a running `callgate-emulator serve`'s issuer.
 *
 * @example
 * ```ts
 * const issuer = await startDevIssuer();
 * const graph = await startMockGraph({ issuer });
 * const credential = devCredential(issuer, { appId: issuer.appId });
 * const { token } = await credential.getToken('https://graph.microsoft.com/.default');
 * await fetch(`${graph.baseUrl}/communications/calls/${callId}`, {
 *   headers: { authorization: `Bearer ${token}` },
 * });
 * ```
 */
export function devCredential(
  issuer: TokenMinter | string,
  options: DevCredentialOptions = {},
): DevCredential {
  let minter: Promise<TokenMinter & { appId?: string }> | undefined;
  const resolveMinter = () => {
    minter ??=
      typeof issuer === 'string'
        ? connectDevIssuer(issuer)
        : Promise.resolve(issuer as TokenMinter & { appId?: string });
    return minter;
  };
  const lifetime = options.lifetimeSeconds ?? 3600;
  let issued = 0;
  return {
    get tokensIssued() {
      return issued;
    },
    async getToken(scopes) {
      const scope = (Array.isArray(scopes) ? scopes[0] : scopes) ?? '';
      if (!scope.endsWith('/.default')) {
        throw new EmulatorError(
          'invalid_options',
          `devCredential needs an app-only scope ending in "/.default" (e.g. https://graph.microsoft.com/.default), not "${scope}"`,
        );
      }
      const source = await resolveMinter();
      const appId = options.appId ?? source.appId;
      if (appId === undefined) {
        throw new EmulatorError('invalid_options', 'devCredential needs `appId`');
      }
      const now = Date.now();
      const token = await source.mintToken({
        kind: 'aad-v1',
        audience: scope.slice(0, -'/.default'.length),
        ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
        lifetimeSeconds: lifetime,
        claims: { appid: appId, roles: [...(options.roles ?? CALLS_ROLES)], idtyp: 'app' },
      });
      issued++;
      return {
        token,
        expiresOnTimestamp: now + lifetime * 1000,
        refreshAfterTimestamp: now + (lifetime * 1000) / 2,
      };
    },
  };
}
