import { CallgateError } from '../errors';
import type { BodyReadOptions } from '../http/types';

/**
 * Reads a web `ReadableStream` of bytes, stopping (and cancelling the stream)
 * as soon as more than `maxBytes` bytes arrived.
 *
 * Rejects with a `CallgateError` of code `body_too_large` (413) past the
 * limit, `body_read_failed` (400) when the stream errors, and `body_timeout`
 * (408, the stream cancelled) once `options.onTimeout` calls back.
 *
 * @example
 * ```ts
 * const bytes = await readWebStream(request.body!, 1024 * 1024);
 * ```
 */
export async function readWebStream(
  stream: ReadableStream<Uint8Array>,
  maxBytes: number,
  options: BodyReadOptions = {},
): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  let timeout: CallgateError | undefined;
  // Cancelling ends the pending read (done), so the loop checks for a timeout after each read.
  options.onTimeout?.((error) => {
    timeout = error;
    reader.cancel().catch(() => {});
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (timeout !== undefined) {
        chunks.length = 0;
        throw timeout;
      }
      if (done) break;
      received += value.byteLength;
      if (received > maxBytes) {
        chunks.length = 0;
        // Tell the source to stop sending; what is still in flight is not buffered.
        reader.cancel().catch(() => {});
        throw new CallgateError(
          'body_too_large',
          `The request body is larger than the limit of ${maxBytes} bytes (maxBodyBytes).`,
          { status: 413 },
        );
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof CallgateError) throw error;
    throw new CallgateError(
      'body_read_failed',
      'The request body could not be read: the stream failed (did the client abort?).',
      { status: 400, cause: error },
    );
  } finally {
    reader.releaseLock();
  }
  return concat(chunks, received);
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
