import { type DiagnosticsChannelModule, loadDiagnosticsChannel } from './diagnosticsChannel';

/** Handlers for the five events of a tracing channel; each receives the context object. */
export interface TracingChannelSubscribers<Context extends object> {
  start?: (context: Context) => void;
  end?: (context: Context) => void;
  asyncStart?: (context: Context) => void;
  asyncEnd?: (context: Context) => void;
  error?: (context: Context) => void;
}

/**
 * A named `diagnostics_channel` tracing channel whose context objects are of
 * type `Context`. Where the runtime has no `diagnostics_channel`, it never has
 * subscribers and `tracePromise` just runs the function.
 */
export interface CallgateTracingChannel<Context extends { error?: unknown }> {
  readonly name: string;
  /**
   * True while anyone listens. Check it before building a context object:
   * that is what makes an unobserved channel cost nothing.
   */
  readonly hasSubscribers: boolean;
  /**
   * Runs `fn` between `start` and `end` (synchronous part) and `asyncStart` /
   * `asyncEnd` (settlement), with `error` before them when it rejects or
   * throws; `context.error` holds the failure. Unlike Node's own
   * `tracePromise`, the resolved value is never stored on the context, so a
   * context carries only what was put in it.
   */
  tracePromise<T>(fn: () => Promise<T>, context: Context): Promise<T>;
  subscribe(subscribers: TracingChannelSubscribers<Context>): void;
  unsubscribe(subscribers: TracingChannelSubscribers<Context>): void;
}

const unavailable: Omit<CallgateTracingChannel<object>, 'name'> = {
  hasSubscribers: false,
  tracePromise: (fn) => fn(),
  subscribe() {},
  unsubscribe() {},
};

/**
 * Creates (or joins: channels are global by name) the tracing channel `name`.
 * Used by `@callgate/core` for its own channels and by other callgate
 * packages (`@callgate/calls` publishes `callgate:graph.request` with it).
 *
 * @example
 * ```ts
 * import { createTracingChannel } from '@callgate/core';
 *
 * const channel = createTracingChannel<{ path: string; status?: number; error?: unknown }>('callgate:graph.request');
 * async function send(path: string) {
 *   if (!channel.hasSubscribers) return fetch(path);
 *   const context: { path: string; status?: number; error?: unknown } = { path };
 *   return channel.tracePromise(async () => {
 *     const response = await fetch(path);
 *     context.status = response.status;
 *     return response;
 *   }, context);
 * }
 * ```
 */
export function createTracingChannel<Context extends { error?: unknown }>(
  name: string,
): CallgateTracingChannel<Context> {
  return tracingChannelFrom<Context>(loadDiagnosticsChannel(), name);
}

/** {@link createTracingChannel} over a given module (undefined: a runtime without one). */
export function tracingChannelFrom<Context extends { error?: unknown }>(
  module: DiagnosticsChannelModule | undefined,
  name: string,
): CallgateTracingChannel<Context> {
  if (module === undefined) return { name, ...unavailable };
  const native = module.tracingChannel(name);
  const { start, end, asyncStart, asyncEnd, error } = native;
  const listened =
    typeof native.hasSubscribers === 'boolean'
      ? () => native.hasSubscribers === true
      : () =>
          start.hasSubscribers ||
          end.hasSubscribers ||
          asyncStart.hasSubscribers ||
          asyncEnd.hasSubscribers ||
          error.hasSubscribers;

  function tracePromise<T>(fn: () => Promise<T>, context: Context): Promise<T> {
    if (!listened()) return fn();
    const settled = () => {
      asyncStart.publish(context);
      asyncEnd.publish(context);
    };
    const run = (): Promise<T> => {
      try {
        return fn().then(
          (value) => {
            settled();
            return value;
          },
          (failure: unknown) => {
            context.error = failure;
            error.publish(context);
            settled();
            throw failure;
          },
        );
      } catch (failure) {
        context.error = failure;
        error.publish(context);
        throw failure;
      } finally {
        end.publish(context);
      }
    };
    if (typeof start.runStores === 'function') return start.runStores(context, run);
    start.publish(context);
    return run();
  }

  return {
    name,
    get hasSubscribers() {
      return listened();
    },
    tracePromise,
    subscribe: (subscribers) => native.subscribe(subscribers),
    unsubscribe: (subscribers) => {
      native.unsubscribe(subscribers);
    },
  };
}
