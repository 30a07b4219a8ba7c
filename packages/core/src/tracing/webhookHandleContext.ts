import { headerValue } from '../http/headerValue';
import type { HeaderMap, WebhookRequest, WebhookResponse } from '../http/types';
import type { ParsedNotifications } from '../notifications/index';
import { partitionFromUrl } from '../routing/partitionParam';
import type { Decision } from '../routing/types';
import type { VerifiedCaller } from '../auth/types';
import { problemCodeOf } from '../webhook/problemResponse';
import type { TraceHeaders, WebhookHandleContext } from './channels';

/** Longest header-derived value copied into a context: they arrive before authentication. */
const MAX_ID_LENGTH = 128;

/** The context of one request as it arrives: method, path, correlation ids, trace headers. */
export function webhookHandleContextOf(request: WebhookRequest): WebhookHandleContext {
  const { headers } = request;
  const url = typeof request.url === 'string' ? request.url : '/';
  const query = url.indexOf('?');
  return {
    method: String(request.method).slice(0, 16),
    path: clip(query === -1 ? url : url.slice(0, query), 2048) ?? '/',
    partition: partitionFromUrl(url),
    chainId: idHeader(headers, 'x-microsoft-skype-chain-id'),
    messageId: idHeader(headers, 'x-microsoft-skype-message-id'),
    scenarioId: idHeader(headers, 'scenario-id'),
    clientRequestId: idHeader(headers, 'client-request-id'),
    traceHeaders: traceHeadersOf(headers),
  };
}

/** Records who the verified caller is. */
export function noteCaller(context: WebhookHandleContext, caller: VerifiedCaller): void {
  context.tokenKind = caller.kind;
  context.tenantId = caller.tenantId;
}

/** Records what the body held. */
export function noteNotifications(
  context: WebhookHandleContext,
  parsed: ParsedNotifications,
): void {
  context.format = parsed.format;
  if (parsed.format === 'legacy') {
    context.notificationCount = 1;
    context.notifications = [];
    context.callIds = [];
    return;
  }
  context.notificationCount = parsed.events.length;
  context.notifications = parsed.events.map((event) => ({
    type: event.type,
    callId: event.callId,
    changeType: event.changeType,
  }));
  context.callIds = [
    ...new Set(
      parsed.events.flatMap((event) => (event.callId === undefined ? [] : [event.callId])),
    ),
  ];
}

/** Records the routing decision. */
export function noteDecision(context: WebhookHandleContext, decision: Decision): void {
  context.action = decision.action;
  context.reason = decision.reason;
}

/** Records the answer: status, and the problem code of an error answer. */
export function noteResponse(context: WebhookHandleContext, response: WebhookResponse): void {
  context.status = response.status;
  const code = problemCodeOf(response);
  if (code !== undefined) context.code = code;
}

function traceHeadersOf(headers: HeaderMap): TraceHeaders {
  const found: TraceHeaders = {};
  for (const name of ['traceparent', 'tracestate', 'baggage'] as const) {
    const value = clip(headerValue(headers, name), 8192);
    if (value !== undefined) found[name] = value;
  }
  return found;
}

function idHeader(headers: HeaderMap, name: string): string | undefined {
  return clip(headerValue(headers, name), MAX_ID_LENGTH);
}

function clip(value: string | undefined, max: number): string | undefined {
  return value === undefined || value.length <= max ? value : value.slice(0, max);
}
