import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookHandler } from '@callgate/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { describeAdapterBehaviour } from '../../node/test/support/adapterBehaviour';
import { createFakeWebhook, GOOD_TOKEN } from '../../node/test/support/fakeWebhook';
import { send, type TestServer } from '../../node/test/support/http';
import { describeWithRealCore } from '../../node/test/support/realCore';
import {
  type AdapterCombo,
  describeWebhookTable,
  graphBody,
  legacyBody,
  oversizedJsonBody,
  readByWebhook,
  type StartAdapter,
} from '../../node/test/support/webhookTable';
import fastifyCallgateDefault, { fastifyCallgate } from './index';

const auth = { authorization: GOOD_TOKEN, 'content-type': 'application/json' };
/** Fastify's wildcard: with no `path` the adapters under test serve every path. */
const EVERY_PATH = '*';

type Setup = 'default parsers' | 'app-wide parser for every type' | 'app-wide JSON as string';

/** How the app around the plugin parses bodies: none of it may reach the plugin's scope. */
function appWith(setup: Setup): FastifyInstance {
  const app = Fastify({ forceCloseConnections: true });
  if (setup === 'app-wide parser for every type') {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
  }
  if (setup === 'app-wide JSON as string') {
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
      done(null, JSON.parse(String(body))),
    );
  }
  return app;
}

async function serve(app: FastifyInstance): Promise<TestServer> {
  let connections = 0;
  let bytesReadBeforeLastAnswer = -1;
  app.server.on('connection', () => {
    connections += 1;
  });
  // Before Fastify's own listener: note what the socket had read when the answer began.
  app.server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const writeHead = res.writeHead;
    res.writeHead = function (
      this: ServerResponse,
      ...args: Parameters<ServerResponse['writeHead']>
    ) {
      bytesReadBeforeLastAnswer = req.socket.bytesRead;
      return writeHead.apply(this, args);
    } as ServerResponse['writeHead'];
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    port: (app.server.address() as AddressInfo).port,
    connections: () => connections,
    bytesReadBeforeLastAnswer: () => bytesReadBeforeLastAnswer,
    close: () => app.close(),
  };
}

function startWith(setup: Setup): StartAdapter {
  return async (webhook, options = {}) => {
    const app = appWith(setup);
    await app.register(fastifyCallgate, {
      webhook,
      path: options.path ?? EVERY_PATH,
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
      ...(options.onError === undefined ? {} : { onError: options.onError }),
    });
    return serve(app);
  };
}

const setups: Setup[] = [
  'default parsers',
  'app-wide parser for every type',
  'app-wide JSON as string',
];

describeWebhookTable(
  setups.map(
    (setup): AdapterCombo => ({
      name: `Fastify 5 + ${setup}`,
      start: startWith(setup),
      expectedBody: readByWebhook,
    }),
  ),
);

describeAdapterBehaviour('Fastify 5', startWith('default parsers'));

describeWithRealCore(
  setups.map((setup) => ({ name: `Fastify 5 + ${setup}`, start: startWith(setup) })),
);

describe('fastifyCallgate with app.inject()', () => {
  async function injectable(webhook: WebhookHandler, options: { maxBodyBytes?: number } = {}) {
    const app = Fastify();
    await app.register(fastifyCallgate, { webhook, path: '/api/calls', ...options });
    return app;
  }

  it('answers the status table exactly as the core decides', async () => {
    const fake = createFakeWebhook(1024);
    const app = await injectable(fake);
    const inject = (
      method: 'GET' | 'POST' | 'PUT',
      payload?: string,
      headers: Record<string, string> = auth,
    ) =>
      app.inject({
        method,
        url: '/api/calls?p=1',
        headers,
        ...(payload === undefined ? {} : { payload }),
      });

    const get = await inject('GET');
    expect([get.statusCode, get.headers.allow]).toEqual([405, 'POST']);
    expect((await inject('PUT', graphBody)).statusCode).toBe(405);
    const unauthenticated = await inject('POST', graphBody, {
      ...auth,
      authorization: 'Bearer bad',
    });
    expect([unauthenticated.statusCode, unauthenticated.headers['www-authenticate']]).toEqual([
      401,
      'Bearer error="invalid_token"',
    ]);
    expect((await inject('POST', oversizedJsonBody)).statusCode).toBe(413);
    expect(
      (await inject('POST', 'not json', { ...auth, 'content-type': 'text/plain' })).statusCode,
    ).toBe(400);
    const legacy = await inject('POST', legacyBody);
    expect([legacy.statusCode, legacy.body]).toEqual([204, '']);
    const redirected = await inject('POST', graphBody, {
      ...auth,
      'x-test-redirect': 'https://eu.bot.example/api/calls',
    });
    expect([redirected.statusCode, redirected.headers.location]).toEqual([
      302,
      'https://eu.bot.example/api/calls',
    ]);
    const accepted = await inject('POST', graphBody);
    expect([accepted.statusCode, accepted.body, accepted.headers['content-type']]).toEqual([
      202,
      '',
      undefined,
    ]);
    expect(fake.requests.at(-1)?.url).toBe('/api/calls?p=1');
    expect(fake.readerErrors).toEqual([]);
    await app.close();
  });

  it('hands the raw bytes to the core even for JSON (no parse before the token check)', async () => {
    const fake = createFakeWebhook(1024);
    const app = await injectable(fake);
    const response = await app.inject({
      method: 'POST',
      url: '/api/calls',
      headers: { ...auth, 'x-test-id': 'raw' },
      payload: graphBody,
    });
    expect(response.statusCode).toBe(202);
    expect(fake.bodies.get('raw')).toEqual({ source: 'reader', text: graphBody });
    await app.close();
  });

  it('passes maxBodyBytes to the core, which answers 413 for a chunked body past it', async () => {
    const fake = createFakeWebhook(1024);
    const app = await injectable(fake, { maxBodyBytes: 16 });
    const response = await app.inject({
      method: 'POST',
      url: '/api/calls',
      headers: auth,
      payload: graphBody,
    });
    expect(response.statusCode).toBe(413);
    expect(fake.limits).toEqual([16]);
    await app.close();
  });
});

