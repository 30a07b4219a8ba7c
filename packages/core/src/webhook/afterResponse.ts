/** Work waiting for the next timer turn, in the order it was queued. */
let queued: Array<() => void> = [];

/**
 * Runs `task` on a later timer turn, after the adapter has written the
 * response it is about to write (ack-first dispatch). One `setTimeout(0)`
 * serves every task queued before it fires, so a busy webhook pays for one
 * timer per turn of the event loop rather than one per request. Tasks catch
 * their own failures (dispatch does); one that throws anyway is written to
 * the console and does not stop the others.
 *
 * @example
 * ```ts
 * afterResponse(() => runHandlers(accepted));
 * return emptyResponse(202);
 * ```
 */
export function afterResponse(task: () => void): void {
  queued.push(task);
  if (queued.length === 1) setTimeout(runQueued, 0);
}

function runQueued(): void {
  const tasks = queued;
  queued = [];
  for (const task of tasks) {
    try {
      task();
    } catch (error) {
      console.error('callgate: a task queued after the response threw', error);
    }
  }
}
