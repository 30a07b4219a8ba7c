import type { RegionSelector } from './types';

/**
 * A region selector that sends each tenant's calls to the deployment mapped
 * to its tenant id (from the verified token, else the call's `tenantId`).
 * Unmapped tenants go to `fallback`, or stay where they arrived.
 *
 * @example
 * ```ts
 * routing: {
 *   region: {
 *     self: 'emea',
 *     deployments: { emea: 'https://emea.bot.example/api/calls', amer: 'https://amer.bot.example/api/calls' },
 *     select: selectByTenant({ '72f988bf-86f1-41af-91ab-2d7cd011db47': 'amer' }),
 *   },
 * }
 * ```
 */
export function selectByTenant(tenants: Record<string, string>, fallback?: string): RegionSelector {
  const byTenant = new Map(
    Object.entries(tenants).map(([tenant, name]) => [tenant.toLowerCase(), name]),
  );
  return (call, context) => {
    const tenant = context.tenantId ?? call.tenantId;
    return (tenant === undefined ? undefined : byTenant.get(tenant.toLowerCase())) ?? fallback;
  };
}
