import type { DispatchContext, WebhookHandleContext } from './channels';

/**
 * Wraps a unit of work: call `run()` (synchronously, so that whatever context
 * you make active reaches the work) and do what you need when it settles.
 * `run()` resolves when the work is done, never rejects; the outcome is on
 * `context` (`status`, `error`, ...). What the hook returns is ignored, and a
 * hook that throws or rejects is logged and never changes the answer.
 */
export type InstrumentHook<Context> = (context: Context, run: () => Promise<void>) => unknown;

/**
 * The `instrument` option of `createCallWebhook`: wrap-around hooks around
 * each request and each handler run, receiving the same context objects as
 * the `callgate:webhook.handle` and `callgate:dispatch` tracing channels.
 * Made for tracers that must make a span active while the work runs (so the
 * bot's own spans nest under `callgate.dispatch`), which a channel
 * subscriber cannot do on Node 20. `@callgate/opentelemetry` provides one.
 *
 * @example
 * ```ts
 * const webhook = createCallWebhook({
 *   appId,
 *   publicUrl: 'https://bot.contoso.com/api/calls',
 *   instrument: {
 *     dispatch: (context, run) => {
 *       const started = performance.now();
 *       return run().then(() => console.log(context.eventType, performance.now() - started));
 *     },
 *   },
 * });
 * ```
 */
export interface WebhookInstrumentation {
  /** Around each `webhook.handle(request)`. */
  handle?: InstrumentHook<WebhookHandleContext>;
  /** Around each handler run for one event. */
  dispatch?: InstrumentHook<DispatchContext>;
}
