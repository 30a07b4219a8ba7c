import type { IncomingMessage } from 'node:http';
import { type BodyReadOptions, CallgateError } from '@callgate/core';
import { isNodeBodyConsumed } from './isNodeBodyConsumed';

/**
 * Reads the body of a node:http request, stopping as soon as more than
 * `maxBytes` bytes arrived: the {@link BodyReader} every Node adapter hands to
 * the core through `deferredBody`.
 *
 * Rejects with a `CallgateError` of code `body_too_large` (413) past the limit
 * (it stops reading; nothing more is buffered), and `body_read_failed` when the
 * client aborts, the stream errors (400), or the stream was already consumed by
 * an earlier middleware (also 400; the stream is never awaited), and
 * `body_timeout` (408; it stops reading) when `options.onTimeout` calls back:
 * the core does when the body outlasts `limits.bodyTimeout`.
 *
 * @example
 * ```ts
 * import { deferredBody } from '@callgate/core';
 * import { readNodeBody, toWebhookRequest } from '@callgate/node';
 *
 * const body = deferredBody((maxBytes, options) => readNodeBody(req, maxBytes, options));
 * const response = await webhook.handle(toWebhookRequest(req, body));
 * ```
 */
export function readNodeBody(
  req: IncomingMessage,
  maxBytes: number,
  options: BodyReadOptions = {},
): Promise<Uint8Array> {
  if (req.readableAborted || (req.destroyed && !req.readableEnded && !req.readableDidRead)) {
    // The client went away before the body was read: no parser is to blame.
    return Promise.reject(
      new CallgateError(
        'body_read_failed',
        'The client disconnected before the request body could be read.',
        { status: 400 },
      ),
    );
  }
  if (isNodeBodyConsumed(req)) {
    return Promise.reject(
      new CallgateError(
        'body_read_failed',
        'The request body stream was already consumed before the webhook could read it: a body ' +
          'parser or middleware read it without leaving req.body. Mount the webhook before it, ' +
          'or use a parser that sets req.body.',
        { status: 400 },
      ),
    );
  }
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;

    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const fail = (error: CallgateError) => {
      cleanup();
      chunks.length = 0;
      reject(error);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      received += bytes.byteLength;
      if (received > maxBytes) {
        // Stop pulling from the socket: whatever else the client sends is not buffered here.
        req.pause();
        fail(
          new CallgateError(
            'body_too_large',
            `The request body is larger than the limit of ${maxBytes} bytes (maxBodyBytes).`,
            { status: 413 },
          ),
        );
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received));
    };
    const onError = (cause: unknown) => {
      fail(
        new CallgateError(
          'body_read_failed',
          'The request body could not be read: the stream failed (did the client abort?).',
          { status: 400, cause },
        ),
      );
    };
    const onClose = () => {
      if (!req.readableEnded) {
        fail(
          new CallgateError(
            'body_read_failed',
            'The request body could not be read: the client closed the connection mid-body.',
            { status: 400 },
          ),
        );
      }
    };

    // Stop pulling from a client that trickles: the adapter answers 408 and drops the rest.
    options.onTimeout?.((error) => {
      req.pause();
      fail(error);
    });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
    req.resume();
  });
}