describe('fastifyCallgate: encapsulation', () => {
  it("keeps the app's own parsers for its other routes", async () => {
    const fake = createFakeWebhook();
    const app = Fastify();
    await app.register(fastifyCallgate, { webhook: fake, path: '/api/calls' });
    app.post('/echo', async (request) => ({ parsed: request.body }));
    const echo = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: auth,
      payload: '{"a":1}',
    });
    expect(echo.json()).toEqual({ parsed: { a: 1 } });
    const bad = await app.inject({ method: 'POST', url: '/echo', headers: auth, payload: '{' });
    expect(bad.statusCode).toBe(400);
    const webhook = await app.inject({
      method: 'POST',
      url: '/api/calls',
      headers: auth,
      payload: '{',
    });
    expect(webhook.statusCode).toBe(400);
    expect(fake.requests).toHaveLength(1);
    await app.close();
  });

  it('serves under a register prefix and leaves other paths to Fastify (404)', async () => {
    const fake = createFakeWebhook();
    const app = Fastify();
    await app.register(fastifyCallgate, { webhook: fake, path: '/calls', prefix: '/api' });
    expect(
      (await app.inject({ method: 'POST', url: '/api/calls', headers: auth, payload: graphBody }))
        .statusCode,
    ).toBe(202);
    expect(
      (await app.inject({ method: 'POST', url: '/calls', headers: auth, payload: graphBody }))
        .statusCode,
    ).toBe(404);
    expect(fake.requests.map((r) => r.url)).toEqual(['/api/calls']);
    await app.close();
  });

  it('is the default export too, and refuses to register without a webhook', async () => {
    expect(fastifyCallgateDefault).toBe(fastifyCallgate);
    const app = Fastify();
    await expect(app.register(fastifyCallgate, {} as never)).rejects.toThrow(/pass \{ webhook \}/);
  });

  it('answers a client that sends no Content-Type', async () => {
    const fake = createFakeWebhook();
    const app = Fastify({ forceCloseConnections: true });
    await app.register(fastifyCallgate, { webhook: fake, path: '/api/calls' });
    const server = await serve(app);
    try {
      const response = await send(server.port, {
        path: '/api/calls',
        headers: { authorization: GOOD_TOKEN, 'x-test-id': 'untyped' },
        body: graphBody,
      });
      expect(response.status).toBe(202);
      expect(fake.bodies.get('untyped')).toEqual({ source: 'reader', text: graphBody });
    } finally {
      await server.close();
    }
  });

  it.each([
    ['empty', ''],
    ['no subtype', 'json'],
    ['garbage', ';;'],
  ])(
    'leaves a malformed Content-Type (%s) to the core, where Fastify alone answers 415',
    async (_name, type) => {
      const fake = createFakeWebhook();
      const app = Fastify({ forceCloseConnections: true });
      await app.register(fastifyCallgate, { webhook: fake, path: '/api/calls' });
      app.post('/other', async () => 'parsed');
      const server = await serve(app);
      try {
        const post = (path: string, authorization: string, id: string) =>
          send(server.port, {
            path,
            headers: { authorization, 'content-type': type, 'x-test-id': id },
            body: graphBody,
          });
        expect((await post('/api/calls', GOOD_TOKEN, 'typed')).status).toBe(202);
        expect(fake.bodies.get('typed')).toEqual({ source: 'reader', text: graphBody });
        expect((await post('/api/calls', 'Bearer bad', 'bad')).status).toBe(401);
        // The rest of the app keeps Fastify's own answer.
        expect((await post('/other', GOOD_TOKEN, 'other')).status).toBe(415);
      } finally {
        await server.close();
      }
    },
  );

  it("keeps the app's error handler for errors that are not the plugin's", async () => {
    const app = Fastify();
    app.setErrorHandler((_error, _request, reply) => reply.code(418).send('app'));
    await app.register(fastifyCallgate, { webhook: createFakeWebhook(), path: '/api/calls' });
    app.post('/boom', async () => {
      throw new Error('boom');
    });
    const boom = await app.inject({ method: 'POST', url: '/boom', headers: auth, payload: '{}' });
    expect([boom.statusCode, boom.body]).toEqual([418, 'app']);
    await app.close();
  });
});
