import { CallgateError } from '../errors';
import type { BodyReader } from './types';

/**
 * Reads a deferred body with `read`, but gives up after `timeoutMs`: the
 * promise rejects with a `CallgateError` of code `body_timeout` (408) on time,
 * whatever the reader does, and the reader's `onTimeout` listeners are called
 * so it stops pulling from the client. What the reader settles with afterwards
 * is ignored.
 *
 * One timer per body and no `AbortSignal`: creating and listening to a signal
 * costs several microseconds per request, a timer a fraction of one.
 *
 * @example
 * ```ts
 * const body = await readBodyWithin((max, { onTimeout }) => readStream(req, max, onTimeout), 1 << 20, 30_000);
 * ```
 */
export function readBodyWithin(
  read: BodyReader,
  maxBytes: number,
  timeoutMs: number,
): Promise<string | Uint8Array> {
  return new Promise((resolve, reject) => {
    const stops: Array<(error: CallgateError) => void> = [];
    const timer = setTimeout(() => {
      const error = new CallgateError(
        'body_timeout',
        `The request body did not arrive within ${timeoutMs / 1000} s (limits.bodyTimeout).`,
        { status: 408 },
      );
      reject(error);
      for (const stop of stops) {
        try {
          stop(error);
        } catch {
          // A reader that fails to stop is still answered 408.
        }
      }
    }, timeoutMs);
    const settle =
      <T>(finish: (value: T) => void) =>
      (value: T) => {
        clearTimeout(timer);
        finish(value);
      };
    try {
      Promise.resolve(read(maxBytes, { onTimeout: (stop) => void stops.push(stop) })).then(
        settle(resolve),
        settle(reject),
      );
    } catch (error) {
      settle(reject)(error);
    }
  });
}
