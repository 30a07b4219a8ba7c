import { tracingChannel } from 'node:diagnostics_channel';

/** One event seen on a tracing channel, with a copy of the context at that moment. */
export interface RecordedEvent {
  channel: string;
  event: 'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error';
  context: Record<string, unknown>;
  /** The context object itself (the same object across a trace's events). */
  live: object;
}

const EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;

/**
 * Subscribes to every event of the named tracing channels, as any APM would
 * (plain `node:diagnostics_channel`, no OpenTelemetry); `stop()` unsubscribes.
 */
export function recordChannels(names: readonly string[]) {
  const events: RecordedEvent[] = [];
  const subscriptions = names.map((channel) => {
    const handlers = Object.fromEntries(
      EVENTS.map((event) => [
        event,
        (live: object) => {
          events.push({ channel, event, context: { ...live }, live });
        },
      ]),
    );
    tracingChannel(channel).subscribe(handlers as never);
    return () => tracingChannel(channel).unsubscribe(handlers as never);
  });
  return {
    events,
    /** `channel:event` of each event, in order. */
    sequence: (channel?: string) =>
      events.filter((e) => channel === undefined || e.channel === channel).map((e) => e.event),
    /** The context as it was at the last event of `channel`. */
    last: (channel: string) => events.filter((e) => e.channel === channel).at(-1)?.context,
    stop: () => {
      for (const unsubscribe of subscriptions) unsubscribe();
    },
  };
}
