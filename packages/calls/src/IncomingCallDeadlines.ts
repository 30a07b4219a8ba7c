import { canonicalCallId } from '@callgate/core';

/** Forget a deadline this long after it passed (a late answer still fails fast meanwhile). */
const KEEP_AFTER_MS = 60_000;

/**
 * The answer deadline of each incoming call the linked webhook saw, so
 * `answer`/`reject`/`redirect` use it without being told. Bounded: expired
 * entries go first, and at most `max` calls are kept.
 */
export class IncomingCallDeadlines {
  readonly #byCall = new Map<string, number>();
  readonly #now: () => number;
  readonly #max: number;

  constructor(now: () => number, max = 10_000) {
    this.#now = now;
    this.#max = max;
  }

  get size(): number {
    return this.#byCall.size;
  }

  record(callId: string, deadline: Date): void {
    const key = canonicalCallId(callId);
    this.#byCall.delete(key);
    this.#byCall.set(key, deadline.getTime());
    const horizon = this.#now() - KEEP_AFTER_MS;
    // Insertion order is arrival order, and windows are 5–15 s: expired entries sit in front.
    for (const [oldKey, at] of this.#byCall) {
      if (at >= horizon && this.#byCall.size <= this.#max) break;
      this.#byCall.delete(oldKey);
    }
  }

  deadlineOf(callId: string): number | undefined {
    return this.#byCall.get(canonicalCallId(callId));
  }
}
