import express5 from 'express';
import express4 from 'express4';
import { createCallWebhook } from '@callgate/core';
import { describe, expect, it } from 'vitest';
import { BOT_APP_ID, createMemoryIssuer } from '../../core/test/support/memoryIssuer';
import { describeAdapterBehaviour } from '../../node/test/support/adapterBehaviour';
import { createFakeWebhook, GOOD_TOKEN } from '../../node/test/support/fakeWebhook';
import { listen, send } from '../../node/test/support/http';
import { describeLimitsBehindParser } from '../../node/test/support/parsedBodyLimits';
import { describeWithRealCore } from '../../node/test/support/realCore';
import {
  type AdapterCombo,
  describeWebhookTable,
  graphBody,
  readByWebhook,
  type StartAdapter,
} from '../../node/test/support/webhookTable';
import { createExpressMiddleware } from './createExpressMiddleware';

type Express = typeof express5;
type Parser = 'none' | 'json' | 'raw' | 'text' | 'urlencoded';

const auth = { authorization: GOOD_TOKEN, 'content-type': 'application/json' };

function parserOf(express: Express, parser: Parser) {
  switch (parser) {
    case 'json':
      return express.json();
    case 'raw':
      return express.raw({ type: '*/*' });
    case 'text':
      return express.text({ type: '*/*' });
    case 'urlencoded':
      return express.urlencoded({ extended: false });
    case 'none':
      return undefined;
  }
}

function startWith(express: Express, parser: Parser): StartAdapter {
  return (webhook, options) => {
    const app = express();
    const parse = parserOf(express, parser);
    if (parse) app.use(parse);
    app.use(createExpressMiddleware(webhook, options));
    return listen(app);
  };
}

const expectedBodies: Record<Parser, AdapterCombo['expectedBody']> = {
  none: readByWebhook,
  // express.json() skips other content types (Express 4 still sets req.body = {}).
  json: (sent, type) =>
    type === 'application/json'
      ? { source: 'direct', value: JSON.parse(sent) }
      : readByWebhook(sent),
  raw: (sent) => ({ source: 'direct', value: Buffer.from(sent) }),
  text: (sent) => ({ source: 'direct', value: sent }),
  urlencoded: readByWebhook,
};

const versions: Array<[string, Express]> = [
  ['Express 4', express4],
  ['Express 5', express5],
];

describeWebhookTable(
  versions.flatMap(([version, express]) =>
    (Object.keys(expectedBodies) as Parser[]).map((parser) => ({
      name: `${version} + ${parser === 'none' ? 'no body parser' : `express.${parser}()`}`,
      start: startWith(express, parser),
      expectedBody: expectedBodies[parser],
    })),
  ),
);

for (const [version, express] of versions) {
  describeAdapterBehaviour(version, (webhook, options) => {
    const app = express();
    app.use(createExpressMiddleware(webhook, options));
    return listen(app);
  });

  describe(`${version}: createExpressMiddleware`, () => {
    it('hands other paths to the next route', async () => {
      const fake = createFakeWebhook();
      const app = express();
      app.use(createExpressMiddleware(fake, { path: '/api/calls' }));
      app.post('/health', (_req, res) => {
        res.status(200).send('next route');
      });
      const server = await listen(app);
      try {
        const other = await send(server.port, { path: '/health', headers: auth, body: graphBody });
        expect([other.status, other.body]).toEqual([200, 'next route']);
        expect(fake.requests).toEqual([]);
      } finally {
        await server.close();
      }
    });

    it('sees the URL the client sent when mounted under a router', async () => {
      const fake = createFakeWebhook();
      const app = express();
      const router = express.Router();
      router.post('/calls', createExpressMiddleware(fake, { path: '/api/calls' }));
      app.use('/api', router);
      const server = await listen(app);
      try {
        const response = await send(server.port, {
          path: '/api/calls?p=2',
          headers: auth,
          body: graphBody,
        });
        expect(response.status).toBe(202);
        expect(fake.requests.map((r) => r.url)).toEqual(['/api/calls?p=2']);
      } finally {
        await server.close();
      }
    });

    it('hands over the raw bytes a parser kept in req.rawBody, not the parsed value', async () => {
      const fake = createFakeWebhook();
      const server = await behindLargeParser(express, true)(fake);
      try {
        const response = await send(server.port, {
          headers: { ...auth, 'x-test-id': 'raw' },
          body: graphBody,
        });
        expect(response.status).toBe(202);
        expect(fake.bodies.get('raw')).toEqual({ source: 'direct', value: Buffer.from(graphBody) });
      } finally {
        await server.close();
      }
    });

    it('never waits on a stream an earlier middleware consumed without setting req.body', async () => {
      const fake = createFakeWebhook();
      const app = express();
      app.use((req, _res, next) => {
        req.resume();
        req.on('end', () => next());
      });
      app.use(createExpressMiddleware(fake));
      const server = await listen(app);
      try {
        const response = await send(server.port, { headers: auth, body: graphBody });
        expect(response.status).toBe(400);
        expect(fake.readerErrors.map((e) => e.code)).toEqual(['body_read_failed']);
      } finally {
        await server.close();
      }
    });
  });
}

describeWithRealCore([
  {
    name: 'Express 5 + express.json()',
    start: startWith(express5, 'json'),
    parsedBeforeCore: true,
  },
  { name: 'Express 5 + no body parser', start: startWith(express5, 'none') },
  { name: 'Express 4 + express.raw()', start: startWith(express4, 'raw') },
  { name: 'Express 4 + no body parser', start: startWith(express4, 'none') },
]);

describe('a body another middleware consumed, with the real core', () => {
  it('answers 400 body_read_failed whose detail names that cause, not a disconnected client', async () => {
    const issuer = await createMemoryIssuer();
    const webhook = createCallWebhook({
      appId: BOT_APP_ID,
      auth: issuer.auth,
      publicUrl: 'https://bot.example/api/calls',
      logger: false,
    });
    const app = express5();
    app.use((req, _res, next) => {
      req.resume(); // reads the stream, leaves no req.body
      req.on('end', () => next());
    });
    app.all('/api/calls', createExpressMiddleware(webhook));
    const server = await listen(app);
    try {
      const response = await send(server.port, {
        path: '/api/calls',
        headers: {
          authorization: `Bearer ${await issuer.token()}`,
          'content-type': 'application/json',
        },
        body: graphBody,
      });
      expect(response.status).toBe(400);
      const problem = JSON.parse(response.body);
      expect(problem.code).toBe('body_read_failed');
      expect(problem.detail).toMatch(/already consumed.*body parser or middleware/);
      expect(problem.detail).not.toMatch(/disconnected/);
    } finally {
      await server.close();
    }
  });
});

/** Behind a parser whose own limit is far above the webhook's: the review's reproduction. */
function behindLargeParser(express: Express, keepRawBody: boolean): StartAdapter {
  return (webhook, options) => {
    const app = express();
    app.use(
      express.json({
        limit: '50mb',
        ...(keepRawBody
          ? { verify: (req, _res, raw) => Object.assign(req, { rawBody: raw }) }
          : {}),
      }),
    );
    app.use(createExpressMiddleware(webhook, options));
    return listen(app);
  };
}

describeLimitsBehindParser([
  {
    name: "Express 5 + express.json({ limit: '50mb' })",
    start: behindLargeParser(express5, false),
  },
  {
    name: "Express 4 + express.json({ limit: '50mb' })",
    start: behindLargeParser(express4, false),
  },
  {
    name: "Express 5 + express.json({ limit: '50mb', verify }) keeping req.rawBody",
    start: behindLargeParser(express5, true),
  },
]);
