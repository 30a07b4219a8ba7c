import { ConfigError, handleSafely, type WebhookHandler } from '@callgate/core';
import { nodeRequestBody, releaseUnreadBody, toWebhookRequest } from '@callgate/node';
import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';

/** Fastify's error for a Content-Type it cannot parse as a media type. */
const INVALID_MEDIA_TYPE = 'FST_ERR_CTP_INVALID_MEDIA_TYPE';

/** Options of {@link fastifyCallgate}. */
export interface FastifyCallgateOptions {
  /** The webhook to serve (`createCallWebhook(...)`). */
  webhook: WebhookHandler;
  /** The route, default `/api/calls` (Fastify syntax; under the plugin's `prefix`, if any). */
  path?: string;
  /** Body limit in bytes for this route; overrides the webhook's `limits.maxBodyBytes`. */
  maxBodyBytes?: number;
  /**
   * Called if `webhook.handle` rejects, which it is designed never to do; the
   * request is still answered with a 500.
   */
  onError?: (error: unknown) => void;
}

/**
 * Serves a callgate webhook from Fastify 5, in the plugin's own encapsulated
 * scope: there every content-type parser is replaced by one that leaves the
 * request stream alone, so no JSON parser answers 400/415 before callgate
 * authenticates, and the core reads the raw body itself, after the token
 * check, up to its limit. Every method reaches the core (which answers 405 to
 * anything but POST); its answer is sent as it is. Parsers, hooks and routes
 * of the rest of the app are not touched.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { createCallWebhook } from '@callgate/core';
 * import fastifyCallgate from '@callgate/fastify';
 *
 * const webhook = createCallWebhook({
 *   appId: process.env.BOT_APP_ID!,
 *   publicUrl: 'https://bot.contoso.com/api/calls',
 * });
 * const app = Fastify({ logger: true });
 * await app.register(fastifyCallgate, { webhook, path: '/api/calls' });
 * await app.listen({ port: 3978, host: '0.0.0.0' });
 * ```
 */
export const fastifyCallgate: FastifyPluginCallback<FastifyCallgateOptions> = (
  app,
  options,
  done,
) => {
  if (typeof options?.webhook?.handle !== 'function') {
    done(
      new ConfigError(
        'fastifyCallgate: pass { webhook } (from createCallWebhook) in the register options',
      ),
    );
    return;
  }
  const { webhook, path = '/api/calls', maxBodyBytes, onError } = options;
  const handleOptions = maxBodyBytes === undefined ? undefined : { maxBodyBytes };

  // This scope only: the body stays an unread stream until the core asks for it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, parsed) => {
    parsed(null, undefined);
  });

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    const raw = request.raw;
    const response = await handleSafely(
      webhook,
      toWebhookRequest(raw, nodeRequestBody(raw)),
      handleOptions,
      onError,
    );
    // A 401/405/413 given without reading the body must still reach the client.
    releaseUnreadBody(raw, reply.raw);
    reply.code(response.status).headers(response.headers);
    if (response.body === '') return reply.send();
    // A Buffer, because Fastify appends `; charset=utf-8` to the type of a string body.
    return reply.send(Buffer.from(response.body));
  };
  app.all(path, serve);
  // Fastify answers 415 to a malformed Content-Type (`''`, `json`) before any parser
  // runs; the core ignores the type, so such a request is the core's to answer too.
  app.setErrorHandler((error, request, reply) => {
    if ((error as { code?: unknown }).code === INVALID_MEDIA_TYPE) return serve(request, reply);
    throw error; // the app's own error handler
  });
  done();
};
