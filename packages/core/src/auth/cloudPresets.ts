import type { Cloud, IssuerProfile } from './types';

/** App ID of Microsoft's calling service: the `appid`/`azp` of its Azure AD tokens. */
export const CALLING_SERVICE_APP_ID = '26a18ebc-cdf7-4a6a-91cb-beb352805e81';

/**
 * The issuers trusted per cloud. `public` is documented by Microsoft; the
 * national-cloud values are partly assumptions, see `cloud-presets.md` next to
 * this file, and pass `issuers` to override them.
 */
export const CLOUD_PRESETS: Readonly<Record<Cloud, readonly IssuerProfile[]>> = deepFreeze({
  public: [
    {
      kind: 'botframework',
      issuers: ['https://api.botframework.com', 'https://graph.microsoft.com'],
      openIdConfigurationUrl: 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration',
    },
    {
      kind: 'aad',
      issuerTemplates: [
        'https://sts.windows.net/{tenantid}/',
        'https://login.microsoftonline.com/{tenantid}/v2.0',
      ],
      openIdConfigurationUrl:
        'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
      appIds: [CALLING_SERVICE_APP_ID],
    },
  ],
  gcch: usGovernment(),
  dod: usGovernment(),
  china: [
    {
      kind: 'botframework',
      issuers: ['https://api.botframework.azure.cn'],
      openIdConfigurationUrl:
        'https://login.botframework.azure.cn/v1/.well-known/openidconfiguration',
    },
    {
      kind: 'aad',
      issuerTemplates: [
        'https://sts.chinacloudapi.cn/{tenantid}/',
        'https://login.partner.microsoftonline.cn/{tenantid}/v2.0',
      ],
      openIdConfigurationUrl:
        'https://login.partner.microsoftonline.cn/common/v2.0/.well-known/openid-configuration',
      appIds: [CALLING_SERVICE_APP_ID],
    },
  ],
});

// GCC High and DoD share the Azure Government Entra authority and Bot Framework endpoints.
function usGovernment(): IssuerProfile[] {
  return [
    {
      kind: 'botframework',
      issuers: ['https://api.botframework.us'],
      openIdConfigurationUrl:
        'https://login.botframework.azure.us/v1/.well-known/openidconfiguration',
    },
    {
      kind: 'aad',
      issuerTemplates: [
        'https://sts.windows.net/{tenantid}/',
        'https://login.microsoftonline.us/{tenantid}/v2.0',
      ],
      openIdConfigurationUrl:
        'https://login.microsoftonline.us/common/v2.0/.well-known/openid-configuration',
      appIds: [CALLING_SERVICE_APP_ID],
    },
  ];
}

/**
 * A fresh, mutable copy of a cloud's issuer profiles, e.g. to extend them.
 *
 * @example
 * ```ts
 * const issuers = issuerProfilesFor('gcch');
 * issuers[0] = { kind: 'botframework', issuers: ['https://api.botframework.us'], openIdConfigurationUrl: myUrl };
 * createTokenVerifier({ appId, issuers });
 * ```
 */
export function issuerProfilesFor(cloud: Cloud): IssuerProfile[] {
  const preset = CLOUD_PRESETS[cloud];
  if (preset === undefined) throw new TypeError(`unknown cloud ${JSON.stringify(cloud)}`);
  return preset.map(copyProfile);
}

export function copyProfile(profile: IssuerProfile): IssuerProfile {
  return profile.kind === 'botframework'
    ? {
        kind: 'botframework',
        issuers: [...profile.issuers],
        openIdConfigurationUrl: profile.openIdConfigurationUrl,
      }
    : {
        kind: 'aad',
        issuerTemplates: [...profile.issuerTemplates],
        openIdConfigurationUrl: profile.openIdConfigurationUrl,
        appIds: [...profile.appIds],
      };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
