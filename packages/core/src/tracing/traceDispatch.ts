import type { CallEvent } from '../notifications/index';
import type { CallContext } from '../webhook/CallContext';
import type { DispatchContext } from './channels';
import { dispatchChannel } from './coreChannels';
import { runWithHook } from './runWithHook';
import type { WebhookTracing } from './WebhookTracing';

/**
 * Runs one handler for one event as a `callgate:dispatch` trace and through
 * the `instrument.dispatch` hook; rejects with what the handler threw. With
 * neither a subscriber nor a hook it is a plain call.
 */
export function traceDispatch(
  handler: (event: CallEvent, context: CallContext) => void | Promise<void>,
  event: CallEvent,
  context: CallContext,
  tracing: WebhookTracing,
): void | Promise<void> {
  const hook = tracing.instrument?.dispatch;
  if (hook === undefined && !dispatchChannel.hasSubscribers) return handler(event, context);
  const trace: DispatchContext = {
    eventType: event.type,
    callId: event.callId,
    changeType: event.changeType,
    tenantId: context.tenantId,
    chainId: context.correlation.chainId,
    messageId: context.correlation.messageId,
    scenarioId: context.correlation.scenarioId,
    partition: context.partition,
  };
  const traced = () => dispatchChannel.tracePromise(async () => handler(event, context), trace);
  return runWithHook(hook, trace, traced, tracing.onHookError);
}
