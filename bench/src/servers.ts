import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createCallWebhook,
  type CallWebhook,
  type IssuerProfile,
  parseNotifications,
} from '@callgate/core';
import { createExpressMiddleware } from '@callgate/express';
import { createKoaMiddleware } from '@callgate/koa';
import { createNodeHandler } from '@callgate/node';
import express from 'express';
import Koa from 'koa';
import { botFrameworkContender, type Contender, fetchJwks, joseContender } from './contenders';
import { APP_ID, BOT_FRAMEWORK_ISSUER } from './issuer';

export type Framework = 'node' | 'express' | 'koa';
/**
 * bare: drain the body, answer 202. callgate: the adapter. jose / botframework:
 * hand-written verify + JSON.parse. json / parse: no token check, only
 * `JSON.parse` / callgate's `parseNotifications` of the body (what parsing
 * alone costs, to show what limits the adapter).
 */
export type RouteMode = 'bare' | 'callgate' | 'jose' | 'botframework' | 'json' | 'parse';

export interface ServerConfig {
  framework: Framework;
  mode: RouteMode;
  /** The OpenID metadata URL of the (dev) Skype issuer. */
  metadataUrl: string;
  /** Extra options for createCallWebhook (reliability harness). */
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

function bearer(req: IncomingMessage): string {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7) : '';
}

/** The work of a hand-written route: jose or botframework-connector, or parsing alone. */
async function handWrittenVerify(mode: RouteMode, metadataUrl: string): Promise<Contender> {
  if (mode === 'json') return async (_token, body) => JSON.parse(body);
  if (mode === 'parse') return async (_token, body) => parseNotifications(body);
  if (mode === 'jose') return joseContender(await fetchJwks(metadataUrl));
  return botFrameworkContender(metadataUrl);
}

/** The webhook every benchmark server uses: trusts the dev issuer's keys under the real Skype `iss`. */
export function benchServerWebhook(metadataUrl: string): CallWebhook {
  const profile: IssuerProfile = {
    kind: 'botframework',
    issuers: [BOT_FRAMEWORK_ISSUER],
    openIdConfigurationUrl: metadataUrl,
  };
  return createCallWebhook({ appId: APP_ID, auth: { issuers: [profile] } });
}

/**
 * A server of `framework` serving POST /api/calls in `mode`, on 127.0.0.1 and
 * an ephemeral port. Other paths get 404.
 */
export async function startBenchServer(
  config: ServerConfig,
): Promise<{ server: Server; url: string; webhook?: CallWebhook }> {
  const { framework, mode } = config;
  let webhook: CallWebhook | undefined;
  let verify: Contender | undefined;
  if (mode === 'callgate') {
    webhook = config.webhook ?? benchServerWebhook(config.metadataUrl);
    await webhook.warm().catch(() => undefined);
  } else if (mode !== 'bare') {
    verify = await handWrittenVerify(mode, config.metadataUrl);
  }

  // One plain function per mode and framework, so each contender does only what it must.
  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    if (verify !== undefined) {
      try {
        await verify(bearer(req), body);
      } catch {
        res.writeHead(401).end();
        return;
      }
    }
    res.writeHead(202).end();
  };

  let server: Server;
  if (framework === 'node') {
    const adapter = webhook === undefined ? undefined : createNodeHandler(webhook);
    server = createServer((req, res) => {
      if (req.url !== WEBHOOK_PATH || req.method !== 'POST') {
        if (adapter !== undefined && req.url === WEBHOOK_PATH) {
          void adapter(req, res);
          return;
        }
        req.resume();
        res.writeHead(404).end();
        return;
      }
      if (adapter !== undefined) void adapter(req, res);
      else void answer(req, res);
    });
  } else if (framework === 'express') {
    const app = express();
    if (webhook !== undefined) app.all(WEBHOOK_PATH, createExpressMiddleware(webhook));
    else app.post(WEBHOOK_PATH, (req, res) => void answer(req, res));
    server = createServer(app);
  } else {
    const app = new Koa();
    if (webhook !== undefined) {
      const middleware = createKoaMiddleware(webhook);
      app.use((ctx, next) => (ctx.path === WEBHOOK_PATH ? middleware(ctx, next) : next()));
    } else {
      app.use(async (ctx, next) => {
        if (ctx.path !== WEBHOOK_PATH || ctx.method !== 'POST') return next();
        const body = await readBody(ctx.req);
        if (verify !== undefined) {
          try {
            await verify(bearer(ctx.req), body);
          } catch {
            ctx.status = 401;
            return;
          }
        }
        ctx.status = 202;
      });
    }
    server = createServer(app.callback());
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    ...(webhook ? { webhook } : {}),
  };
}
