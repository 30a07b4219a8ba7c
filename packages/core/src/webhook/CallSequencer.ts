/**
 * Runs tasks one at a time per key (a call id), in the order they were
 * queued; tasks of different keys run concurrently. A task that fails does
 * not stop the ones queued after it. Memory is one entry per key with queued
 * work: a key's entry goes as soon as its queue drains.
 */
export class CallSequencer {
  readonly #tails = new Map<string, Promise<void>>();

  /** Keys with work queued or running (for tests and diagnostics). */
  get size(): number {
    return this.#tails.size;
  }

  /**
   * Queues `task` behind every task queued earlier for `key`; resolves when
   * it has run. Without a key (a notification that names no call) the task
   * runs on its own.
   */
  run(key: string | undefined, task: () => Promise<void>): Promise<void> {
    if (key === undefined) return task().catch(() => undefined);
    const previous = this.#tails.get(key);
    const current: Promise<void> = (previous ?? Promise.resolve())
      .then(task)
      .catch(() => undefined)
      .finally(() => {
        if (this.#tails.get(key) === current) this.#tails.delete(key);
      });
    this.#tails.set(key, current);
    return current;
  }
}
