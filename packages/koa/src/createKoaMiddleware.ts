import { handleSafely, type WebhookHandler, type WebhookResponse } from '@callgate/core';
import {
  type NodeAdapterOptions,
  pathMatches,
  releaseUnreadBody,
  toWebhookRequest,
} from '@callgate/node';
import type { Context, Middleware } from 'koa';
import { koaRequestBody, type ParsedKoaRequest } from './koaRequestBody';

/** Options of {@link createKoaMiddleware}. */
export type KoaMiddlewareOptions = NodeAdapterOptions;

/**
 * Serves a callgate webhook from Koa 2 or 3.
 *
 * It only translates: the request goes to `webhook.handle` as plain data and
 * its answer (202, 204, 302, 400, 401, 405, 413, ...) is set on `ctx` as it is
 * (status, headers, body; Koa writes the response). It works with or without
 * a body parser in front (`@koa/bodyparser`, `koa-body`); with none, the body
 * is read only when the core asks for it (after the token check), up to the
 * limit.
 *
 * With `path` (matched against `ctx.originalUrl`, query string ignored), other
 * paths go to `next()`.
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { createCallsClient } from '@callgate/calls';
 * import { createCallWebhook } from '@callgate/core';
 * import { createKoaMiddleware } from '@callgate/koa';
 *
 * const webhook = createCallWebhook({
 *   appId: process.env.BOT_APP_ID!,
 *   publicUrl: 'https://bot.example.com/api/calls', // what webhook.callbackUri() returns
 * });
 * const calls = createCallsClient({ credential, webhook }); // @callgate/calls
 * webhook.on('incomingCall', (event) => calls.answer(event.callId, { acceptedModalities: ['audio'] }));
 * const app = new Koa();
 * app.use(createKoaMiddleware(webhook, { path: '/api/calls' }));
 * app.listen(3978);
 * ```
 */
export function createKoaMiddleware(
  webhook: WebhookHandler,
  options: KoaMiddlewareOptions = {},
): Middleware {
  const { path, maxBodyBytes, onError } = options;
  const handleOptions = maxBodyBytes === undefined ? undefined : { maxBodyBytes };

  return async (ctx, next) => {
    if (path !== undefined && !pathMatches(ctx.originalUrl, path)) return next();

    const body = koaRequestBody(ctx.req, ctx.request as ParsedKoaRequest);
    const response = await handleSafely(
      webhook,
      { ...toWebhookRequest(ctx.req, body), url: ctx.originalUrl },
      handleOptions,
      onError,
    );
    releaseUnreadBody(ctx.req, ctx.res);
    setResponse(ctx, response);
  };
}

function setResponse(ctx: Context, response: WebhookResponse): void {
  ctx.status = response.status;
  // A string body, even empty: `null` would make Koa turn a 202 into a 204.
  ctx.body = response.body;
  const names = Object.keys(response.headers).map((name) => name.toLowerCase());
  if (!names.includes('content-type')) ctx.remove('Content-Type');
  ctx.set(response.headers);
}
