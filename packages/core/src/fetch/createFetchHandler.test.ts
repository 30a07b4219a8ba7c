import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { releaseUnreadBody } from '../../../node/src/releaseUnreadBody';
import { describeAdapterBehaviour } from '../../../node/test/support/adapterBehaviour';
import { createFakeWebhook, GOOD_TOKEN } from '../../../node/test/support/fakeWebhook';
import { listen } from '../../../node/test/support/http';
import { describeWithRealCore } from '../../../node/test/support/realCore';
import {
  describeWebhookTable,
  graphBody,
  legacyBody,
  readByWebhook,
} from '../../../node/test/support/webhookTable';
import { CallgateError } from '../errors';
import type { WebhookHandler } from '../webhook/types';
import {
  createFetchHandler,
  type FetchHandler,
  type FetchHandlerOptions,
} from './createFetchHandler';
import { readWebStream } from './readWebStream';

/**
 * A node:http request as a web stream that honours backpressure, and can be
 * detached once the response is decided so the rest is drained by
 * `releaseUnreadBody` (like Hono's node server or Next.js do their own way).
 */
function toWebStream(req: IncomingMessage) {
  let settled = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (settled) return;
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on('end', () => {
        if (!settled) controller.close();
        settled = true;
      });
      req.on('error', (error) => {
        if (!settled) controller.error(error);
        settled = true;
      });
      req.on('close', () => {
        if (!settled && !req.readableEnded) controller.error(new Error('client aborted'));
        settled = true;
      });
      req.pause();
    },
    pull() {
      req.resume();
    },
    cancel() {
      settled = true;
      req.pause();
    },
  });
  return {
    stream,
    detach() {
      settled = true;
    },
  };
}

/** Serves a Fetch handler from node:http. */
function bridge(handler: FetchHandler) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      for (const item of Array.isArray(value) ? value : [value ?? '']) headers.append(name, item);
    }
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const body = hasBody ? toWebStream(req) : undefined;
    const request = new Request(`http://${req.headers.host}${req.url}`, {
      method: req.method ?? 'GET',
      headers,
      ...(body ? { body: body.stream, duplex: 'half' } : {}),
    });
    const response = await handler(request);
    body?.detach();
    releaseUnreadBody(req, res);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}

const startBridged = (webhook: WebhookHandler, options?: FetchHandlerOptions) =>
  listen(bridge(createFetchHandler(webhook, options)));

describeWebhookTable([{ name: 'fetch handler', start: startBridged, expectedBody: readByWebhook }]);

describeAdapterBehaviour('fetch handler', startBridged);

describeWithRealCore([{ name: 'fetch handler', start: startBridged }]);

const post = (body: BodyInit | null, init: RequestInit = {}) =>
  new Request('https://bot.example/api/calls?p=1', {
    method: 'POST',
    headers: { authorization: GOOD_TOKEN, 'content-type': 'application/json' },
    body,
    ...init,
  });

