import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleSafely, problemResponse, type WebhookHandler } from '@callgate/core';
import type { NodeAdapterOptions } from './NodeAdapterOptions';
import { nodeRequestBody } from './nodeRequestBody';
import { pathMatches } from './pathMatches';
import { releaseUnreadBody } from './releaseUnreadBody';
import { toWebhookRequest } from './toWebhookRequest';
import { writeNodeResponse } from './writeNodeResponse';

/** Options of {@link createNodeHandler}. */
export type NodeHandlerOptions = NodeAdapterOptions;

/** A node:http request listener that is also Connect-style middleware. */
export type NodeHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => Promise<void>;

/**
 * Serves a callgate webhook from `node:http` (or any Connect-style stack).
 *
 * It only translates: the request goes to `webhook.handle` as plain data and
 * its answer (202, 204, 302, 400, 401, 405, 413, ...) is written back as it
 * is. The body is read only when the core asks for it, up to the limit; a body
 * that a Connect body parser already produced is used as it is.
 *
 * With `path`, other paths go to `next()` when there is one, else get a 404.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createCallsClient } from '@callgate/calls';
 * import { createCallWebhook } from '@callgate/core';
 * import { createNodeHandler } from '@callgate/node';
 *
 * const webhook = createCallWebhook({
 *   appId: process.env.BOT_APP_ID!,
 *   publicUrl: 'https://bot.example.com/api/calls', // what webhook.callbackUri() returns
 * });
 * const calls = createCallsClient({ credential, webhook }); // @callgate/calls
 * webhook.on('incomingCall', (event) => calls.answer(event.callId, { acceptedModalities: ['audio'] }));
 * createServer(createNodeHandler(webhook, { path: '/api/calls' })).listen(3978);
 * ```
 */
export function createNodeHandler(
  webhook: WebhookHandler,
  options: NodeHandlerOptions = {},
): NodeHandler {
  const { path, maxBodyBytes, onError } = options;
  const handleOptions = maxBodyBytes === undefined ? undefined : { maxBodyBytes };

  return async (req, res, next) => {
    const url = (req as { originalUrl?: string }).originalUrl ?? req.url;
    if (path !== undefined && !pathMatches(url, path)) {
      if (next) {
        next();
        return;
      }
      releaseUnreadBody(req, res);
      writeNodeResponse(
        res,
        problemResponse(404, 'not_found', 'No webhook is served at this path.'),
      );
      return;
    }

    const response = await handleSafely(
      webhook,
      toWebhookRequest(req, nodeRequestBody(req)),
      handleOptions,
      onError,
    );
    releaseUnreadBody(req, res);
    writeNodeResponse(res, response);
  };
}
