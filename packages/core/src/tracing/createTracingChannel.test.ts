import { tracingChannel } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTracingChannel, tracingChannelFrom } from './createTracingChannel';
import { loadDiagnosticsChannel } from './diagnosticsChannel';

type Context = { name: string; error?: unknown };

const unsubscribers: Array<() => void> = [];
afterEach(() => {
  for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
  vi.restoreAllMocks();
});

function listen(name: string) {
  const seen: string[] = [];
  const handlers = Object.fromEntries(
    (['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const).map((event) => [
      event,
      (context: Context) => seen.push(`${event}:${String((context.error as Error)?.message)}`),
    ]),
  );
  tracingChannel(name).subscribe(handlers as never);
  unsubscribers.push(() => tracingChannel(name).unsubscribe(handlers as never));
  return seen;
}

describe('createTracingChannel', () => {
  it('publishes start, end, asyncStart, asyncEnd around a promise that resolves', async () => {
    const channel = createTracingChannel<Context>('callgate:test.resolve');
    expect(channel.hasSubscribers).toBe(false);
    const seen = listen('callgate:test.resolve');
    expect(channel.hasSubscribers).toBe(true);
    const context: Context = { name: 'a' };
    await expect(channel.tracePromise(async () => 42, context)).resolves.toBe(42);
    expect(seen).toEqual([
      'start:undefined',
      'end:undefined',
      'asyncStart:undefined',
      'asyncEnd:undefined',
    ]);
    expect(context).toEqual({ name: 'a' });
  });

  it('publishes error before asyncStart/asyncEnd for a rejection, and error before end for a throw', async () => {
    const channel = createTracingChannel<Context>('callgate:test.reject');
    const seen = listen('callgate:test.reject');
    await expect(
      channel.tracePromise(() => Promise.reject(new Error('late')), { name: 'b' }),
    ).rejects.toThrow('late');
    expect(() =>
      channel.tracePromise(
        () => {
          throw new Error('early');
        },
        { name: 'c' },
      ),
    ).toThrow('early');
    expect(seen).toEqual([
      'start:undefined',
      'end:undefined',
      'error:late',
      'asyncStart:late',
      'asyncEnd:late',
      'start:undefined',
      'error:early',
      'end:early',
    ]);
  });

  it('joins channels by name, so subscribers reach every copy of the core', async () => {
    const seen = listen('callgate:test.shared');
    await createTracingChannel<Context>('callgate:test.shared').tracePromise(async () => 1, {
      name: 'one',
    });
    await createTracingChannel<Context>('callgate:test.shared').tracePromise(async () => 2, {
      name: 'two',
    });
    expect(seen.filter((event) => event.startsWith('start'))).toHaveLength(2);
  });

  it('just runs the function where the runtime has no diagnostics_channel', async () => {
    const channel = tracingChannelFrom<Context>(undefined, 'callgate:test.none');
    expect(channel.hasSubscribers).toBe(false);
    const context: Context = { name: 'x' };
    await expect(channel.tracePromise(async () => 'ran', context)).resolves.toBe('ran');
    channel.subscribe({ start: () => {} });
    expect(channel.hasSubscribers).toBe(false);
    expect(context).toEqual({ name: 'x' });
  });

  it('finds the module through process.getBuiltinModule, and nothing where that is absent', () => {
    expect(loadDiagnosticsChannel()?.tracingChannel).toBeTypeOf('function');
    vi.spyOn(process, 'getBuiltinModule').mockReturnValue(undefined as never);
    expect(loadDiagnosticsChannel()).toBeUndefined();
    vi.restoreAllMocks();
    const original = process.getBuiltinModule;
    try {
      (process as { getBuiltinModule?: unknown }).getBuiltinModule = undefined;
      expect(loadDiagnosticsChannel()).toBeUndefined();
    } finally {
      process.getBuiltinModule = original;
    }
  });

  it('computes hasSubscribers from the five channels on runtimes without TracingChannel#hasSubscribers', () => {
    const real = loadDiagnosticsChannel();
    if (real === undefined) throw new Error('Node has diagnostics_channel');
    const withoutGetter = {
      tracingChannel: (name: string) => {
        const native = real.tracingChannel(name);
        return {
          start: native.start,
          end: native.end,
          asyncStart: native.asyncStart,
          asyncEnd: native.asyncEnd,
          error: native.error,
          subscribe: (s: object) => native.subscribe(s),
          unsubscribe: (s: object) => native.unsubscribe(s),
        };
      },
    };
    const channel = tracingChannelFrom<Context>(withoutGetter, 'callgate:test.old');
    expect(channel.hasSubscribers).toBe(false);
    const onError = () => {};
    channel.subscribe({ error: onError });
    expect(channel.hasSubscribers).toBe(true);
    channel.unsubscribe({ error: onError });
    expect(channel.hasSubscribers).toBe(false);
  });
});
