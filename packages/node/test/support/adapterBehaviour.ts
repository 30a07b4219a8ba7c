import { Agent } from 'node:http';
import { createCallWebhook, type WebhookHandler } from '@callgate/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFakeWebhook, type FakeWebhook, GOOD_TOKEN } from './fakeWebhook';
import { BOT_APP_ID, createMemoryIssuer } from '../../../core/test/support/memoryIssuer';
import { send, sendEndlessly, sendThenDisconnect, sendTrickled, type TestServer } from './http';
import { graphBody, legacyBody, type StartAdapter } from './webhookTable';

const jsonType = { 'content-type': 'application/json' };
const auth = { authorization: GOOD_TOKEN, ...jsonType };
const MIB = 1024 * 1024;
/**
 * Bytes a server may have pulled off a socket before answering without reading
 * the body: the kernel and Node read ahead in chunks of up to 64 KiB, and a
 * paused request still holds its 16 KiB buffer. An adapter that reads the
 * body (or far past its 1 KiB limit) reads megabytes here.
 */
const SOCKET_SLACK = 512 * 1024;

/**
 * How an adapter behaves on the wire when no body parser ran: keep-alive,
 * aborted and chunked uploads, bodies over the limit, concurrency, `path`,
 * `maxBodyBytes`, `onError`.
 */
