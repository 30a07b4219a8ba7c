/** The `callgate.*` attributes this package sets (stable names; see docs/tracing.md). */
export const ATTR = {
  outcome: 'callgate.outcome',
  reason: 'callgate.reason',
  format: 'callgate.notification.format',
  notificationCount: 'callgate.notification.count',
  tokenKind: 'callgate.token.kind',
  authCache: 'callgate.auth.cache',
  callId: 'callgate.call.id',
  callIds: 'callgate.call.ids',
  chainId: 'callgate.chain.id',
  messageId: 'callgate.message.id',
  scenarioId: 'callgate.scenario.id',
  clientRequestId: 'callgate.client_request.id',
  tenantId: 'callgate.tenant.id',
  partition: 'callgate.partition',
  redelivered: 'callgate.redelivered',
  eventType: 'callgate.event.type',
  changeType: 'callgate.change_type',
  keysKind: 'callgate.keys.kind',
  keyCount: 'callgate.keys.count',
  graphOperation: 'callgate.graph.operation',
  graphRequestId: 'callgate.graph.request_id',
  graphClientRequestId: 'callgate.graph.client_request_id',
} as const;

/** The stable HTTP / URL / error semantic-convention attributes used. */
export const SEMCONV = {
  method: 'http.request.method',
  statusCode: 'http.response.status_code',
  route: 'http.route',
  urlPath: 'url.path',
  urlFull: 'url.full',
  urlTemplate: 'url.template',
  serverAddress: 'server.address',
  resendCount: 'http.request.resend_count',
  errorType: 'error.type',
} as const;

const KNOWN_METHODS = new Set([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
]);

/** `http.request.method` as the semantic conventions want it: known methods, else `_OTHER`. */
export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return KNOWN_METHODS.has(upper) ? upper : '_OTHER';
}
