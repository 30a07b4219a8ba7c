export { TRACING_CHANNELS } from './channels';
export type {
  AuthVerifyContext,
  DispatchContext,
  GraphRequestContext,
  KeysFetchContext,
  NotificationSummary,
  TraceHeaders,
  WebhookHandleContext,
} from './channels';
export { createTracingChannel } from './createTracingChannel';
export type { CallgateTracingChannel, TracingChannelSubscribers } from './createTracingChannel';
export type { InstrumentHook, WebhookInstrumentation } from './WebhookInstrumentation';
