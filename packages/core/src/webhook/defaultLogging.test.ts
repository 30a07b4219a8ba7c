import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { fixtureText } from '../../test/support/fixtures';
import { BOT_APP_ID, createMemoryIssuer } from '../../test/support/memoryIssuer';
import { CallgateError } from '../errors';
import { deferredBody, type WebhookRequest } from '../http/types';
import { consoleLogger, describeError } from './consoleLogger';
import { type CallWebhookOptions, createCallWebhook } from './createCallWebhook';
import { silentLogger } from './Logger';

// Failures are visible by default: with no `logger`, warnings and errors reach
// the console; requests the webhook rightly refuses do not; `logger: false` is silence.

const issuer = await createMemoryIssuer();
const publicUrl = 'https://bot.example.com/api/calls';

function webhookWith(options: Partial<CallWebhookOptions> = {}) {
  return createCallWebhook({ appId: BOT_APP_ID, auth: issuer.auth, publicUrl, ...options });
}

async function post(body: unknown, token?: string): Promise<WebhookRequest> {
  return {
    method: 'POST',
    url: '/api/calls',
    headers: { authorization: `Bearer ${token ?? (await issuer.token())}` },
    body,
  };
}

let warn: MockInstance<typeof console.warn>;
let error: MockInstance<typeof console.error>;
let log: MockInstance<typeof console.log>;
let info: MockInstance<typeof console.info>;
let debug: MockInstance<typeof console.debug>;

beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  error = vi.spyOn(console, 'error').mockImplementation(() => {});
  log = vi.spyOn(console, 'log').mockImplementation(() => {});
  info = vi.spyOn(console, 'info').mockImplementation(() => {});
  debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

const printed = () =>
  [...warn.mock.calls, ...error.mock.calls].map((args) =>
    args.map((arg) => (arg instanceof Error ? `Error(${arg.message})` : String(arg))).join(' '),
  );
const nothingElsePrinted = () => {
  for (const spy of [log, info, debug]) expect(spy).not.toHaveBeenCalled();
};

describe('the default logger (no `logger` option)', () => {
  it('writes a handler that throws to console.error, with the error itself (its stack)', async () => {
    const webhook = webhookWith();
    const failure = new Error('Graph answered 401');
    webhook.on('callStateChanged', () => {
      throw failure;
    });
    const response = await webhook.handle(await post(fixtureText('graph-call-established')));
    expect(response.status).toBe(202);
    await webhook.idle();
    expect(error).toHaveBeenCalledTimes(1);
    expect(error.mock.calls[0]?.[0]).toMatch(/^callgate: a handler failed .*callStateChanged/);
    expect(error.mock.calls[0]?.[1]).toBe(failure);
    nothingElsePrinted();
  });

  it('writes a routing fallback to console.warn', async () => {
    const webhook = webhookWith({
      routing: {
        region: {
          self: 'emea',
          deployments: { emea: publicUrl, amer: 'https://amer.bot.example.com/api/calls' },
          select: () => {
            throw new Error('region lookup broke');
          },
        },
      },
    });
    const response = await webhook.handle(await post(fixtureText('graph-incoming-call-p2p')));
    expect(response.status).toBe(202);
    expect(printed().join('\n')).toMatch(/callgate: routing fell back/);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(error).not.toHaveBeenCalled();
  });

  it('keeps refused requests (401 from a stranger, 400 from a non-notification) off the console', async () => {
    const webhook = webhookWith();
    const requests: WebhookRequest[] = [
      await post('{}', 'not-a-jwt'),
      { method: 'POST', url: '/api/calls', headers: {}, body: '{}' },
      await post('{"hello":"world"}'),
      await post('not json'),
    ];
    const statuses = [];
    for (const request of requests) statuses.push((await webhook.handle(request)).status);
    expect(statuses).toEqual([401, 401, 400, 400]);
    expect(printed()).toEqual([]);
    nothingElsePrinted();
  });

  it('warns when the signing keys cannot be fetched, and warm() rejects saying which URL and why', async () => {
    const metadataUrl = 'https://keys-down.example/v1/.well-known/OpenIdConfiguration';
    const webhook = createCallWebhook({
      appId: BOT_APP_ID,
      publicUrl,
      auth: {
        issuers: [
          {
            kind: 'botframework',
            issuers: ['https://api.botframework.com'],
            openIdConfigurationUrl: metadataUrl,
          },
        ],
        fetch: async () => {
          throw new TypeError('fetch failed', {
            cause: new Error('getaddrinfo ENOTFOUND keys-down.example'),
          });
        },
      },
    });
    const rejection = await webhook.warm().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(rejection).toBeInstanceOf(CallgateError);
    const message = (rejection as Error).message;
    expect(message).toContain(metadataUrl);
    expect(message).toContain('ENOTFOUND keys-down.example');
    expect(message).not.toMatch(/see earlier warnings/);
    expect(printed().join('\n')).toMatch(/could not refresh OpenID metadata.*keys-down\.example/);
    expect(printed().join('\n')).toMatch(/callgate: warm\(\) failed/);

    // Asked again within the cooldown (no new fetch), warm() still says why.
    const again = await webhook.warm().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect((again as Error).message).toContain('ENOTFOUND keys-down.example');
  });

  it('warns once when an incomingCall handler is registered but no callbackUri can be built', () => {
    const webhook = createCallWebhook({ appId: BOT_APP_ID, auth: issuer.auth });
    webhook.on('callTerminated', () => {});
    expect(warn).not.toHaveBeenCalled();
    webhook.on('incomingCall', () => {});
    webhook.on('incomingCall', () => {});
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/callbackUri\(\) cannot be built.*publicUrl/);
  });

  it('does not warn about the callbackUri when publicUrl or routing.partition is set', () => {
    webhookWith().on('incomingCall', () => {});
    createCallWebhook({
      appId: BOT_APP_ID,
      auth: issuer.auth,
      routing: { partition: { self: 'p1', url: (p) => `https://bot.example.com/api/calls/${p}` } },
    }).on('incomingCall', () => {});
    expect(warn).not.toHaveBeenCalled();
  });

  it('makes the first call fail loudly when a handler calls callbackUri() without publicUrl', async () => {
    const webhook = createCallWebhook({ appId: BOT_APP_ID, auth: issuer.auth });
    webhook.on('incomingCall', () => {
      webhook.callbackUri();
    });
    await webhook.handle(await post(fixtureText('graph-incoming-call-p2p')));
    await webhook.idle();
    expect(printed().join('\n')).toMatch(/a handler failed[\s\S]*needs `publicUrl`/);
  });
});

