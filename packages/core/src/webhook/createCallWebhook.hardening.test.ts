// The reproductions of the security review (issue 12), each answered safely.
import { describe, expect, it, vi } from 'vitest';
import { fixture, fixtureText } from '../../test/support/fixtures';
import { BOT_APP_ID, createMemoryIssuer, TENANT_ID } from '../../test/support/memoryIssuer';
import { createTokenVerifier } from '../auth/createTokenVerifier';
import { ConfigError } from '../errors';
import { deferredBody, type WebhookRequest } from '../http/types';
import { decide } from '../routing/decide';
import type { CallContext } from './CallContext';
import { type CallWebhookOptions, createCallWebhook } from './createCallWebhook';

const issuer = await createMemoryIssuer();
const OTHER_APP = '0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9';
const TENANT_2 = '11111111-2222-4333-8444-555555555555';

function webhookWith(options: Partial<CallWebhookOptions> = {}) {
  return createCallWebhook({ appId: BOT_APP_ID, auth: issuer.auth, ...options });
}

async function post(
  body: unknown,
  headers: Record<string, string> = {},
  url = '/api/calls',
): Promise<WebhookRequest> {
  return {
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${await issuer.token()}`, ...headers },
    body,
  };
}

const problemCode = (body: string) => (JSON.parse(body) as { code: string }).code;

/** A Graph body of `count` minimal, valid notifications. */
function manyNotifications(count: number, padding = 0) {
  return {
    value: Array.from({ length: count }, (_, i) => ({
      changeType: 'updated',
      resourceUrl: `/communications/calls/${i}`,
      resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established' },
      ...(padding > 0 ? { pad: 'x'.repeat(padding) } : {}),
    })),
  };
}

describe('1. a shared verifier cannot silently drop the webhook appId or auth options', () => {
  const sharedFor = (appId: string | string[]) => createTokenVerifier({ appId, ...issuer.auth });

  it("refuses the review's combination at construction: another appId, tenants and clockTolerance next to a shared verifier", () => {
    const create = () =>
      createCallWebhook({
        appId: OTHER_APP,
        auth: { verifier: sharedFor(BOT_APP_ID), tenants: [TENANT_2], clockTolerance: 0 },
      });
    expect(create).toThrow(ConfigError);
    expect(create).toThrow(/auth\.tenants, auth\.clockTolerance would be ignored/);
  });

  it('refuses any other auth option next to a verifier, even one that matches', () => {
    for (const extra of [
      { tenants: [TENANT_2] },
      { clockTolerance: 0 },
      { cloud: 'gcch' as const },
      { appId: BOT_APP_ID },
    ]) {
      expect(() =>
        createCallWebhook({
          appId: BOT_APP_ID,
          auth: { verifier: sharedFor(BOT_APP_ID), ...extra },
        }),
      ).toThrow(ConfigError);
    }
  });

  it('refuses a verifier whose audiences are not exactly the webhook appId', () => {
    expect(() =>
      createCallWebhook({ appId: OTHER_APP, auth: { verifier: sharedFor(BOT_APP_ID) } }),
    ).toThrow(/accepts the audience\(s\) "6b4d/);
    // Wider: the webhook would accept tokens for another bot.
    expect(() =>
      createCallWebhook({
        appId: BOT_APP_ID,
        auth: { verifier: sharedFor([BOT_APP_ID, OTHER_APP]) },
      }),
    ).toThrow(ConfigError);
    // A verifier that does not say what it accepts cannot be checked.
    expect(() =>
      createCallWebhook({
        appId: BOT_APP_ID,
        auth: { verifier: { verify: async () => ({}) as never, warm: async () => {} } as never },
      }),
    ).toThrow(/verifier\.appIds/);
  });

  it('refuses auth.appId that differs from appId, and accepts the same ids in any order', () => {
    expect(() => webhookWith({ auth: { ...issuer.auth, appId: OTHER_APP } })).toThrow(
      /auth\.appId .* differs from appId/,
    );
    expect(() =>
      createCallWebhook({
        appId: [BOT_APP_ID, OTHER_APP],
        auth: { ...issuer.auth, appId: [OTHER_APP, BOT_APP_ID] },
      }),
    ).not.toThrow();
  });

  it('exposes what a verifier accepts, frozen, and shares it between webhooks of the same appId', async () => {
    const verifier = sharedFor(BOT_APP_ID);
    expect(verifier.appIds).toEqual([BOT_APP_ID]);
    expect(Object.isFrozen(verifier.appIds)).toBe(true);
    const first = createCallWebhook({ appId: BOT_APP_ID, auth: { verifier } });
    const second = createCallWebhook({ appId: [BOT_APP_ID], auth: { verifier } });
    expect(first.verifier).toBe(second.verifier);
    const body = fixtureText('graph-call-established');
    expect((await first.handle(await post(body))).status).toBe(202);
    expect((await second.handle(await post(body))).status).toBe(202);
  });

  it('enforces tenants and clockTolerance given to the shared verifier itself', async () => {
    const verifier = createTokenVerifier({
      appId: BOT_APP_ID,
      tenants: [TENANT_2],
      clockTolerance: 0,
      ...issuer.auth,
    });
    const webhook = createCallWebhook({ appId: BOT_APP_ID, auth: { verifier } });
    const expired = await issuer.token({}, Math.floor(Date.now() / 1000) - 400);
    const response = await webhook.handle({
      method: 'POST',
      url: '/api/calls',
      headers: { authorization: `Bearer ${expired}` },
      body: fixtureText('graph-call-established'),
    });
    expect(response.status).toBe(401);
    expect(problemCode(response.body)).toBe('expired');
    const fresh = await webhook.handle(await post(fixtureText('graph-call-established')));
    expect(problemCode(fresh.body)).toBe('tenant_not_allowed');
  });
});

describe('2. limits hold for bodies a parser read before callgate', () => {
  it('answers 413 to a 5 MB body already parsed into an object (default 1 MiB limit), and dispatches nothing', async () => {
    const webhook = webhookWith();
    const handler = vi.fn();
    webhook.on('notification', handler);
    const parsed = manyNotifications(99, 52_000);
    expect(JSON.stringify(parsed).length).toBeGreaterThan(5_000_000);
    const response = await webhook.handle(await post(parsed));
    expect(response.status).toBe(413);
    expect(problemCode(response.body)).toBe('body_too_large');
    await webhook.idle();
    expect(handler).not.toHaveBeenCalled();
  });

  it('measures a parsed value with its multi-byte text, and accepts one under the limit', async () => {
    const webhook = webhookWith({ limits: { maxBodyBytes: 4000 } });
    const fits = fixture('graph-call-established');
    expect((await webhook.handle(await post(fits))).status).toBe(202);
    // 1300 × '€' is 1300 UTF-16 units but 3900 bytes of UTF-8.
    const wide = { ...fits, pad: '€'.repeat(1300) };
    expect(JSON.stringify(wide).length).toBeLessThan(4000);
    expect((await webhook.handle(await post(wide))).status).toBe(413);
  });

  it('answers 413 too_many_notifications past limits.maxNotifications (default 100), parsed or raw', async () => {
    const webhook = webhookWith();
    const handler = vi.fn();
    webhook.on('notification', handler);
    for (const body of [manyNotifications(101), JSON.stringify(manyNotifications(101))]) {
      const response = await webhook.handle(await post(body));
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body)).toMatchObject({
        code: 'too_many_notifications',
        path: '$.value',
      });
    }
    expect((await webhook.handle(await post(manyNotifications(100)))).status).toBe(202);
    const strict = webhookWith({ limits: { maxNotifications: 2 } });
    expect((await strict.handle(await post(manyNotifications(3)))).status).toBe(413);
    await webhook.idle();
    expect(handler).toHaveBeenCalledTimes(100);
  });

  it('refuses a maxNotifications that is not a positive whole number', () => {
    for (const maxNotifications of [0, -1, 1.5, Number.NaN]) {
      expect(() => webhookWith({ limits: { maxNotifications } })).toThrow(ConfigError);
    }
  });
});

describe('4. partition names made only of dots are not partitions', () => {
  // The README's own template: `..` would resolve to the parent path.
  const routing = {
    partition: {
      self: 'p1',
      url: (name: string) => `https://bot.contoso.com/api/calls/${name}`,
      misrouted: 'redirect' as const,
    },
  };

  it.each(['..', '.', '...', '%2e%2e', '%2E.'])(
    'never redirects ?callgate-partition=%s to a path built from it',
    async (name) => {
      const webhook = webhookWith({ routing });
      const seen: Array<string | undefined> = [];
      webhook.on('notification', (_event, ctx) => {
        seen.push(ctx.partition);
      });
      const response = await webhook.handle(
        await post(
          fixtureText('graph-call-established'),
          {},
          `/api/calls?callgate-partition=${name}`,
        ),
      );
      expect(response.status).toBe(202);
      expect(response.headers.Location).toBeUndefined();
      await webhook.idle();
      expect(seen).toEqual([undefined]);
    },
  );

  it('still redirects a real partition name that merely contains dots', async () => {
    const webhook = webhookWith({ routing });
    const response = await webhook.handle(
      await post(fixtureText('graph-call-established'), {}, '/api/calls?callgate-partition=p.2'),
    );
    expect(response.headers.Location).toBe(
      'https://bot.contoso.com/api/calls/p.2?callgate-partition=p.2',
    );
  });

  it('refuses dot-only names in routing.partition.self, callbackUri and decide', () => {
    expect(() =>
      webhookWith({ routing: { partition: { ...routing.partition, self: '..' } } }),
    ).toThrow(ConfigError);
    const webhook = webhookWith({ routing });
    expect(() => webhook.callbackUri({ partition: '..' })).toThrow(ConfigError);
    expect(() => webhook.callbackUri({ partition: '.' })).toThrow(ConfigError);
    const decision = decide({ format: 'graph', events: [], partition: '..', routing });
    expect(decision.action).toBe('accept');
  });
});

