/** Calls remembered at most; the oldest are forgotten first. */
const MAX_TRACKED_CALLS = 10_000;
/** A call not answered within this long is forgotten (Graph gives 15 s). */
const FORGET_AFTER_MS = 120_000;

/**
 * Remembers when each incoming call's first notification POST arrived, until
 * the bot answers, redirects or rejects it. Bounded in size and age.
 */
export class AnswerLatencyTracker {
  readonly #receivedAt = new Map<string, number>();

  /** Notes that the incoming call `callId` arrived at `at` (ms); a redelivery keeps the first time. */
  noteIncoming(callId: string, at: number): void {
    const key = callId.toLowerCase();
    if (this.#receivedAt.has(key)) return;
    this.#forgetOld(at);
    this.#receivedAt.set(key, at);
  }

  /** The ms since the incoming call arrived, once: the call is forgotten. */
  takeLatency(callId: string, at: number): number | undefined {
    const key = callId.toLowerCase();
    const received = this.#receivedAt.get(key);
    if (received === undefined) return undefined;
    this.#receivedAt.delete(key);
    return at - received > FORGET_AFTER_MS ? undefined : at - received;
  }

  get size(): number {
    return this.#receivedAt.size;
  }

  #forgetOld(now: number): void {
    for (const [key, at] of this.#receivedAt) {
      if (this.#receivedAt.size < MAX_TRACKED_CALLS && now - at <= FORGET_AFTER_MS) break;
      this.#receivedAt.delete(key);
    }
  }
}
