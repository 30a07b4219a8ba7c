import type { IssuerProfile } from './types';

/** Where an `iss` matched: the profile, and the tenant taken from an AAD template. */
export interface IssuerMatch {
  profile: IssuerProfile;
  /** The GUID in place of `{tenantid}`; undefined for Bot Framework issuers. */
  issuerTenant: string | undefined;
}

export const TENANT_PLACEHOLDER = '{tenantid}';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a GUID such as a tenant ID. */
export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value);
}

/**
 * The first profile whose issuers accept `iss` by exact string comparison (a
 * template accepts exactly its text with a GUID in place of `{tenantid}`), so
 * look-alikes such as a longer host, a trailing slash or `http:` never match.
 *
 * @example
 * ```ts
 * matchIssuer(issuerProfilesFor('public'), 'https://sts.windows.net/0b.../');
 * // { profile: <aad profile>, issuerTenant: '0b...' }
 * ```
 */
export function matchIssuer(
  profiles: readonly IssuerProfile[],
  iss: string,
): IssuerMatch | undefined {
  for (const profile of profiles) {
    if (profile.kind === 'botframework') {
      if (profile.issuers.includes(iss)) return { profile, issuerTenant: undefined };
      continue;
    }
    for (const template of profile.issuerTemplates) {
      const tenant = tenantOf(template, iss);
      if (tenant !== undefined) return { profile, issuerTenant: tenant };
    }
  }
  return undefined;
}

function tenantOf(template: string, iss: string): string | undefined {
  const at = template.indexOf(TENANT_PLACEHOLDER);
  if (at < 0) return undefined;
  const prefix = template.slice(0, at);
  const suffix = template.slice(at + TENANT_PLACEHOLDER.length);
  if (iss.length <= prefix.length + suffix.length) return undefined;
  if (!iss.startsWith(prefix) || !iss.endsWith(suffix)) return undefined;
  const tenant = iss.slice(prefix.length, iss.length - suffix.length);
  return isGuid(tenant) ? tenant : undefined;
}
