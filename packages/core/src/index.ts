export { CallgateError, ConfigError } from './errors';
export type { ConfigErrorCode } from './errors';
export { deferredBody, bodyReaderOf } from './http/types';
export type {
  BodyReader,
  BodyReadOptions,
  DeferredBody,
  HeaderMap,
  WebhookRequest,
  WebhookResponse,
} from './http/types';
export * from './notifications/index';
export * from './auth/index';
export type { HandleOptions, WebhookHandler } from './webhook/types';
export { createCallWebhook } from './webhook/createCallWebhook';
export type { CallWebhook, CallWebhookOptions } from './webhook/createCallWebhook';
export type { CallContext, CorrelationIds } from './webhook/CallContext';
export type { CallObserver } from './webhook/CallObserver';
export { POLICY_RECORDING_ANSWER_MS } from './webhook/answerDeadline';
export { isPolicyBasedRecording } from './notifications/isPolicyBasedRecording';
export type { RedeliveryOptions } from './webhook/RedeliveryFilter';
export { canonicalCallId } from './webhook/canonicalCallId';
export type {
  WebhookEventHandler,
  WebhookEventName,
  WebhookEventOf,
} from './webhook/HandlerRegistry';
export { silentLogger } from './webhook/Logger';
export { consoleLogger } from './webhook/consoleLogger';
export type { Logger } from './webhook/Logger';
export { problemResponse } from './webhook/problemResponse';
export { decide } from './routing/decide';
export { selectByTenant } from './routing/selectByTenant';
export { selectByCallerRegion } from './routing/selectByCallerRegion';
export { PARTITION_PARAM, isValidPartition, partitionFromUrl } from './routing/partitionParam';
export type {
  AcceptDecision,
  Decision,
  DecisionInput,
  IgnoreLegacyDecision,
  MisroutedPolicy,
  PartitionRoutingOptions,
  RedirectDecision,
  RegionRoutingOptions,
  RegionSelectContext,
  RegionSelector,
  RejectDecision,
  RoutingOptions,
} from './routing/types';
export { headerValue } from './http/headerValue';
export { redactHeaders } from './http/redactHeaders';
export { isLoopbackHost, parseSecureUrl } from './http/secureUrl';
export * from './fetch/index';
export * from './tracing/index';
export { handleSafely } from './webhook/handleSafely';