describe('createFetchHandler', () => {
  it('hands the core the method, path with query, lower-case headers and a deferred body', async () => {
    const fake = createFakeWebhook();
    const response = await createFetchHandler(fake)(
      post(graphBody, {
        headers: { Authorization: GOOD_TOKEN, 'X-Test-Id': 'a', 'X-Multi': 'one' },
      }),
    );
    expect(response.status).toBe(202);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      url: '/api/calls?p=1',
      headers: { authorization: GOOD_TOKEN, 'x-test-id': 'a', 'x-multi': 'one' },
    });
    expect(fake.bodies.get('a')).toEqual({ source: 'reader', text: graphBody });
  });

  it('answers 204 and 302 as the core says, with a null body where the status has none', async () => {
    const fake = createFakeWebhook();
    const handle = createFetchHandler(fake);
    const legacy = await handle(post(legacyBody));
    expect([legacy.status, legacy.body]).toEqual([204, null]);
    const moved = await handle(
      post(graphBody, {
        headers: { authorization: GOOD_TOKEN, 'x-test-redirect': 'https://eu.bot.example/' },
      }),
    );
    expect([moved.status, moved.headers.get('location')]).toEqual([302, 'https://eu.bot.example/']);
  });

  it('stops reading a stream past the limit and cancels it', async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(256));
      },
      cancel() {
        cancelled = true;
      },
    });
    const fake = createFakeWebhook(1024);
    const response = await createFetchHandler(fake)(
      post(endless, { duplex: 'half' } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect(fake.readerErrors.map((e) => e.code)).toEqual(['body_too_large']);
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(10);
  });

  it('cancels a stream that stalls past the body timeout, and rejects body_timeout', async () => {
    let cancelled = false;
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"value":'));
      },
      cancel() {
        cancelled = true;
      },
    });
    const timeout = new CallgateError('body_timeout', 'too slow', { status: 408 });
    const error = await readWebStream(stalled, 1024, {
      onTimeout: (stop) => setTimeout(() => stop(timeout), 50),
    }).catch((caught: CallgateError) => caught);
    expect(error).toMatchObject({ code: 'body_timeout', status: 408 });
    expect(cancelled).toBe(true);
  });

  it('turns a failing stream into body_read_failed', async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"value":'));
        controller.error(new Error('connection reset'));
      },
    });
    const fake = createFakeWebhook();
    const response = await createFetchHandler(fake)(
      post(failing, { duplex: 'half' } as RequestInit),
    );
    expect(response.status).toBe(400);
    expect(fake.readerErrors.map((e) => e.code)).toEqual(['body_read_failed']);
  });

  it('never waits on a body that was already read', async () => {
    const fake = createFakeWebhook();
    const request = post(graphBody);
    await request.text();
    const response = await createFetchHandler(fake)(request);
    expect(response.status).toBe(400);
    expect(fake.readerErrors[0]?.message).toMatch(/already read/);
  });

  it('path: serves exactly that path; anything else is a 404 problem', async () => {
    const fake = createFakeWebhook();
    const handle = createFetchHandler(fake, { path: '/api/calls' });
    expect((await handle(post(graphBody))).status).toBe(202);
    const other = await handle(new Request('https://bot.example/api/calls/x', { method: 'POST' }));
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    expect(await other.json()).toMatchObject({ status: 404, code: 'not_found' });
    expect(fake.requests).toHaveLength(1);
  });

  it('maxBodyBytes: passed to the core as the limit', async () => {
    const fake = createFakeWebhook(1024);
    const response = await createFetchHandler(fake, { maxBodyBytes: 8 })(post(graphBody));
    expect(response.status).toBe(413);
    expect(fake.limits).toEqual([8]);
  });

  it('waitUntil: a creation-time option the core receives with every request (Workers: per request)', async () => {
    const work = Promise.resolve('handlers done');
    const seen: unknown[] = [];
    const received: (((work: Promise<unknown>) => void) | undefined)[] = [];
    const webhook: WebhookHandler = {
      maxBodyBytes: 1024,
      async handle(_request, options) {
        received.push(options?.waitUntil);
        options?.waitUntil?.(work);
        return { status: 202, headers: {}, body: '' };
      },
    };
    const waitUntil = (promise: Promise<unknown>) => seen.push(promise);
    const handle = createFetchHandler(webhook, { waitUntil });
    // A runtime's own second and third arguments (Bun's server, Deno's info, Workers' env) are not read.
    const loose = handle as unknown as (request: Request, ...rest: unknown[]) => Promise<Response>;
    expect((await loose(post(graphBody), { server: true }, { waitUntil: 'not me' })).status).toBe(
      202,
    );
    expect(received).toEqual([waitUntil]);
    expect(seen).toEqual([work]);
    // Without the option the core gets none.
    await createFetchHandler(webhook)(post(graphBody));
    expect(received[1]).toBeUndefined();
  });

  it('onError: a webhook that rejects is reported and answered with 500', async () => {
    const failure = new Error('boom');
    const reported: unknown[] = [];
    const handle = createFetchHandler(
      { maxBodyBytes: 1024, handle: () => Promise.reject(failure) },
      {
        onError: (error) => {
          reported.push(error);
          throw new Error('the reporter fails too');
        },
      },
    );
    const response = await handle(post(graphBody));
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: 'internal_error' });
    expect(reported).toEqual([failure]);
  });
});
