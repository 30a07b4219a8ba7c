import type { RegionSelector } from './types';

/**
 * A region selector that sends a call to the deployment mapped to the caller's
 * region: the call's `source.region` (e.g. `westus`, `amer`), else the
 * `X-Microsoft-Skype-Caller-Region` header. Matching ignores case; unmapped
 * regions go to `fallback`, or stay where they arrived.
 *
 * @example
 * ```ts
 * select: selectByCallerRegion({ westus: 'amer', amer: 'amer', westeurope: 'emea', euno: 'emea' })
 * ```
 */
export function selectByCallerRegion(
  regions: Record<string, string>,
  fallback?: string,
): RegionSelector {
  const byRegion = new Map(
    Object.entries(regions).map(([region, name]) => [region.toLowerCase(), name]),
  );
  return (call, context) => {
    const region = regionOf(call.source) ?? context.callerRegion;
    return (
      (region === undefined ? undefined : byRegion.get(region.trim().toLowerCase())) ?? fallback
    );
  };
}

function regionOf(source: unknown): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const region = (source as { region?: unknown }).region;
  return typeof region === 'string' && region !== '' ? region : undefined;
}
