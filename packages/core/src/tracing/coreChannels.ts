import type {
  AuthVerifyContext,
  DispatchContext,
  KeysFetchContext,
  WebhookHandleContext,
} from './channels';
import { TRACING_CHANNELS } from './channels';
import { createTracingChannel } from './createTracingChannel';

/** The channels the core publishes on, created once per module instance (channels are global by name). */
export const webhookHandleChannel = createTracingChannel<WebhookHandleContext>(
  TRACING_CHANNELS.webhookHandle,
);
export const authVerifyChannel = createTracingChannel<AuthVerifyContext>(
  TRACING_CHANNELS.authVerify,
);
export const keysFetchChannel = createTracingChannel<KeysFetchContext>(TRACING_CHANNELS.keysFetch);
export const dispatchChannel = createTracingChannel<DispatchContext>(TRACING_CHANNELS.dispatch);
