import type { VerifiedCaller } from '../auth/types';
import type { Decision } from '../routing/types';

/**
 * The names of callgate's `diagnostics_channel` tracing channels. Subscribe
 * with `tracingChannel(name).subscribe({ start, end, asyncStart, asyncEnd, error })`
 * from `node:diagnostics_channel`; every event receives the channel's context
 * object (see docs/tracing.md for each field).
 */
export const TRACING_CHANNELS = {
  /** One per `webhook.handle(request)`: the whole request, from receipt to answer. */
  webhookHandle: 'callgate:webhook.handle',
  /** One per token verification by a verifier of `createTokenVerifier`. */
  authVerify: 'callgate:auth.verify',
  /** One per network load of an OpenID configuration or a key set. */
  keysFetch: 'callgate:keys.fetch',
  /** One per handler run (`webhook.on(...)` handler x event). */
  dispatch: 'callgate:dispatch',
  /** One per Microsoft Graph request of `@callgate/calls` (retries included). */
  graphRequest: 'callgate:graph.request',
} as const;

/**
 * The W3C trace-context headers of a request (`traceparent`, `tracestate`,
 * `baggage`), for a tracer that starts the server span itself. No other
 * header is ever copied into a context.
 */
export interface TraceHeaders {
  traceparent?: string;
  tracestate?: string;
  baggage?: string;
}

/** One notification of a request, as a context lists it. */
export interface NotificationSummary {
  /** The event type: `incomingCall`, `callStateChanged`, ... */
  type: string;
  callId: string | undefined;
  changeType: string | undefined;
}

/**
 * Context of `callgate:webhook.handle` (and of the `instrument.handle` hook).
 * Filled in as the pipeline goes: a request refused early has only the first
 * fields. Never holds a token, a key or a body.
 */
export interface WebhookHandleContext {
  /** The request method as received (at most 16 characters). */
  method: string;
  /** The request path, without the query string. */
  path: string;
  /** The partition in the URL (`callgate-partition`), if any. */
  partition: string | undefined;
  /** `X-Microsoft-Skype-Chain-ID`: one per call; give it to Microsoft support. */
  chainId: string | undefined;
  /** `X-Microsoft-Skype-Message-ID`: one per notification POST. */
  messageId: string | undefined;
  /** `Scenario-Id`. */
  scenarioId: string | undefined;
  /** `Client-Request-Id`. */
  clientRequestId: string | undefined;
  traceHeaders: TraceHeaders;
  /** Set once the token verified. */
  tokenKind?: VerifiedCaller['kind'];
  /** The verified token's `tid`. */
  tenantId?: string;
  /** Set once the body parsed. */
  format?: 'graph' | 'legacy';
  notificationCount?: number;
  /** Each Graph notification, in order. */
  notifications?: NotificationSummary[];
  /** The distinct call ids of the notifications. */
  callIds?: string[];
  /** The routing decision, once taken. */
  action?: Decision['action'];
  /** Why routing decided so, in words. */
  reason?: string;
  /** True when the body was a redelivery (same message id), answered 202 and not dispatched again. */
  redelivered?: boolean;
  /** The HTTP status answered. */
  status?: number;
  /** The problem `code` of an error answer (`expired`, `body_too_large`, `not_a_notification`, ...). */
  code?: string;
  /** Set only if the pipeline itself failed unexpectedly (the answer is then a 500). */
  error?: unknown;
}

/** Context of `callgate:auth.verify`. `error` is the `AuthError` when the token is refused. */
export interface AuthVerifyContext {
  /** Whether the token was verified before (no signature check this time). Set when known. */
  cache?: 'hit' | 'miss';
  tokenKind?: VerifiedCaller['kind'];
  tenantId?: string;
  /** The `AuthError` code when refused (`expired`, `unknown_key`, `keys_unavailable`, ...). */
  reason?: string;
  error?: unknown;
}

/** Context of `callgate:keys.fetch`: one GET of a metadata document or key set. */
export interface KeysFetchContext {
  kind: 'openid-configuration' | 'jwks';
  /** The public URL fetched. */
  url: string;
  /** With `kind: 'jwks'`: how many usable signing keys it published. */
  keyCount?: number;
  error?: unknown;
}

/**
 * Context of `callgate:dispatch` (and of the `instrument.dispatch` hook): one
 * handler run for one event. `error` is what the handler threw.
 */
export interface DispatchContext {
  eventType: string;
  callId: string | undefined;
  changeType: string | undefined;
  tenantId: string;
  chainId: string | undefined;
  messageId: string | undefined;
  scenarioId: string | undefined;
  partition: string | undefined;
  error?: unknown;
}

/**
 * Context of `callgate:graph.request`, published by `@callgate/calls` for
 * every request to Microsoft Graph (one context across its retries).
 */
export interface GraphRequestContext {
  /** `GET`, `POST`, `DELETE`, ... */
  method: string;
  /** The client operation: `answer`, `reject`, `redirect`, `playPrompt`, `get`, ... */
  operation: string;
  /** The request path as sent, without host or query (`/v1.0/communications/calls/{id}/answer`). */
  path: string;
  /** The host, e.g. `graph.microsoft.com`. */
  serverAddress: string;
  callId: string | undefined;
  tenantId?: string | undefined;
  /** The `client-request-id` sent. */
  clientRequestId?: string;
  /** Set on completion: the final HTTP status. */
  status?: number;
  /** Graph's `request-id` response header; give it to Microsoft support. */
  requestId?: string;
  /** How many HTTP attempts were made (1 without retries). */
  attempts?: number;
  error?: unknown;
}
