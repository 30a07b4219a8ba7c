/**
 * The app id of the Microsoft Teams calling service: the `appid` (v1) or
 * `azp` (v2) of the Azure AD tokens it sends, and the `appid` of its
 * Skype-issued ones.
 */
export const CALLING_SERVICE_APP_ID = '26a18ebc-cdf7-4a6a-91cb-beb352805e81';

/**
 * Trust in a Bot Framework / Skype token issuer, in the shape of
 * `@callgate/core`'s `auth.issuers` entries (declared here so the emulator
 * works with any bot and does not need the core at runtime).
 */
export interface DevBotFrameworkIssuerProfile {
  kind: 'botframework';
  /** Exact `iss` values to accept. */
  issuers: string[];
  /** OpenID configuration whose `jwks_uri` names the signing keys. */
  openIdConfigurationUrl: string;
}

/** Trust in an Azure AD token issuer, shaped like `@callgate/core`'s. */
export interface DevAadIssuerProfile {
  kind: 'aad';
  /** `iss` templates; `{tenantid}` stands for the token's `tid`. */
  issuerTemplates: string[];
  /** OpenID configuration whose `jwks_uri` names the signing keys. */
  openIdConfigurationUrl: string;
  /** Accepted `appid` (v1) / `azp` (v2) values: the calling service. */
  appIds: string[];
}

/** One entry of a bot's `auth.issuers`; see {@link DevIssuer.issuers}. */
export type DevIssuerProfile = DevBotFrameworkIssuerProfile | DevAadIssuerProfile;

/**
 * The issuer profiles of the dev issuer served at `url` (no trailing slash):
 * what `startDevIssuer().issuers` returns and `/_emulator/info` announces.
 * A bot that trusts an emulator can build them itself from the URL it chose
 * and refuse an emulator that announces anything else.
 *
 * @example
 * ```ts
 * const issuers = devIssuerProfiles('http://127.0.0.1:4700');
 * // [{ kind: 'botframework', issuers: ['http://127.0.0.1:4700/botframework'], ... }, { kind: 'aad', ... }]
 * ```
 */
export function devIssuerProfiles(url: string): DevIssuerProfile[] {
  return [
    {
      kind: 'botframework',
      issuers: [`${url}/botframework`],
      openIdConfigurationUrl: `${url}/botframework/.well-known/OpenIdConfiguration`,
    },
    {
      kind: 'aad',
      issuerTemplates: [`${url}/sts/{tenantid}/`, `${url}/aad/{tenantid}/v2.0`],
      openIdConfigurationUrl: `${url}/aad/common/v2.0/.well-known/openid-configuration`,
      appIds: [CALLING_SERVICE_APP_ID],
    },
  ];
}
