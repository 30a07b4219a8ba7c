/**
 * A bounded map from exact token strings to what their verification proved,
 * evicting the least recently used entry. The calling service reuses one token
 * for many notifications; a hit skips the signature check, never the checks
 * whose answer changes with time or key rotation (the caller repeats those).
 */
export class VerifiedTokenCache<Entry> {
  readonly #entries = new Map<string, Entry>();
  /** The most recently used token: a hit on it needs no reordering (one token, many notifications). */
  #newest: string | undefined;

  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.#entries.size;
  }

  get(token: string): Entry | undefined {
    const entry = this.#entries.get(token);
    if (entry !== undefined && token !== this.#newest) {
      // Map iteration order is insertion order: re-inserting marks it most recent.
      this.#entries.delete(token);
      this.#entries.set(token, entry);
      this.#newest = token;
    }
    return entry;
  }

  set(token: string, entry: Entry): void {
    if (this.maxEntries <= 0) return;
    this.#entries.delete(token);
    this.#entries.set(token, entry);
    this.#newest = token;
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  delete(token: string): void {
    this.#entries.delete(token);
    if (token === this.#newest) this.#newest = undefined;
  }
}