describe('5. handlers and select never see the bearer token', () => {
  it('redacts Authorization and Authentication in ctx.headers and keeps the verified caller', async () => {
    const webhook = webhookWith();
    const contexts: CallContext[] = [];
    webhook.on('notification', (_event, ctx) => {
      contexts.push(ctx);
    });
    const request = await post(fixtureText('graph-call-established'), {
      Authentication: 'Bearer also-secret',
      'x-microsoft-skype-chain-id': 'chain-1',
    });
    const token = String(request.headers.authorization).slice('Bearer '.length);
    expect((await webhook.handle(request)).status).toBe(202);
    await webhook.idle();
    const [ctx] = contexts;
    expect(ctx?.headers).toMatchObject({
      authorization: '[redacted]',
      Authentication: '[redacted]',
      'x-microsoft-skype-chain-id': 'chain-1',
    });
    expect(Object.isFrozen(ctx?.headers)).toBe(true);
    expect(ctx?.caller.tenantId).toBe(TENANT_ID);
    const logged = JSON.stringify(ctx);
    expect(logged).not.toContain(token);
    expect(logged).not.toContain('also-secret');
    // The request the adapter handed over is left as it was.
    expect(request.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('redacts them in the region select context', async () => {
    const seen: Array<Record<string, unknown>> = [];
    const webhook = webhookWith({
      routing: {
        region: {
          self: 'emea',
          deployments: { emea: 'https://emea.bot.example/api/calls' },
          select: (_call, context) => {
            seen.push({ ...context.headers });
            return undefined;
          },
        },
      },
    });
    const request = await post(fixtureText('graph-incoming-call-p2p'));
    expect((await webhook.handle(request)).status).toBe(202);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.authorization).toBe('[redacted]');
    expect(JSON.stringify(seen)).not.toContain(String(request.headers.authorization).slice(7));
  });
});

describe('6. the whole body must arrive within limits.bodyTimeout', () => {
  it('answers 408 body_timeout on time to a body that never finishes, and tells the reader to stop', async () => {
    const webhook = webhookWith({ limits: { bodyTimeout: 0.2 } });
    const stopped: string[] = [];
    const started = Date.now();
    const response = await webhook.handle(
      await post(
        deferredBody((_max, options) => {
          options?.onTimeout?.((error) => stopped.push(error.code));
          return new Promise(() => {});
        }),
      ),
    );
    const elapsed = Date.now() - started;
    expect(response.status).toBe(408);
    expect(JSON.parse(response.body)).toMatchObject({ status: 408, code: 'body_timeout' });
    expect(elapsed).toBeGreaterThanOrEqual(180);
    expect(elapsed).toBeLessThan(2000);
    expect(stopped).toEqual(['body_timeout']);
  });

  it('reads a body that arrives in time, and ignores what a reader does after the timeout', async () => {
    const webhook = webhookWith({ limits: { bodyTimeout: 0.2 } });
    const body = fixtureText('graph-call-established');
    const fast = await webhook.handle(
      await post(deferredBody(() => new Promise((resolve) => setTimeout(() => resolve(body), 20)))),
    );
    expect(fast.status).toBe(202);
    const late = await webhook.handle(
      await post(
        deferredBody(
          () => new Promise((_resolve, reject) => setTimeout(() => reject(new Error('late')), 400)),
        ),
      ),
    );
    expect(late.status).toBe(408);
    await new Promise((resolve) => setTimeout(resolve, 300));
  });

  it('refuses a bodyTimeout that is not a positive number of seconds', () => {
    for (const bodyTimeout of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => webhookWith({ limits: { bodyTimeout } })).toThrow(ConfigError);
    }
  });
});
