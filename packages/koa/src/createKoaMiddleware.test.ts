import { bodyParser } from '@koa/bodyparser';
import Koa3 from 'koa';
import { koaBody } from 'koa-body';
import Koa2 from 'koa2';
import { describe, expect, it } from 'vitest';
import { describeAdapterBehaviour } from '../../node/test/support/adapterBehaviour';
import { createFakeWebhook, GOOD_TOKEN } from '../../node/test/support/fakeWebhook';
import { listen, send } from '../../node/test/support/http';
import { describeLimitsBehindParser } from '../../node/test/support/parsedBodyLimits';
import { describeWithRealCore } from '../../node/test/support/realCore';
import {
  type AdapterCombo,
  describeWebhookTable,
  graphBody,
  legacyBody,
  readByWebhook,
  type StartAdapter,
} from '../../node/test/support/webhookTable';
import { createKoaMiddleware } from './createKoaMiddleware';

type KoaClass = typeof Koa3;
type Parser = 'none' | '@koa/bodyparser' | 'koa-body' | 'koa-body includeUnparsed';

const auth = { authorization: GOOD_TOKEN, 'content-type': 'application/json' };

function parserOf(parser: Parser): Koa3.Middleware | undefined {
  switch (parser) {
    case '@koa/bodyparser':
      return bodyParser();
    case 'koa-body':
      return koaBody();
    case 'koa-body includeUnparsed':
      return koaBody({ includeUnparsed: true });
    case 'none':
      return undefined;
  }
}

function startWith(Koa: KoaClass, parser: Parser): StartAdapter {
  return (webhook, options) => {
    const app = new Koa();
    // Koa logs client aborts (tested on purpose) to stderr unless silent.
    app.silent = true;
    const parse = parserOf(parser);
    if (parse) app.use(parse);
    app.use(createKoaMiddleware(webhook, options));
    return listen(app.callback());
  };
}

const expectedBodies: Record<Parser, AdapterCombo['expectedBody']> = {
  none: readByWebhook,
  // Parses JSON (and forms) only, keeping the raw text; other types are left unread.
  '@koa/bodyparser': (sent, type) =>
    type === 'application/json' ? { source: 'direct', value: sent } : readByWebhook(sent),
  'koa-body': (sent, type) => ({
    source: 'direct',
    value: type === 'application/json' ? JSON.parse(sent) : sent,
  }),
  'koa-body includeUnparsed': (sent) => ({ source: 'direct', value: sent }),
};

const versions: Array<[string, KoaClass]> = [
  ['Koa 2', Koa2],
  ['Koa 3', Koa3],
];

describeWebhookTable(
  versions.flatMap(([version, Koa]) =>
    (Object.keys(expectedBodies) as Parser[]).map((parser) => ({
      name: `${version} + ${parser === 'none' ? 'no body parser' : parser}`,
      start: startWith(Koa, parser),
      expectedBody: expectedBodies[parser],
    })),
  ),
);

for (const [version, Koa] of versions) {
  describeAdapterBehaviour(version, startWith(Koa, 'none'));

  describe(`${version}: createKoaMiddleware`, () => {
    it('hands other paths to next()', async () => {
      const fake = createFakeWebhook();
      const app = new Koa();
      app.use(createKoaMiddleware(fake, { path: '/api/calls' }));
      app.use((ctx) => {
        ctx.body = 'next middleware';
      });
      const server = await listen(app.callback());
      try {
        const other = await send(server.port, { path: '/health', headers: auth, body: graphBody });
        expect([other.status, other.body]).toEqual([200, 'next middleware']);
        expect(fake.requests).toEqual([]);
      } finally {
        await server.close();
      }
    });

    it('sets the answer on ctx, so middleware upstream sees and may decorate it', async () => {
      const seen: Array<[number, unknown]> = [];
      const app = new Koa();
      app.use(async (ctx, next) => {
        await next();
        seen.push([ctx.status, ctx.body]);
        ctx.set('x-upstream', 'yes');
      });
      app.use(createKoaMiddleware(createFakeWebhook()));
      const server = await listen(app.callback());
      try {
        const accepted = await send(server.port, { headers: auth, body: graphBody });
        const legacy = await send(server.port, { headers: auth, body: legacyBody });
        expect([accepted.status, accepted.headers['x-upstream']]).toEqual([202, 'yes']);
        expect(accepted.headers['content-type']).toBeUndefined();
        expect(legacy.status).toBe(204);
        expect(seen).toEqual([
          [202, ''],
          [204, ''],
        ]);
      } finally {
        await server.close();
      }
    });

    it('never waits on a stream an earlier middleware consumed without leaving a body', async () => {
      const fake = createFakeWebhook();
      const app = new Koa();
      app.use(async (ctx, next) => {
        ctx.req.resume();
        await new Promise((resolve) => ctx.req.on('end', resolve));
        await next();
      });
      app.use(createKoaMiddleware(fake));
      const server = await listen(app.callback());
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
  { name: 'Koa 3 + @koa/bodyparser', start: startWith(Koa3, '@koa/bodyparser') },
  { name: 'Koa 3 + koa-body', start: startWith(Koa3, 'koa-body'), parsedBeforeCore: true },
  { name: 'Koa 2 + no body parser', start: startWith(Koa2, 'none') },
]);

/** Behind a parser whose own limit is far above the webhook's: the review's reproduction. */
function behindLargeParser(Koa: KoaClass, parse: Koa3.Middleware): StartAdapter {
  return (webhook, options) => {
    const app = new Koa();
    app.silent = true;
    app.use(parse);
    app.use(createKoaMiddleware(webhook, options));
    return listen(app.callback());
  };
}

describeLimitsBehindParser([
  {
    name: "Koa 3 + koaBody({ jsonLimit: '50mb' })",
    start: behindLargeParser(Koa3, koaBody({ jsonLimit: '50mb' })),
  },
  {
    name: "Koa 2 + koaBody({ jsonLimit: '50mb' })",
    start: behindLargeParser(Koa2, koaBody({ jsonLimit: '50mb' })),
  },
  {
    name: "Koa 3 + bodyParser({ jsonLimit: '50mb' }) (keeps rawBody)",
    start: behindLargeParser(Koa3, bodyParser({ jsonLimit: '50mb' })),
  },
]);
