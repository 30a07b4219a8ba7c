import { headerValue } from '../http/headerValue';
import { redactHeaders } from '../http/redactHeaders';
import { parseSecureUrl } from '../http/secureUrl';
import type { IncomingCallEvent } from '../notifications/index';
import { isValidPartition, withPartition } from './partitionParam';
import type {
  Decision,
  DecisionInput,
  PartitionRoutingOptions,
  RegionRoutingOptions,
} from './types';
import { validateRouting } from './validateRouting';

/**
 * Decides the HTTP answer to an authenticated, parsed notification body:
 * legacy 204, a 302 to another region's deployment or partition, a 421 for a
 * misrouted partition, or 202 to accept and dispatch here.
 *
 * Pure and synchronous (it calls only your `select`), so routing policies can
 * be unit tested without HTTP. Every decision carries a `reason` for the log.
 *
 * @throws {ConfigError} when `routing` is invalid (the webhook checks its own
 *   once, at creation).
 * @example
 * ```ts
 * import { decide, parseNotifications, selectByTenant } from '@callgate/core';
 *
 * const parsed = parseNotifications(incomingCallBody);
 * const decision = decide({
 *   format: parsed.format,
 *   events: parsed.format === 'graph' ? parsed.events : [],
 *   tenantId: 'b2c3…',
 *   routing: {
 *     region: {
 *       self: 'emea',
 *       deployments: { emea: 'https://emea.bot.example/api/calls', amer: 'https://amer.bot.example/api/calls' },
 *       select: selectByTenant({ 'b2c3…': 'amer' }),
 *     },
 *   },
 * });
 * // { action: 'redirect', status: 302, location: 'https://amer.bot.example/api/calls', reason: '…' }
 * ```
 */
export function decide(input: DecisionInput): Decision {
  validateRouting(input.routing ?? {});
  return decideValidated(input);
}

/** {@link decide} for routing options validated once up front (the webhook's, at creation). */
export function decideValidated(input: DecisionInput): Decision {
  if (input.format === 'legacy') {
    return {
      action: 'ignore-legacy',
      status: 204,
      reason:
        'legacy-format notification: answered 204 so the service re-sends it in the Graph format',
    };
  }
  const routing = input.routing ?? {};

  // isValidPartition again: `decide` is public, and a name like `..` must never reach `url()`.
  if (routing.partition !== undefined && isValidPartition(input.partition)) {
    const misrouted = decidePartition(routing.partition, input.partition);
    if (misrouted !== undefined) return misrouted;
  }

  const call = input.events.find(
    (event): event is IncomingCallEvent => event.type === 'incomingCall',
  );
  if (call === undefined) {
    return { action: 'accept', status: 202, reason: describeAccepted(input) };
  }
  if (routing.region === undefined) {
    return {
      action: 'accept',
      status: 202,
      reason: `incoming call ${call.callId ?? '?'}: no region routing configured`,
    };
  }
  return decideRegion(routing.region, call, input);
}

function decidePartition(partition: PartitionRoutingOptions, target: string): Decision | undefined {
  if (target === partition.self) return undefined;
  const policy = partition.misrouted ?? 'accept';
  const where = `addressed to partition '${target}' but this instance is '${partition.self}'`;
  if (policy === 'reject') {
    return {
      action: 'reject',
      status: 421,
      partition: target,
      reason: `${where}: rejected (misrouted: 'reject')`,
    };
  }
  if (policy === 'redirect') {
    let location: URL | undefined;
    let problem: string | undefined;
    try {
      location = parseSecureUrl(partition.url(target));
      if (location === undefined)
        problem = `routing.partition.url('${target}') is not an https URL`;
    } catch (error) {
      problem = `routing.partition.url('${target}') threw: ${messageOf(error)}`;
    }
    if (location !== undefined) {
      return {
        action: 'redirect',
        status: 302,
        location: withPartition(location, target),
        target: { kind: 'partition', partition: target },
        reason: `${where}: redirected (misrouted: 'redirect')`,
      };
    }
    return {
      action: 'accept',
      status: 202,
      reason: `${where}: accepted here instead of redirecting`,
      problem: problem ?? '',
    };
  }
  return {
    action: 'accept',
    status: 202,
    reason: `${where}: accepted anyway (misrouted: 'accept')`,
  };
}

function decideRegion(
  region: RegionRoutingOptions,
  call: IncomingCallEvent,
  input: DecisionInput,
): Decision {
  const callId = call.callId ?? '?';
  const headers = input.headers ?? {};
  let chosen: unknown;
  try {
    chosen = region.select(call, {
      tenantId: input.tenantId,
      callerRegion: headerValue(headers, 'x-microsoft-skype-caller-region'),
      self: region.self,
      headers: redactHeaders(headers),
    });
  } catch (error) {
    return {
      action: 'accept',
      status: 202,
      reason: `incoming call ${callId}: accepted here because region select threw`,
      problem: `routing.region.select threw: ${messageOf(error)}`,
    };
  }
  if (chosen === undefined || chosen === null) {
    return {
      action: 'accept',
      status: 202,
      reason: `incoming call ${callId}: select chose no deployment; taken here ('${region.self}')`,
    };
  }
  if (chosen === region.self) {
    return {
      action: 'accept',
      status: 202,
      reason: `incoming call ${callId}: select chose this deployment ('${region.self}')`,
    };
  }
  const location =
    typeof chosen === 'string' && Object.hasOwn(region.deployments, chosen)
      ? region.deployments[chosen]
      : undefined;
  if (location === undefined) {
    return {
      action: 'accept',
      status: 202,
      reason: `incoming call ${callId}: taken here ('${region.self}') because select chose an unknown deployment`,
      problem: `routing.region.select returned ${JSON.stringify(chosen)}, which is not a key of routing.region.deployments`,
    };
  }
  return {
    action: 'redirect',
    status: 302,
    location,
    target: { kind: 'region', deployment: chosen as string },
    reason: `incoming call ${callId}: belongs to deployment '${chosen as string}', not '${region.self}'`,
  };
}

function describeAccepted(input: DecisionInput): string {
  const types = input.events.map((event) => event.type).join(', ');
  return `accepted ${input.events.length} notification(s)${types ? ` (${types})` : ''}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
