import type {
  DispatchContext,
  GraphRequestContext,
  KeysFetchContext,
  WebhookHandleContext,
} from '@callgate/core';
import type { Attributes } from '@opentelemetry/api';
import { ATTR, normalizeMethod, SEMCONV } from './attributeNames';
import { graphUrlTemplate } from './graphUrlTemplate';

/** Which identifying attributes go on spans. */
export interface AttributePolicy {
  recordTenantId: boolean;
}

/** Sets `key` only when `value` is defined. */
function put(attributes: Attributes, key: string, value: string | number | string[] | undefined) {
  if (value !== undefined) attributes[key] = value;
}

/** What is known of a webhook request when it arrives. */
export function webhookStartAttributes(context: WebhookHandleContext): Attributes {
  const attributes: Attributes = {
    [SEMCONV.method]: normalizeMethod(context.method),
    [SEMCONV.urlPath]: context.path,
    [SEMCONV.route]: context.path,
  };
  put(attributes, ATTR.chainId, context.chainId);
  put(attributes, ATTR.messageId, context.messageId);
  put(attributes, ATTR.scenarioId, context.scenarioId);
  put(attributes, ATTR.clientRequestId, context.clientRequestId);
  put(attributes, ATTR.partition, context.partition);
  return attributes;
}

/** `callgate.outcome`: the routing action, else the problem code, else the status. */
export function outcomeOf(context: WebhookHandleContext): string {
  return context.action ?? context.code ?? String(context.status ?? 'unknown');
}

/** What is known of a webhook request once answered. */
export function webhookEndAttributes(
  context: WebhookHandleContext,
  policy: AttributePolicy,
): Attributes {
  const attributes: Attributes = { [ATTR.outcome]: outcomeOf(context) };
  put(attributes, SEMCONV.statusCode, context.status);
  put(attributes, ATTR.reason, context.reason ?? context.code);
  put(attributes, ATTR.format, context.format);
  put(attributes, ATTR.notificationCount, context.notificationCount);
  put(attributes, ATTR.tokenKind, context.tokenKind);
  if (context.callIds !== undefined && context.callIds.length > 0) {
    attributes[ATTR.callIds] = context.callIds;
    if (context.callIds.length === 1) attributes[ATTR.callId] = context.callIds[0];
  }
  if (policy.recordTenantId) put(attributes, ATTR.tenantId, context.tenantId);
  if (context.redelivered === true) attributes[ATTR.redelivered] = true;
  if (isFailure(context)) attributes[SEMCONV.errorType] = context.code ?? String(context.status);
  return attributes;
}

/** A 5xx answer or an unexpected failure; a 401 or a 400 is the caller's problem, not ours. */
export function isFailure(context: WebhookHandleContext): boolean {
  return context.error !== undefined || (context.status ?? 0) >= 500;
}

export function dispatchAttributes(context: DispatchContext, policy: AttributePolicy): Attributes {
  const attributes: Attributes = { [ATTR.eventType]: context.eventType };
  put(attributes, ATTR.callId, context.callId);
  put(attributes, ATTR.changeType, context.changeType);
  put(attributes, ATTR.chainId, context.chainId);
  put(attributes, ATTR.messageId, context.messageId);
  put(attributes, ATTR.scenarioId, context.scenarioId);
  put(attributes, ATTR.partition, context.partition);
  if (policy.recordTenantId) put(attributes, ATTR.tenantId, context.tenantId);
  return attributes;
}

export function keysFetchAttributes(context: KeysFetchContext): Attributes {
  const attributes: Attributes = {
    [ATTR.keysKind]: context.kind,
    [SEMCONV.urlFull]: context.url,
  };
  put(attributes, ATTR.keyCount, context.keyCount);
  return attributes;
}

export function graphStartAttributes(
  context: GraphRequestContext,
  policy: AttributePolicy,
): Attributes {
  const attributes: Attributes = {
    [SEMCONV.method]: normalizeMethod(context.method),
    [SEMCONV.serverAddress]: context.serverAddress,
    [SEMCONV.urlTemplate]: graphUrlTemplate(context.path),
    [SEMCONV.urlFull]: `https://${context.serverAddress}${context.path}`,
    [ATTR.graphOperation]: context.operation,
  };
  put(attributes, ATTR.callId, context.callId);
  put(attributes, ATTR.graphClientRequestId, context.clientRequestId);
  if (policy.recordTenantId) put(attributes, ATTR.tenantId, context.tenantId);
  return attributes;
}

export function graphEndAttributes(context: GraphRequestContext): Attributes {
  const attributes: Attributes = {};
  put(attributes, SEMCONV.statusCode, context.status);
  put(attributes, ATTR.graphRequestId, context.requestId);
  put(attributes, ATTR.graphClientRequestId, context.clientRequestId);
  if (context.attempts !== undefined && context.attempts > 1) {
    attributes[SEMCONV.resendCount] = context.attempts - 1;
  }
  const errorType = graphErrorType(context);
  if (errorType !== undefined) attributes[SEMCONV.errorType] = errorType;
  return attributes;
}

/** `error.type` of a failed Graph request: its status (4xx/5xx), else the error's name. */
export function graphErrorType(context: GraphRequestContext): string | undefined {
  if (context.status !== undefined && context.status >= 400) return String(context.status);
  if (context.error === undefined) return undefined;
  return context.error instanceof Error ? context.error.name : 'Error';
}
