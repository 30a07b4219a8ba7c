/** When a cached value is refreshed and how long it outlives failures, in ms. */
export interface RefreshPolicy {
  cooldownMs: number;
  refreshIntervalMs: number;
  maxStaleMs: number;
}

/** No usable value: the load failed (or is cooling down) and nothing good is cached. */
export class ValueUnavailableError extends Error {
  override readonly name = 'ValueUnavailableError';
  constructor(
    message: string,
    /** Seconds until another load will be attempted. */
    readonly retryAfter: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A value loaded over the network and shared by everyone who asks: concurrent
 * misses share one load, loads are at least `cooldownMs` apart after a failure
 * or when forced, a value older than `refreshIntervalMs` is reloaded on use,
 * and while reloads fail the last good value serves for `maxStaleMs` more.
 * No timers: nothing keeps the process alive.
 */
export class RefreshingValue<T> {
  #value: T | undefined;
  #loadedAt = Number.NEGATIVE_INFINITY;
  #attemptedAt = Number.NEGATIVE_INFINITY;
  #inflight: Promise<T> | undefined;
  #generation = 0;
  /** Why the last load failed, until one succeeds: the cause a cooled-down caller is told. */
  #lastError: unknown;

  constructor(private readonly load: (timeoutMs: number) => Promise<T>) {}

  /** Incremented on every successful load. */
  get generation(): number {
    return this.#generation;
  }

  /**
   * The value, synchronously, only while no refresh is due: the fast path of
   * callers that already hold what they derived from it (and check `generation`).
   */
  peekFresh(now: () => number, policy: RefreshPolicy): T | undefined {
    if (this.#value === undefined || now() - this.#loadedAt >= policy.refreshIntervalMs) {
      return undefined;
    }
    return this.#value;
  }

  /** A usable value, loading or reloading it if due. */
  async get(
    now: () => number,
    policy: RefreshPolicy,
    timeoutMs: number,
    onError: (error: unknown) => void,
  ): Promise<T> {
    const time = now();
    if (this.#value !== undefined && time - this.#loadedAt < policy.refreshIntervalMs) {
      return this.#value;
    }
    if (this.#inflight === undefined && time - this.#attemptedAt < policy.cooldownMs) {
      return this.#usableOrThrow(now, policy, undefined);
    }
    try {
      return await this.#reload(now, timeoutMs);
    } catch (error) {
      onError(error);
      return this.#usableOrThrow(now, policy, error);
    }
  }

  /**
   * Reloads unless a load started less than `cooldownMs` ago (joining one in
   * flight). Resolves with the value afterwards, or undefined if no load ran
   * or it failed.
   */
  async reloadIfCooledDown(
    now: () => number,
    policy: RefreshPolicy,
    timeoutMs: number,
    onError: (error: unknown) => void,
  ): Promise<T | undefined> {
    if (this.#inflight === undefined && now() - this.#attemptedAt < policy.cooldownMs) {
      return undefined;
    }
    try {
      return await this.#reload(now, timeoutMs);
    } catch (error) {
      onError(error);
      return undefined;
    }
  }

  #reload(now: () => number, timeoutMs: number): Promise<T> {
    if (this.#inflight !== undefined) return this.#inflight;
    this.#attemptedAt = now();
    const load = this.load(timeoutMs).then(
      (value) => {
        this.#value = value;
        this.#loadedAt = now();
        this.#generation += 1;
        this.#lastError = undefined;
        return value;
      },
      (error: unknown) => {
        this.#lastError = error;
        throw error;
      },
    );
    this.#inflight = load;
    const clear = () => {
      if (this.#inflight === load) this.#inflight = undefined;
    };
    load.then(clear, clear);
    return load;
  }

  #usableOrThrow(now: () => number, policy: RefreshPolicy, cause: unknown): T {
    const time = now();
    if (
      this.#value !== undefined &&
      time - this.#loadedAt <= policy.refreshIntervalMs + policy.maxStaleMs
    ) {
      return this.#value;
    }
    const retryAfterMs = Math.max(0, this.#attemptedAt + policy.cooldownMs - time);
    const why = cause ?? this.#lastError;
    throw new ValueUnavailableError(
      this.#value === undefined ? 'nothing loaded yet' : 'the last good value is too old',
      Math.max(1, Math.ceil(retryAfterMs / 1000)),
      why === undefined ? undefined : { cause: why },
    );
  }
}