export function describeAdapterBehaviour(name: string, start: StartAdapter): void {
  describe(`${name}: on the wire`, () => {
    let fake: FakeWebhook;
    let server: TestServer;
    beforeAll(async () => {
      fake = createFakeWebhook(1024);
      server = await start(fake);
    });
    afterAll(() => server.close());

    it('serves several requests over one kept-alive connection, read or not', async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const before = server.connections();
      try {
        const statuses: number[] = [];
        for (const headers of [auth, { ...auth, authorization: 'Bearer bad' }, auth]) {
          for (const body of [graphBody, legacyBody]) {
            statuses.push((await send(server.port, { headers, body, agent })).status);
          }
        }
        statuses.push((await send(server.port, { method: 'GET', agent })).status);
        expect(statuses).toEqual([202, 204, 401, 401, 202, 204, 405]);
        expect(server.connections() - before).toBe(1);
      } finally {
        agent.destroy();
      }
    });

    it('reads a chunked body (no Content-Length)', async () => {
      const half = graphBody.length >> 1;
      const response = await send(server.port, {
        headers: { ...auth, 'x-test-id': 'chunked' },
        chunks: [graphBody.slice(0, half), graphBody.slice(half)],
      });
      expect(response.status).toBe(202);
      expect(fake.bodies.get('chunked')).toEqual({ source: 'reader', text: graphBody });
    });

    it('answers 413 to a chunked body that grows past the limit, and the client gets it', async () => {
      const errors = fake.readerErrors.length;
      const response = await send(server.port, {
        headers: auth,
        chunks: ['{"value":[', 'x'.repeat(700), 'x'.repeat(700), 'x'.repeat(700), ']}'],
      });
      expect(response.status).toBe(413);
      expect(fake.readerErrors.slice(errors).map((e) => e.code)).toEqual(['body_too_large']);
    });

    it('answers 413 to a never-ending chunked body without buffering it', async () => {
      const response = await sendEndlessly(server.port, { headers: auth });
      expect(response.status).toBe(413);
      expect(fake.readerErrors.at(-1)?.code).toBe('body_too_large');
      // The limit is 1 KiB: the socket was read little past it, not megabytes.
      expect(server.bytesReadBeforeLastAnswer()).toBeLessThan(SOCKET_SLACK);
    });

    it('answers 413 from the Content-Length alone while the body is still coming', async () => {
      const readerCalls = fake.readerCalls;
      const response = await sendEndlessly(server.port, {
        headers: { ...auth, 'content-length': String(100 * 1024 * 1024) },
      });
      expect(response.status).toBe(413);
      expect(fake.readerCalls).toBe(readerCalls);
      expect(server.bytesReadBeforeLastAnswer()).toBeLessThan(SOCKET_SLACK);
    });

    it('answers 401 to an unauthenticated never-ending upload without reading it', async () => {
      const readerCalls = fake.readerCalls;
      const response = await sendEndlessly(server.port, {
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      });
      expect(response.status).toBe(401);
      expect(fake.readerCalls).toBe(readerCalls);
      expect(server.bytesReadBeforeLastAnswer()).toBeLessThan(SOCKET_SLACK);
    });

    it('answers 401 with most of a declared 4 MiB body (within the limit) unread on the socket', async () => {
      const roomy = await start(createFakeWebhook(8 * MIB));
      try {
        const response = await sendEndlessly(roomy.port, {
          headers: {
            authorization: 'Bearer bad',
            'content-type': 'application/json',
            'content-length': String(4 * MIB),
          },
        });
        expect(response.status).toBe(401);
        expect(roomy.bytesReadBeforeLastAnswer()).toBeGreaterThan(0);
        expect(roomy.bytesReadBeforeLastAnswer()).toBeLessThan(SOCKET_SLACK);
      } finally {
        await roomy.close();
      }
    });

    it('drops a connection that keeps uploading long after its answer', async () => {
      const response = await sendEndlessly(server.port, {
        headers: { 'content-type': 'application/json' },
        ignoreAnswer: true,
      });
      expect(response.status).toBe(401);
      expect((await send(server.port, { headers: auth, body: graphBody })).status).toBe(202);
    });

    it('survives a client that disconnects mid-body and answers the next request', async () => {
      const errors = fake.readerErrors.length;
      await sendThenDisconnect(server.port, {
        headers: { ...auth, 'content-length': '900' },
        partial: graphBody.slice(0, 40),
      });
      await vi.waitFor(() => expect(fake.readerErrors.length).toBe(errors + 1), {
        timeout: 3_000,
      });
      expect(fake.readerErrors.at(-1)?.code).toBe('body_read_failed');
      expect((await send(server.port, { headers: auth, body: graphBody })).status).toBe(202);
    });

    it('answers 50 concurrent requests, each with its own body', async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 50 });
      try {
        const responses = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            send(server.port, {
              headers: { ...auth, 'x-test-id': `c${i}` },
              body: JSON.stringify({ value: [{ i }] }),
              agent,
            }),
          ),
        );
        expect(responses.map((r) => r.status)).toEqual(Array(50).fill(202));
        for (let i = 0; i < 50; i++) {
          expect(fake.bodies.get(`c${i}`)).toEqual({
            source: 'reader',
            text: JSON.stringify({ value: [{ i }] }),
          });
        }
      } finally {
        agent.destroy();
      }
    });
  });

  describe(`${name}: limits.bodyTimeout, with the real core`, () => {
    let server: TestServer;
    let issuer: Awaited<ReturnType<typeof createMemoryIssuer>>;
    const dispatched: string[] = [];
    beforeAll(async () => {
      issuer = await createMemoryIssuer();
      const webhook = createCallWebhook({
        appId: BOT_APP_ID,
        auth: issuer.auth,
        limits: { bodyTimeout: 0.4 },
      });
      webhook.on('notification', (event) => {
        dispatched.push(event.type);
      });
      server = await start(webhook);
    });
    afterAll(() => server.close());

    const chunksOf = (text: string, count: number) => {
      const size = Math.ceil(text.length / count);
      return Array.from({ length: count }, (_, i) => text.slice(i * size, (i + 1) * size));
    };

    it('answers 408 body_timeout to an authenticated body trickled past the limit, on time', async () => {
      const response = await sendTrickled(server.port, {
        headers: { authorization: `Bearer ${await issuer.token()}`, ...jsonType },
        // 8 pieces, one every 150 ms: the body would take 1.05 s to arrive.
        chunks: chunksOf(graphBody, 8),
        intervalMs: 150,
      });
      expect(response.status).toBe(408);
      expect(JSON.parse(response.body)).toMatchObject({ status: 408, code: 'body_timeout' });
      expect(response.elapsedMs).toBeGreaterThanOrEqual(380);
      expect(response.elapsedMs).toBeLessThan(1000);
      expect(dispatched).toEqual([]);
    });

    it('accepts the same body trickled within the limit, and keeps serving', async () => {
      const response = await sendTrickled(server.port, {
        headers: { authorization: `Bearer ${await issuer.token()}`, ...jsonType },
        chunks: chunksOf(graphBody, 3),
        intervalMs: 50,
      });
      expect(response.status).toBe(202);
    });
  });

  describe(`${name}: options`, () => {
    const servers: TestServer[] = [];
    const serve = async (webhook: WebhookHandler, options: Parameters<StartAdapter>[1]) => {
      const server = await start(webhook, options);
      servers.push(server);
      return server;
    };
    afterEach(async () => {
      await Promise.all(servers.splice(0).map((s) => s.close()));
    });

    it('path: serves exactly that path, whatever the query string', async () => {
      const fake = createFakeWebhook();
      const server = await serve(fake, { path: '/api/calls' });
      const served = await send(server.port, {
        path: '/api/calls?partition=7',
        headers: auth,
        body: graphBody,
      });
      expect(served.status).toBe(202);
      expect(fake.requests.map((r) => r.url)).toEqual(['/api/calls?partition=7']);

      for (const path of ['/api/calls/x', '/api/call', '/']) {
        const other = await send(server.port, { path, headers: auth, body: graphBody });
        expect(other.status).toBe(404);
      }
      expect(fake.requests).toHaveLength(1);
    });

    it('maxBodyBytes: passed to the webhook as its limit for this adapter', async () => {
      const fake = createFakeWebhook(1024);
      const server = await serve(fake, { maxBodyBytes: 16 });
      const declared = await send(server.port, { headers: auth, body: graphBody });
      const chunked = await send(server.port, { headers: auth, chunks: [graphBody] });
      expect([declared.status, chunked.status]).toEqual([413, 413]);
      expect(fake.limits).toEqual([16, 16]);
    });

    it('onError: a webhook that rejects still gets the request answered with 500', async () => {
      const failure = new Error('boom');
      const reported: unknown[] = [];
      const broken: WebhookHandler = { maxBodyBytes: 1024, handle: () => Promise.reject(failure) };
      const server = await serve(broken, { onError: (error) => reported.push(error) });
      const response = await send(server.port, { headers: auth, body: graphBody });
      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(response.body)).toMatchObject({ status: 500, code: 'internal_error' });
      expect(reported).toEqual([failure]);
      const again = await send(server.port, { headers: auth, body: graphBody });
      expect(again.status).toBe(500);
    });
  });
}