describe('silence only when asked', () => {
  it.each([
    ['logger: false', false as const],
    ['silentLogger', silentLogger],
  ])(
    '%s: a failing handler, a failed warm() and a missing publicUrl print nothing',
    async (_name, logger) => {
      const webhook = createCallWebhook({
        appId: BOT_APP_ID,
        logger,
        auth: { ...issuer.auth, fetch: async () => new Response('down', { status: 503 }) },
      });
      webhook.on('incomingCall', () => {
        throw new Error('boom');
      });
      await expect(webhook.warm()).rejects.toThrow(/answered HTTP 503/);
      expect(printed()).toEqual([]);
      nothingElsePrinted();
    },
  );

  it('a handler failure under logger: false still answers and runs the others', async () => {
    const webhook = webhookWith({ logger: false });
    const after = vi.fn();
    webhook.on('callStateChanged', () => {
      throw new Error('boom');
    });
    webhook.on('callStateChanged', after);
    expect((await webhook.handle(await post(fixtureText('graph-call-established')))).status).toBe(
      202,
    );
    await webhook.idle();
    expect(after).toHaveBeenCalledTimes(1);
    expect(printed()).toEqual([]);
  });
});

describe('consoleLogger', () => {
  it('writes warn and error, drops debug and info, and says so through isLevelEnabled', () => {
    consoleLogger.debug({ a: 1 }, 'debug line');
    consoleLogger.info({ a: 1 }, 'info line');
    consoleLogger.warn({ code: 'x', n: 2, skipped: undefined }, 'warn line');
    consoleLogger.error({ err: 'text' }, 'error line');
    expect(printed()).toEqual(['warn line code="x" n=2', 'error line err="text"']);
    expect(
      ['debug', 'info', 'warn', 'error'].map((l) => consoleLogger.isLevelEnabled?.(l)),
    ).toEqual([false, false, true, true]);
    nothingElsePrinted();
  });

  it('describeError follows the cause chain and shows codes', () => {
    const error = new CallgateError('body_read_failed', 'outer', {
      status: 400,
      cause: new Error('inner', { cause: 'root' }),
    });
    expect(describeError(error)).toBe('[body_read_failed] outer: inner: root');
  });
});

describe('body_read_failed names the cause in the answer', () => {
  it('passes the reader’s own explanation (e.g. another parser consumed the stream) as the detail', async () => {
    const webhook = webhookWith({ logger: false });
    const explanation =
      'The request body stream was already consumed before the webhook could read it: a body parser read it';
    const response = await webhook.handle(
      await post(
        deferredBody(async () => {
          throw new CallgateError('body_read_failed', explanation, { status: 400 });
        }),
      ),
    );
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      code: 'body_read_failed',
      detail: explanation,
    });
  });

  it('falls back to a generic detail for an unexplained failure', async () => {
    const webhook = webhookWith({ logger: false });
    const response = await webhook.handle(
      await post(
        deferredBody(async () => {
          throw new Error('ECONNRESET');
        }),
      ),
    );
    expect(JSON.parse(response.body)).toMatchObject({
      code: 'body_read_failed',
      detail: expect.stringMatching(/disconnected/),
    });
  });
});
