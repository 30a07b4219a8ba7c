import type { WebhookRequest, WebhookResponse } from '../http/types';
import type { WebhookHandleContext } from './channels';
import { webhookHandleChannel } from './coreChannels';
import { runWithHook } from './runWithHook';
import type { WebhookTracing } from './WebhookTracing';
import { noteResponse, webhookHandleContextOf } from './webhookHandleContext';

/**
 * Runs `respond` as one `callgate:webhook.handle` trace and through the
 * `instrument.handle` hook. With neither a subscriber nor a hook, it only
 * calls `respond(undefined)`: no context object is built.
 */
export function traceWebhookHandle(
  request: WebhookRequest,
  tracing: WebhookTracing,
  respond: (context: WebhookHandleContext | undefined) => Promise<WebhookResponse>,
): Promise<WebhookResponse> {
  const hook = tracing.instrument?.handle;
  if (hook === undefined && !webhookHandleChannel.hasSubscribers) return respond(undefined);
  let context: WebhookHandleContext;
  try {
    context = webhookHandleContextOf(request);
  } catch {
    // Not even a request object: the pipeline answers it, untraced.
    return respond(undefined);
  }
  const traced = () =>
    webhookHandleChannel.tracePromise(async () => {
      const response = await respond(context);
      noteResponse(context, response);
      return response;
    }, context);
  return runWithHook(hook, context, traced, tracing.onHookError);
}
