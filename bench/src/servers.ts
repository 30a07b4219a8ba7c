import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CallWebhook, createCallWebhook, type IssuerProfile } from '@callgate/core';
import { createExpressMiddleware } from '@callgate/express';
import { fastifyCallgate } from '@callgate/fastify';
import { createKoaMiddleware } from '@callgate/koa';
import { createNodeHandler } from '@callgate/node';
import { bodyParser } from '@koa/bodyparser';
import express from 'express';
import Fastify from 'fastify';
import Koa from 'koa';
import { botFrameworkContender, type Contender, fetchJwks, joseTokenCheck } from './contenders';
import { STATS_PATH } from './benchPaths';
import { equipLikeABot } from './equipLikeABot';
import { APP_ID, BOT_FRAMEWORK_ISSUER, BOT_PUBLIC_URL } from './issuer';

/** The frameworks served, each with one entry in FRAMEWORK_ROUTES below. */
export type Framework = 'node' | 'express' | 'koa' | 'fastify';
export const FRAMEWORKS: readonly Framework[] = ['node', 'express', 'koa', 'fastify'];

/**
 * floor: what any JSON webhook route costs in this framework: read the body,
 * parse it as JSON, answer 202 (node:http: read + `JSON.parse`; Express:
 * `express.json()`; Koa: `@koa/bodyparser`; Fastify: its own JSON parser).
 * callgate: the adapter, with a
 * `notification` handler registered as every real bot has. jose: the floor
 * route plus a hand-written `jose.jwtVerify`. bare: drain the body, 202.
 * botframework (node:http only): the floor plus botframework-connector.
 */
export type RouteMode = 'floor' | 'callgate' | 'jose' | 'bare' | 'botframework';

export interface ServerConfig {
  framework: Framework;
  mode: RouteMode;
  /** The OpenID metadata URL of the (dev) Skype issuer. */
  metadataUrl: string;
  /** A ready webhook instead of the bench's (reliability harness). */
  webhook?: CallWebhook;
}

export const WEBHOOK_PATH = '/api/calls';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bearer(header: string | undefined): string {
  return header?.startsWith('Bearer ') ? header.slice(7) : '';
}

/** The webhook every benchmark server uses: trusts the dev issuer's keys under the real Skype `iss`. */
export function benchServerWebhook(metadataUrl: string): CallWebhook {
  const profile: IssuerProfile = {
    kind: 'botframework',
    issuers: [BOT_FRAMEWORK_ISSUER],
    openIdConfigurationUrl: metadataUrl,
  };
  const webhook = createCallWebhook({
    appId: APP_ID,
    publicUrl: BOT_PUBLIC_URL,
    auth: { issuers: [profile] },
  });
  equipLikeABot(webhook);
  return webhook;
}

/**
 * The check of a hand-written route, given the token and the body text (`''`
 * where the framework's parser already read it): jose checks the token only,
 * botframework-connector needs the parsed activity too. Undefined for the others.
 */
async function handWrittenVerify(
  mode: RouteMode,
  metadataUrl: string,
): Promise<Contender | undefined> {
  if (mode === 'jose') {
    const check = joseTokenCheck(await fetchJwks(metadataUrl));
    return (token) => check(token);
  }
  if (mode === 'botframework') return botFrameworkContender(metadataUrl);
  return undefined;
}

type Routes = (
  mode: RouteMode,
  webhook: CallWebhook | undefined,
  verify: Contender | undefined,
) => RequestListener | Promise<RequestListener>;

