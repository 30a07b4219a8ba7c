import type { IncomingMessage } from 'node:http';
import type { WebhookRequest } from '@callgate/core';

/**
 * The core's plain request for a node:http request and a body (raw bytes or
 * text, a value a body parser produced, or a `deferredBody`).
 *
 * The URL is the one the client sent: Express/Connect's `originalUrl` when a
 * router rewrote `req.url` for a mounted app.
 *
 * @example
 * ```ts
 * const response = await webhook.handle(toWebhookRequest(req, req.body));
 * ```
 */
export function toWebhookRequest(
  req: IncomingMessage & { originalUrl?: string },
  body: unknown,
): WebhookRequest {
  return {
    method: req.method ?? 'GET',
    url: req.originalUrl ?? req.url ?? '/',
    headers: req.headers,
    body,
  };
}
