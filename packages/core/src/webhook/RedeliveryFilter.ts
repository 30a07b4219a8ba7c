import { ConfigError } from '../errors';

/** Options of {@link RedeliveryFilter}. */
export interface RedeliveryOptions {
  /** Seconds a message id is remembered; default 600. */
  window?: number;
  /** Most message ids remembered at once (oldest forgotten first); default 10,000. */
  maxEntries?: number;
}

/**
 * Remembers the `X-Microsoft-Skype-Message-ID`s of notifications already
 * accepted, for a bounded time and number, so a notification the calling
 * service redelivers (a retry after a lost answer) is dispatched once: a
 * retried `incomingCall` is not answered twice.
 */
export class RedeliveryFilter {
  readonly #seenAt = new Map<string, number>();
  // Arrival order, oldest first, from #head on: a queue without Map iteration
  // (iterating a Map whose front was deleted rescans the deleted slots).
  #order: string[] = [];
  #times: number[] = [];
  #head = 0;
  readonly #windowMs: number;
  readonly #maxEntries: number;

  constructor(options: RedeliveryOptions = {}) {
    const window = options.window ?? 600;
    const maxEntries = options.maxEntries ?? 10_000;
    if (typeof window !== 'number' || !Number.isFinite(window) || window <= 0)
      throw new ConfigError(
        `redelivery.window must be a positive number of seconds; got ${String(window)}`,
      );
    if (!Number.isSafeInteger(maxEntries) || maxEntries <= 0)
      throw new ConfigError(
        `redelivery.maxEntries must be a positive whole number; got ${String(maxEntries)}`,
      );
    this.#windowMs = window * 1000;
    this.#maxEntries = maxEntries;
  }

  /** Forgets `messageId`, so its next delivery is dispatched (after a failed one). */
  forget(messageId: string | undefined): void {
    if (messageId !== undefined) this.#seenAt.delete(messageId);
  }

  /**
   * Records `messageId` as seen at `now` (ms); true when it was already seen
   * within the window (a redelivery). An absent id is never a redelivery.
   */
  isRedelivery(messageId: string | undefined, now: number): boolean {
    if (messageId === undefined || messageId === '') return false;
    this.#forgetOlderThan(now - this.#windowMs);
    if (this.#seenAt.has(messageId)) return true;
    this.#seenAt.set(messageId, now);
    this.#order.push(messageId);
    this.#times.push(now);
    while (this.#seenAt.size > this.#maxEntries) this.#dropOldest();
    return false;
  }

  /** How many ids are remembered now. */
  get size(): number {
    return this.#seenAt.size;
  }

  #forgetOlderThan(cutoff: number): void {
    while (this.#head < this.#order.length && this.#times[this.#head]! <= cutoff) {
      this.#dropOldest();
    }
  }

  #dropOldest(): void {
    const id = this.#order[this.#head]!;
    const at = this.#times[this.#head]!;
    this.#head += 1;
    // An id forgotten and seen again has a later entry: only the entry it now has counts.
    if (this.#seenAt.get(id) === at) this.#seenAt.delete(id);
    if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
      this.#order = this.#order.slice(this.#head);
      this.#times = this.#times.slice(this.#head);
      this.#head = 0;
    }
  }
}