/** One plain listener per framework and mode, so each route does only what it must. */
const FRAMEWORK_ROUTES: Record<Framework, Routes> = {
  node(mode, webhook, verify) {
    if (webhook !== undefined) return createNodeHandler(webhook, { path: WEBHOOK_PATH });
    return (req, res) => {
      if (req.url !== WEBHOOK_PATH || req.method !== 'POST') {
        req.resume();
        res.writeHead(404).end();
        return;
      }
      void (async () => {
        const text = await readBody(req);
        if (mode === 'bare') return res.writeHead(202).end();
        try {
          // A hand-written route verifies, then parses (botframework parses in `verify`).
          if (verify !== undefined) await verify(bearer(req.headers.authorization), text);
          if (mode !== 'botframework') JSON.parse(text);
        } catch {
          return res.writeHead(verify ? 401 : 400).end();
        }
        res.writeHead(202).end();
      })();
    };
  },
  express(mode, webhook, verify) {
    const app = express();
    if (webhook !== undefined) {
      app.all(WEBHOOK_PATH, createExpressMiddleware(webhook));
    } else if (mode === 'bare') {
      app.post(WEBHOOK_PATH, (req, res) => {
        req.resume();
        req.on('end', () => res.status(202).end());
      });
    } else {
      app.post(WEBHOOK_PATH, express.json(), (req, res) => {
        if (verify === undefined) return void res.status(202).end();
        verify(bearer(req.headers.authorization), '').then(
          () => res.status(202).end(),
          () => res.status(401).end(),
        );
      });
    }
    return app;
  },
  koa(mode, webhook, verify) {
    const app = new Koa();
    if (webhook !== undefined) {
      const middleware = createKoaMiddleware(webhook);
      app.use((ctx, next) => (ctx.path === WEBHOOK_PATH ? middleware(ctx, next) : next()));
    } else if (mode === 'bare') {
      app.use(async (ctx, next) => {
        if (ctx.path !== WEBHOOK_PATH || ctx.method !== 'POST') return next();
        await readBody(ctx.req);
        ctx.status = 202;
      });
    } else {
      app.use(bodyParser());
      app.use(async (ctx, next) => {
        if (ctx.path !== WEBHOOK_PATH || ctx.method !== 'POST') return next();
        if (verify !== undefined) {
          try {
            await verify(bearer(ctx.get('authorization')), '');
          } catch {
            ctx.status = 401;
            return;
          }
        }
        ctx.status = 202;
      });
    }
    return app.callback();
  },
  async fastify(mode, webhook, verify) {
    // Fastify's own request handler, served by the bench's server (which counts requests).
    let handler: RequestListener | undefined;
    const app = Fastify({
      serverFactory(fastifyHandler) {
        handler = fastifyHandler;
        return createServer();
      },
    });
    if (webhook !== undefined) {
      await app.register(fastifyCallgate, { webhook, path: WEBHOOK_PATH });
    } else {
      if (mode === 'bare') {
        app.removeAllContentTypeParsers();
        app.addContentTypeParser('*', (_request, payload, done) => {
          payload.resume();
          payload.on('end', () => done(null));
        });
      }
      app.post(WEBHOOK_PATH, (request, reply) => {
        if (verify === undefined) return void reply.code(202).send();
        verify(bearer(request.headers.authorization), '').then(
          () => reply.code(202).send(),
          () => reply.code(401).send(),
        );
      });
    }
    await app.ready();
    if (handler === undefined) throw new Error('bench: Fastify did not call its serverFactory');
    return handler;
  },
};

/**
 * A server of `framework` serving POST /api/calls in `mode`, on 127.0.0.1 and
 * an ephemeral port; GET {@link STATS_PATH} reports the process's CPU time and
 * the requests it received, for CPU µs per request.
 */
export async function startBenchServer(
  config: ServerConfig,
): Promise<{ server: Server; url: string; webhook?: CallWebhook }> {
  const { framework, mode } = config;
  if (mode === 'botframework' && framework !== 'node') {
    throw new Error('the botframework route is served on node:http only');
  }
  let webhook: CallWebhook | undefined;
  if (mode === 'callgate') {
    webhook = config.webhook ?? benchServerWebhook(config.metadataUrl);
    await webhook.warm().catch(() => undefined);
  }
  const verify = await handWrittenVerify(mode, config.metadataUrl);
  const listener = await FRAMEWORK_ROUTES[framework](mode, webhook, verify);

  let requests = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === STATS_PATH) {
      const { user, system } = process.cpuUsage();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ cpuUs: user + system, requests }));
      return;
    }
    requests++;
    listener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    ...(webhook ? { webhook } : {}),
  };
}
