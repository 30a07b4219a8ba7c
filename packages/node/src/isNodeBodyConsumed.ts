import type { IncomingMessage } from 'node:http';

/**
 * True when someone else already read (or is reading) the request stream, so
 * waiting on it again would hang or see only part of the body.
 *
 * @example
 * ```ts
 * if (isNodeBodyConsumed(req)) console.warn('a body parser ran before the webhook');
 * ```
 */
export function isNodeBodyConsumed(req: IncomingMessage): boolean {
  return (
    req.readableEnded ||
    req.readableDidRead ||
    req.readableFlowing === true ||
    req.destroyed ||
    req.readableAborted
  );
}
