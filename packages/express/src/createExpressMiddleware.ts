import type { WebhookHandler } from '@callgate/core';
import { createNodeHandler, type NodeAdapterOptions } from '@callgate/node';
import type { RequestHandler } from 'express';

/** Options of {@link createExpressMiddleware}. */
export type ExpressMiddlewareOptions = NodeAdapterOptions;

/**
 * Serves a callgate webhook from Express 4 or 5.
 *
 * It only translates: the request goes to `webhook.handle` as plain data and
 * its answer (202, 204, 302, 400, 401, 405, 413, ...) is written back as it
 * is. It works with or without a body parser in front: what `express.json()`,
 * `express.raw()` or `express.text()` left in `req.body` is used as it is;
 * with no parser the body is read only when the core asks for it (after the
 * token check), up to the limit.
 *
 * With `path` (matched against `req.originalUrl`, query string ignored), other
 * paths go to `next()`.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createCallsClient } from '@callgate/calls';
 * import { createCallWebhook } from '@callgate/core';
 * import { createExpressMiddleware } from '@callgate/express';
 *
 * const webhook = createCallWebhook({
 *   appId: process.env.BOT_APP_ID!,
 *   publicUrl: 'https://bot.example.com/api/calls', // what webhook.callbackUri() returns
 * });
 * const calls = createCallsClient({ credential, webhook }); // @callgate/calls
 * webhook.on('incomingCall', (event) => calls.answer(event.callId, { acceptedModalities: ['audio'] }));
 * const app = express();
 * app.all('/api/calls', createExpressMiddleware(webhook)); // every method: a GET gets 405
 * app.listen(3978);
 * ```
 *
 * @example
 * ```ts
 * // Behind a global parser, as one middleware for the whole app. The parser's own
 * // limit wins (express.json() refuses over 100 kB by default): raise it.
 * app.use(express.json({ limit: '1mb' }));
 * app.use(createExpressMiddleware(webhook, { path: '/api/calls', maxBodyBytes: 256 * 1024 }));
 * ```
 */
export function createExpressMiddleware(
  webhook: WebhookHandler,
  options: ExpressMiddlewareOptions = {},
): RequestHandler {
  const handle = createNodeHandler(webhook, options);
  return (req, res, next) => {
    // The node handler never rejects; Express 4 would not catch a rejection anyway.
    void handle(req, res, next);
  };
}
