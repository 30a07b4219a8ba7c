import { ConfigError } from '../errors';
import { requireSecureUrl } from '../http/secureUrl';
import { isValidPartition } from './partitionParam';
import type { RoutingOptions } from './types';

const validated = new WeakSet<RoutingOptions>();

/**
 * Throws a {@link ConfigError} for a routing configuration that cannot work:
 * checked once per options object, at construction, never at the first call.
 */
export function validateRouting(routing: RoutingOptions): void {
  if (validated.has(routing)) return;
  if (typeof routing !== 'object' || routing === null) {
    throw new ConfigError('routing must be an object with optional `region` and `partition`');
  }
  const { region, partition } = routing;
  if (region !== undefined) {
    if (typeof region.self !== 'string' || region.self === '') {
      throw new ConfigError('routing.region.self must name this deployment (a non-empty string)');
    }
    if (typeof region.deployments !== 'object' || region.deployments === null) {
      throw new ConfigError('routing.region.deployments must map deployment names to webhook URLs');
    }
    const names = Object.keys(region.deployments);
    if (names.length === 0) {
      throw new ConfigError('routing.region.deployments is empty: name at least one deployment');
    }
    for (const name of names) {
      requireSecureUrl(
        region.deployments[name],
        `routing.region.deployments[${JSON.stringify(name)}]`,
      );
    }
    if (typeof region.select !== 'function') {
      throw new ConfigError(
        'routing.region.select must be a function (call, ctx) => deployment name; see selectByTenant and selectByCallerRegion',
      );
    }
  }
  if (partition !== undefined) {
    if (!isValidPartition(partition.self)) {
      throw new ConfigError(
        `routing.partition.self must be 1-64 characters of A-Z a-z 0-9 . _ ~ -, not only dots; got ${JSON.stringify(partition.self)}`,
      );
    }
    if (typeof partition.url !== 'function') {
      throw new ConfigError('routing.partition.url must be a function (partition) => webhook URL');
    }
    requireSecureUrl(partition.url(partition.self), 'routing.partition.url(self)');
    const policy = partition.misrouted;
    if (
      policy !== undefined &&
      policy !== 'accept' &&
      policy !== 'redirect' &&
      policy !== 'reject'
    ) {
      throw new ConfigError(
        `routing.partition.misrouted must be 'accept', 'redirect' or 'reject'; got ${JSON.stringify(policy)}`,
      );
    }
  }
  validated.add(routing);
}
