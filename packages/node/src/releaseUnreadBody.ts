import type { IncomingMessage, ServerResponse } from 'node:http';

/** Bytes of an unread body drained after the response before the connection is dropped. */
const DRAIN_LIMIT_BYTES = 1024 * 1024;
/** Time allowed to drain an unread body after the response before the connection is dropped. */
const DRAIN_TIMEOUT_MS = 5_000;

/**
 * Makes sure a response the core gave without reading the body (401, 405, 413)
 * reaches the client, and that a huge or never-ending body cannot hold the
 * connection. Call it before writing the response.
 *
 * Closing a socket that still has unread input makes TCP send a reset, which
 * can destroy the response before the client reads it. So the rest of the body
 * is drained (discarded), but only up to a bound in bytes and time; past it,
 * and once the response has finished, the socket is destroyed. A body that
 * ends within the bound keeps the connection alive for the next request.
 * (Node's own discarding after the response is unbounded: it would read a
 * never-ending upload forever.)
 *
 * @example
 * ```ts
 * releaseUnreadBody(req, res);
 * writeNodeResponse(res, response);
 * ```
 */
export function releaseUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  if (req.readableEnded || req.destroyed) return;
  let drained = 0;
  const stop = () => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', stop);
    req.off('close', stop);
    req.off('error', stop);
  };
  const drop = () => {
    stop();
    if (res.writableFinished) req.socket?.destroy();
    else res.once('finish', () => req.socket?.destroy());
  };
  const onData = (chunk: Buffer | string) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT_BYTES) drop();
  };
  const timer = setTimeout(drop, DRAIN_TIMEOUT_MS);
  timer.unref();
  req.on('data', onData);
  req.on('end', stop);
  req.on('close', stop);
  req.on('error', stop);
  req.resume();
}
