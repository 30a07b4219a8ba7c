import { handleSafely } from '../webhook/handleSafely';
import { CallgateError } from '../errors';
import {
  type BodyReadOptions,
  deferredBody,
  type HeaderMap,
  type WebhookResponse,
} from '../http/types';
import { problemResponse } from '../webhook/problemResponse';
import type { HandleOptions, WebhookHandler } from '../webhook/types';
import { readWebStream } from './readWebStream';

/** Options of {@link createFetchHandler}. */
export interface FetchHandlerOptions {
  /**
   * Serve only this exact path (the query string is ignored), e.g. `/api/calls`;
   * other paths get a 404.
   */
  path?: string;
  /** Body limit in bytes for this handler; overrides the webhook's `limits.maxBodyBytes`. */
  maxBodyBytes?: number;
  /**
   * Called if `webhook.handle` rejects, which it is designed never to do; the
   * request is still answered with a 500.
   */
  onError?: (error: unknown) => void;
  /**
   * Receives the promise of the handlers that run after an ack-first 202, for
   * runtimes that stop work once the response is sent: Vercel's / Next.js'
   * `waitUntil` from `@vercel/functions`, or, in Cloudflare Workers, the
   * request's `ctx.waitUntil` (create the handler per request there; see the
   * example). A creation-time option on purpose: Bun (`(req, server)`), Deno
   * (`(req, info)`) and Workers (`(req, env, ctx)`) each pass a different
   * second argument, so the handler reads none.
   */
  waitUntil?: (work: Promise<unknown>) => void;
}

/** A Fetch API request handler: `Request` in, `Response` out. */
export type FetchHandler = (request: Request) => Promise<Response>;

const nullBodyStatuses = new Set([101, 204, 205, 304]);

/**
 * Serves a callgate webhook wherever the Fetch API is the server interface:
 * Hono, Next.js route handlers, Bun, Deno, Cloudflare Workers.
 *
 * It only translates: the request goes to `webhook.handle` as plain data and
 * its answer (202, 204, 302, 400, 401, 405, 413, ...) comes back as a
 * `Response`. The body stream is read only when the core asks for it, and
 * reading stops (the stream is cancelled) past the limit.
 *
 * @example
 * ```ts
 * // app/api/calls/route.ts (Next.js): handlers run before the function is frozen
 * // (the whole file: examples/src/nextRoute.ts)
 * import { createCallWebhook, createFetchHandler } from '@callgate/core';
 *
 * const webhook = createCallWebhook({
 *   appId: process.env.BOT_APP_ID!,
 *   publicUrl: 'https://bot.example.com/api/calls', // what webhook.callbackUri() returns
 *   awaitHandlers: true,
 * });
 * webhook.on('incomingCall', async (event) => {
 *   await calls.answer(event.callId, { acceptedModalities: ['audio'] }); // createCallsClient({ credential, webhook })
 * });
 * export const POST = createFetchHandler(webhook);
 * ```
 *
 * @example
 * ```ts
 * // Hono, Bun, Deno: one handler for the process (extra arguments are ignored)
 * const handle = createFetchHandler(webhook, { path: '/api/calls' });
 * app.all('/api/calls', (c) => handle(c.req.raw)); // Hono: every method, so a GET gets 405
 * Bun.serve({ fetch: handle });
 * Deno.serve(handle);
 * // Cloudflare Workers: keep the handlers alive after the 202 with the request's ctx
 * export default {
 *   fetch: (request: Request, env: unknown, ctx: { waitUntil(work: Promise<unknown>): void }) =>
 *     createFetchHandler(webhook, { waitUntil: (work) => ctx.waitUntil(work) })(request),
 * };
 * ```
 */
export function createFetchHandler(
  webhook: WebhookHandler,
  options: FetchHandlerOptions = {},
): FetchHandler {
  const { path, maxBodyBytes, onError, waitUntil } = options;
  const handleOptions: HandleOptions = {};
  if (maxBodyBytes !== undefined) handleOptions.maxBodyBytes = maxBodyBytes;
  if (waitUntil !== undefined) handleOptions.waitUntil = waitUntil;

  return async (request) => {
    const url = new URL(request.url);
    if (path !== undefined && url.pathname !== path) {
      return toResponse(problemResponse(404, 'not_found', 'No webhook is served at this path.'));
    }
    const response = await handleSafely(
      webhook,
      {
        method: request.method,
        url: url.pathname + url.search,
        headers: headersOf(request.headers),
        body: deferredBody((maxBytes, readOptions) =>
          readRequestBody(request, maxBytes, readOptions),
        ),
      },
      handleOptions,
      onError,
    );
    return toResponse(response);
  };
}

function readRequestBody(
  request: Request,
  maxBytes: number,
  options: BodyReadOptions | undefined,
): Promise<Uint8Array> {
  if (request.bodyUsed) {
    return Promise.reject(
      new CallgateError(
        'body_read_failed',
        'The request body was already read before the webhook could read it: pass the ' +
          'Request to the handler before reading its body (or pass request.clone()).',
        { status: 400 },
      ),
    );
  }
  if (request.body === null) return Promise.resolve(new Uint8Array(0));
  return readWebStream(request.body, maxBytes, options);
}

function headersOf(headers: Headers): HeaderMap {
  const map: HeaderMap = {};
  headers.forEach((value, name) => {
    map[name] = value;
  });
  return map;
}

function toResponse(response: WebhookResponse): Response {
  const body = nullBodyStatuses.has(response.status) ? null : response.body;
  return new Response(body, { status: response.status, headers: response.headers });
}
