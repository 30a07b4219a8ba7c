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
    const seenAt = this.#seenAt.get(messageId);
    if (seenAt !== undefined) return true;
    this.#seenAt.set(messageId, now);
    if (this.#seenAt.size > this.#maxEntries) {
      const oldest = this.#seenAt.keys().next().value;
      if (oldest !== undefined) this.#seenAt.delete(oldest);
    }
    return false;
  }

  /** How many ids are remembered now. */
  get size(): number {
    return this.#seenAt.size;
  }

  // Insertion order is time order, so the expired ids are at the front.
  #forgetOlderThan(cutoff: number): void {
    for (const [id, at] of this.#seenAt) {
      if (at > cutoff) return;
      this.#seenAt.delete(id);
    }
  }
}
