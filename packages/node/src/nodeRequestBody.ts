import type { IncomingMessage } from 'node:http';
import { deferredBody } from '@callgate/core';
import { isNodeBodyConsumed } from './isNodeBodyConsumed';
import { readNodeBody } from './readNodeBody';

/** What Connect/Express body parsers leave on the request. */
export interface ParsedNodeRequest extends IncomingMessage {
  /** The parsed body (object, Buffer from `raw()`, string from `text()`). */
  body?: unknown;
  /** Set to true by body-parser once it has read the stream. */
  _body?: boolean;
}

/**
 * The raw (decompressed) bytes or text in `req.rawBody`, when the app keeps
 * them, e.g. with `express.json({ verify: (req, _res, buf) => { req.rawBody = buf; } })`:
 * exact to measure against the limit, and the core parses it once. Read
 * loosely: some parsers' typings declare `rawBody` on every IncomingMessage.
 */
function rawBodyOf(req: IncomingMessage): string | Uint8Array | undefined {
  const raw: unknown = (req as { rawBody?: unknown }).rawBody;
  return typeof raw === 'string' || raw instanceof Uint8Array ? raw : undefined;
}

/**
 * The body to hand to the core for a node:http request that a Connect-style
 * body parser may or may not have read: what the parser left when it read the
 * stream (the raw `req.rawBody` when the app kept it, else `req.body`), else a
 * `deferredBody` the core reads on demand.
 *
 * The stream wins over `req.body` while nobody read it: Express 4's
 * `express.json()` sets `req.body = {}` even for a content type it skips.
 * A consumed stream is never awaited.
 *
 * @example
 * ```ts
 * const response = await webhook.handle(toWebhookRequest(req, nodeRequestBody(req)));
 * ```
 */
export function nodeRequestBody(req: ParsedNodeRequest): unknown {
  if (req._body === true) return rawBodyOf(req) ?? req.body;
  if (!isNodeBodyConsumed(req))
    return deferredBody((maxBytes, options) => readNodeBody(req, maxBytes, options));
  if (req.body !== undefined) return rawBodyOf(req) ?? req.body;
  // Nobody left a body: the reader rejects at once with a message naming the cause.
  return deferredBody((maxBytes, options) => readNodeBody(req, maxBytes, options));
}
