import { CallgateError } from '../errors';
import type { BodyReader } from './types';

/**
 * Reads a deferred body with `read`, but gives up after `timeoutMs`: the
 * promise rejects with a `CallgateError` of code `body_timeout` (408) on time,
 * whatever the reader does, and the signal passed to the reader aborts so it
 * stops pulling from the client. What the reader settles with afterwards is
 * ignored.
 *
 * @example
 * ```ts
 * const body = await readBodyWithin((max, { signal }) => readStream(req, max, signal), 1 << 20, 30_000);
 * ```
 */
export function readBodyWithin(
  read: BodyReader,
  maxBytes: number,
  timeoutMs: number,
): Promise<string | Uint8Array> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new CallgateError(
        'body_timeout',
        `The request body did not arrive within ${timeoutMs / 1000} s (limits.bodyTimeout).`,
        { status: 408 },
      );
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const reading = new Promise<string | Uint8Array>((resolve) =>
    resolve(read(maxBytes, { signal: controller.signal })),
  );
  // Settling after the timeout is not an unhandled rejection.
  reading.catch(() => {});
  return Promise.race([reading, timeout]).finally(() => clearTimeout(timer));
}
