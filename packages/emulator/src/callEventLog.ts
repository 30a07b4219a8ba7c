import type { GraphAction, GraphEvent } from './mockGraphTypes';

/** Graph's two spellings of one id (`57dab8b1-...` and `57DAB8B1...`) as one key. */
export const canonicalId = (id: string): string => id.replaceAll('-', '').toLowerCase();

/** What happened in each call at the mock Graph, in order, with waits for what comes next. */
export interface CallEventLog {
  append(callId: string, event: GraphEvent): void;
  actions(callId: string): GraphAction[];
  events(callId: string): GraphEvent[];
  /** The `index`-th request of the call, waiting up to `timeoutMs` for it. */
  nextAction(callId: string, index: number, timeoutMs: number): Promise<GraphAction | undefined>;
  /** The `index`-th event of the call, waiting up to `timeoutMs` for it. */
  nextEvent(callId: string, index: number, timeoutMs: number): Promise<GraphEvent | undefined>;
}

interface Entry {
  actions: GraphAction[];
  events: GraphEvent[];
  waiters: Set<() => void>;
}

/** An in-memory {@link CallEventLog}, keyed by canonical call id. */
export function createCallEventLog(): CallEventLog {
  const entries = new Map<string, Entry>();
  const entryOf = (callId: string): Entry => {
    const key = canonicalId(callId);
    let entry = entries.get(key);
    if (!entry) {
      entry = { actions: [], events: [], waiters: new Set() };
      entries.set(key, entry);
    }
    return entry;
  };
  const waitFor = <T>(callId: string, pick: (entry: Entry) => T | undefined, timeoutMs: number) =>
    new Promise<T | undefined>((resolve) => {
      const entry = entryOf(callId);
      const found = pick(entry);
      if (found !== undefined) return resolve(found);
      const done = (value: T | undefined) => {
        clearTimeout(timer);
        entry.waiters.delete(check);
        resolve(value);
      };
      const check = () => {
        const value = pick(entry);
        if (value !== undefined) done(value);
      };
      // A wait never keeps the process alive on its own.
      const timer = setTimeout(() => done(undefined), Math.max(0, timeoutMs));
      timer.unref();
      entry.waiters.add(check);
    });
  return {
    append(callId, event) {
      const entry = entryOf(callId);
      if (event.type === 'request') entry.actions.push(event.action);
      entry.events.push(event);
      for (const wake of [...entry.waiters]) wake();
    },
    actions: (callId) => [...entryOf(callId).actions],
    events: (callId) => [...entryOf(callId).events],
    nextAction: (callId, index, timeoutMs) =>
      waitFor(callId, (entry) => entry.actions[index], timeoutMs),
    nextEvent: (callId, index, timeoutMs) =>
      waitFor(callId, (entry) => entry.events[index], timeoutMs),
  };
}
