import type { IncomingMessage } from 'node:http';
import { deferredBody } from '@callgate/core';
import { isNodeBodyConsumed, readNodeBody } from '@callgate/node';

/** Where koa-body (before v7) kept the raw text with `includeUnparsed`. */
const unparsedBody = Symbol.for('unparsedBody');

/** What Koa body parsers leave on `ctx.request`. */
export interface ParsedKoaRequest {
  /** Parsed body (`@koa/bodyparser`, `koa-body`). */
  body?: unknown;
  /** Raw text (`@koa/bodyparser`; `koa-body` with `includeUnparsed`). */
  rawBody?: unknown;
}

/**
 * The body to hand to the core for a Koa request that a body parser may or
 * may not have read: while nobody read the stream, a `deferredBody` the core
 * reads on demand (parsers set `ctx.request.body = {}` for content types they
 * skip, without reading); else the raw text the parser kept, else what it
 * parsed. A consumed stream is never awaited.
 *
 * @example
 * ```ts
 * const body = koaRequestBody(ctx.req, ctx.request);
 * ```
 */
export function koaRequestBody(req: IncomingMessage, request: ParsedKoaRequest): unknown {
  if (!isNodeBodyConsumed(req))
    return deferredBody((maxBytes, options) => readNodeBody(req, maxBytes, options));
  if (typeof request.rawBody === 'string') return request.rawBody;
  const parsed = request.body;
  if (typeof parsed === 'object' && parsed !== null && unparsedBody in parsed) {
    const raw = (parsed as Record<symbol, unknown>)[unparsedBody];
    if (typeof raw === 'string') return raw;
  }
  if (parsed !== undefined) return parsed;
  // Nobody left a body: the reader rejects at once with a message naming the cause.
  return deferredBody((maxBytes, options) => readNodeBody(req, maxBytes, options));
}
