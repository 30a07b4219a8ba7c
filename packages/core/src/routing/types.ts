import type { HeaderMap } from '../http/types';
import type { CallEvent, IncomingCallEvent } from '../notifications/index';

/** What a {@link RegionSelector} gets besides the incoming call. */
export interface RegionSelectContext {
  /** The caller's tenant from the verified token (`tid`), if known. */
  tenantId: string | undefined;
  /** `X-Microsoft-Skype-Caller-Region` as received, if any. */
  callerRegion: string | undefined;
  /** This deployment's name (`routing.region.self`). */
  self: string;
  /** The request's headers, `Authorization`/`Authentication` redacted (frozen). */
  headers: HeaderMap;
}

/**
 * Picks the deployment that should take an incoming call: a name from
 * `routing.region.deployments`. Anything else (this deployment, undefined, an
 * unknown name, a throw) means "take it here".
 */
export type RegionSelector = (
  call: IncomingCallEvent,
  context: RegionSelectContext,
) => string | undefined | null;

/** Region affinity: which deployment takes a new call. */
export interface RegionRoutingOptions {
  /** This deployment's name. */
  self: string;
  /** Every deployment's webhook URL by name (https; http only on loopback). */
  deployments: Record<string, string>;
  select: RegionSelector;
}

/** What to do with a notification addressed to another partition. */
export type MisroutedPolicy = 'accept' | 'redirect' | 'reject';

/** Stateful routing: partitions embedded in the `callbackUri` of each call. */
export interface PartitionRoutingOptions {
  /** This instance's partition (1-64 of `A-Z a-z 0-9 . _ ~ -`, not only dots). */
  self: string;
  /** The webhook base URL that reaches `partition` (https; http only on loopback). */
  url: (partition: string) => string;
  /** Default `'accept'`. */
  misrouted?: MisroutedPolicy;
}

/** `routing` option of `createCallWebhook`. */
export interface RoutingOptions {
  region?: RegionRoutingOptions;
  partition?: PartitionRoutingOptions;
}

/** Everything {@link decide} looks at; plain data, easy to build in a unit test. */
export interface DecisionInput {
  format: 'graph' | 'legacy';
  /** The normalised events of a Graph body (empty for legacy). */
  events: readonly CallEvent[];
  /** The partition the request was addressed to (from its URL), if any. */
  partition?: string | undefined;
  tenantId?: string | undefined;
  headers?: HeaderMap | undefined;
  routing?: RoutingOptions | undefined;
}

interface DecisionBase {
  /** Why, in words fit for a log line. */
  reason: string;
  /** Set when the decision fell back because something was wrong (log it as a warning). */
  problem?: string;
}

/** Accept the notifications here and dispatch them (202). */
export interface AcceptDecision extends DecisionBase {
  action: 'accept';
  status: 202;
}
/** Legacy-format notification: answer 204 so the service re-sends it as Graph. */
export interface IgnoreLegacyDecision extends DecisionBase {
  action: 'ignore-legacy';
  status: 204;
}
/** Send the service elsewhere (302 + Location); nothing is dispatched here. */
export interface RedirectDecision extends DecisionBase {
  action: 'redirect';
  status: 302;
  location: string;
  target: { kind: 'region'; deployment: string } | { kind: 'partition'; partition: string };
}
/** Refuse a notification addressed to another partition (421 Misdirected Request). */
export interface RejectDecision extends DecisionBase {
  action: 'reject';
  status: 421;
  partition: string;
}

/** The routing answer for one request. */
export type Decision = AcceptDecision | IgnoreLegacyDecision | RedirectDecision | RejectDecision;
