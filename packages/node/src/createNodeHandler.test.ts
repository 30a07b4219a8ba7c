import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { describeAdapterBehaviour } from '../test/support/adapterBehaviour';
import { describeWithRealCore } from '../test/support/realCore';
import { createFakeWebhook, GOOD_TOKEN } from '../test/support/fakeWebhook';
import { listen, send } from '../test/support/http';
import { describeWebhookTable, graphBody, readByWebhook } from '../test/support/webhookTable';
import { createNodeHandler } from './createNodeHandler';

const auth = { authorization: GOOD_TOKEN, 'content-type': 'application/json' };

describeWebhookTable([
  {
    name: 'node:http',
    start: (webhook, options) => listen(createNodeHandler(webhook, options)),
    expectedBody: readByWebhook,
  },
]);

describeAdapterBehaviour('node:http', (webhook, options) =>
  listen(createNodeHandler(webhook, options)),
);

describe('createNodeHandler as Connect-style middleware', () => {
  it('hands other paths to next() and serves its own', async () => {
    const fake = createFakeWebhook();
    const handler = createNodeHandler(fake, { path: '/api/calls' });
    const server = await listen((req, res) => {
      void handler(req, res, () => {
        res.statusCode = 299;
        res.end('next');
      });
    });
    try {
      const other = await send(server.port, { path: '/health', headers: auth, body: graphBody });
      expect([other.status, other.body]).toEqual([299, 'next']);
      const own = await send(server.port, { path: '/api/calls', headers: auth, body: graphBody });
      expect(own.status).toBe(202);
    } finally {
      await server.close();
    }
  });

  it('answers other paths with a 404 problem when there is no next', async () => {
    const server = await listen(createNodeHandler(createFakeWebhook(), { path: '/api/calls' }));
    try {
      const response = await send(server.port, { path: '/nope', headers: auth, body: graphBody });
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(response.body)).toMatchObject({ status: 404, code: 'not_found' });
    } finally {
      await server.close();
    }
  });

  it('uses the body a Connect body parser left, without touching the stream', async () => {
    const fake = createFakeWebhook();
    const handler = createNodeHandler(fake);
    const server = await listen((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        Object.assign(req, { body: JSON.parse(Buffer.concat(chunks).toString()), _body: true });
        void handler(req, res);
      });
    });
    try {
      const response = await send(server.port, {
        headers: { ...auth, 'x-test-id': 'parsed' },
        body: graphBody,
      });
      expect(response.status).toBe(202);
      expect(fake.bodies.get('parsed')).toEqual({ source: 'direct', value: JSON.parse(graphBody) });
      expect(fake.readerCalls).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('never waits on a stream an earlier middleware consumed without leaving a body', async () => {
    const fake = createFakeWebhook();
    const handler = createNodeHandler(fake);
    const server = await listen((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      req.on('end', () => void handler(req, res));
    });
    try {
      const response = await send(server.port, { headers: auth, body: graphBody });
      expect(response.status).toBe(400);
      expect(fake.readerErrors.map((e) => e.code)).toEqual(['body_read_failed']);
      expect(fake.readerErrors[0]?.message).toMatch(/already consumed/);
    } finally {
      await server.close();
    }
  });
});

describeWithRealCore([
  { name: 'node:http', start: (webhook, options) => listen(createNodeHandler(webhook, options)) },
]);
