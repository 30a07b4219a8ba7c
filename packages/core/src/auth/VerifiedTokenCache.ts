/**
 * A bounded map from exact token strings to what their verification proved,
 * evicting the least recently used entry. The calling service reuses one token
 * for many notifications; a hit skips the signature check, never the checks
 * whose answer changes with time or key rotation (the caller repeats those).
 */
export class VerifiedTokenCache<Entry> {
  readonly #entries = new Map<string, Entry>();
  /**
   * The most recently used token and its entry: a hit on it needs no
   * reordering and no hashing of a kilobyte-long key (one token, many notifications).
   */
  #newest: string | undefined;
  #newestEntry: Entry | undefined;

  constructor(readonly maxEntries: number) {}

  get size(): number {
    return this.#entries.size;
  }

  /** Whether `token` has an entry, without marking it used. */
  has(token: string): boolean {
    return token === this.#newest || this.#entries.has(token);
  }

  get(token: string): Entry | undefined {
    if (token === this.#newest) return this.#newestEntry;
    const entry = this.#entries.get(token);
    if (entry !== undefined) {
      // Map iteration order is insertion order: re-inserting marks it most recent.
      this.#entries.delete(token);
      this.#entries.set(token, entry);
      this.#markNewest(token, entry);
    }
    return entry;
  }

  set(token: string, entry: Entry): void {
    if (this.maxEntries <= 0) return;
    this.#entries.delete(token);
    this.#entries.set(token, entry);
    this.#markNewest(token, entry);
    if (this.#entries.size > this.maxEntries) this.#evictOldest();
  }

  delete(token: string): void {
    this.#entries.delete(token);
    if (token === this.#newest) this.#markNewest(undefined, undefined);
  }

  #markNewest(token: string | undefined, entry: Entry | undefined): void {
    this.#newest = token;
    this.#newestEntry = entry;
  }

  /**
   * Drops the oldest eighth at once: deleting one entry per insertion from the
   * front of a Map leaves a run of deleted slots that every next eviction
   * walks again; one walk per eighth keeps eviction cheap under fresh tokens.
   */
  #evictOldest(): void {
    let excess = this.#entries.size - this.maxEntries + Math.floor(this.maxEntries / 8);
    for (const token of this.#entries.keys()) {
      if (excess-- <= 0) break;
      this.#entries.delete(token);
    }
  }
}
