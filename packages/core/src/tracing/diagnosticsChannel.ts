/**
 * The part of `node:diagnostics_channel` callgate uses, typed here because the
 * core compiles without Node's types.
 */
export interface DiagnosticsChannelModule {
  tracingChannel(name: string): NativeTracingChannel;
}

/** One channel of a tracing channel (`start`, `end`, ...). */
export interface NativeChannel {
  readonly hasSubscribers: boolean;
  publish(message: unknown): void;
  /** Publishes `context` and runs `fn` inside the stores bound to the channel (Node ≥ 19.9). */
  runStores?<T>(context: unknown, fn: () => T): T;
}

/** A `TracingChannel` as Node, Bun and Deno implement it. */
export interface NativeTracingChannel {
  readonly start: NativeChannel;
  readonly end: NativeChannel;
  readonly asyncStart: NativeChannel;
  readonly asyncEnd: NativeChannel;
  readonly error: NativeChannel;
  /** Node ≥ 20.13; computed from the five channels where absent. */
  readonly hasSubscribers?: boolean;
  subscribe(subscribers: object): void;
  unsubscribe(subscribers: object): boolean;
}

interface HostProcess {
  getBuiltinModule?: (id: string) => unknown;
}

/**
 * `node:diagnostics_channel` where the runtime has it (Node ≥ 20.16, Bun,
 * Deno), reached through `process.getBuiltinModule` so that the core has no
 * static `node:*` import; undefined elsewhere (then nothing is published).
 */
export function loadDiagnosticsChannel(): DiagnosticsChannelModule | undefined {
  try {
    // Read from globalThis, guarded: the core never assumes it runs on Node.
    const host = (globalThis as Record<string, unknown>).process as HostProcess | undefined;
    const found = host?.getBuiltinModule?.('node:diagnostics_channel') as
      | Partial<DiagnosticsChannelModule>
      | undefined;
    return typeof found?.tracingChannel === 'function'
      ? (found as DiagnosticsChannelModule)
      : undefined;
  } catch {
    return undefined;
  }
}
