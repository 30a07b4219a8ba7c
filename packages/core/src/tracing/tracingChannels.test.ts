import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordChannels } from '../../test/support/channelRecorder';
import { BOT_APP_ID, createMemoryIssuer, TENANT_ID } from '../../test/support/memoryIssuer';
import type { WebhookRequest } from '../http/types';
import { createCallWebhook } from '../webhook/createCallWebhook';
import type { Logger } from '../webhook/Logger';
import { TRACING_CHANNELS } from './channels';

const CALL_ID = '57dab8b1-894c-409a-b240-bd8beae78896';
const SECRET_NAME = 'Very Private Caller Name';
const incomingCall = JSON.stringify({
  '@odata.type': '#microsoft.graph.commsNotifications',
  value: [
    {
      '@odata.type': '#microsoft.graph.commsNotification',
      changeType: 'created',
      resourceUrl: `/communications/calls/${CALL_ID}`,
      resourceData: {
        '@odata.type': '#microsoft.graph.call',
        state: 'incoming',
        direction: 'incoming',
        source: { identity: { user: { id: 'u1', displayName: SECRET_NAME } } },
      },
    },
  ],
});
const legacy = JSON.stringify({ callState: 'incoming', participants: [] });
const correlation = {
  'x-microsoft-skype-chain-id': 'chain-1',
  'x-microsoft-skype-message-id': 'message-1',
  'scenario-id': 'scenario-1',
  'client-request-id': 'client-1',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};
const all = Object.values(TRACING_CHANNELS);

let recorder: ReturnType<typeof recordChannels> | undefined;
afterEach(() => recorder?.stop());
function record() {
  recorder = recordChannels(all);
  return recorder;
}

async function setUp() {
  const issuer = await createMemoryIssuer();
  const token = await issuer.token();
  const webhook = createCallWebhook({
    appId: BOT_APP_ID,
    publicUrl: 'https://bot.example/api/calls',
    auth: issuer.auth,
  });
  const request = (body: string, headers: Record<string, string> = {}): WebhookRequest => ({
    method: 'POST',
    url: '/api/calls?callgate-partition=p7',
    headers: { authorization: `Bearer ${token}`, ...correlation, ...headers },
    body,
  });
  return { issuer, token, webhook, request };
}

describe('callgate:webhook.handle', () => {
  it('publishes start, end, asyncStart, asyncEnd with what an operator needs to know', async () => {
    const { webhook, request } = await setUp();
    const seen = record();
    expect((await webhook.handle(request(incomingCall))).status).toBe(202);

    expect(seen.sequence(TRACING_CHANNELS.webhookHandle)).toEqual([
      'start',
      'end',
      'asyncStart',
      'asyncEnd',
    ]);
    const started = seen.events.find((e) => e.event === 'start')?.context;
    expect(started).toEqual({
      method: 'POST',
      path: '/api/calls',
      partition: 'p7',
      chainId: 'chain-1',
      messageId: 'message-1',
      scenarioId: 'scenario-1',
      clientRequestId: 'client-1',
      traceHeaders: { traceparent: correlation.traceparent },
    });
    expect(seen.last(TRACING_CHANNELS.webhookHandle)).toEqual({
      ...started,
      tokenKind: 'botframework',
      tenantId: TENANT_ID,
      format: 'graph',
      notificationCount: 1,
      notifications: [{ type: 'incomingCall', callId: CALL_ID, changeType: 'created' }],
      callIds: [CALL_ID],
      action: 'accept',
      reason: expect.any(String),
      status: 202,
    });
    const handles = seen.events.filter((e) => e.channel === TRACING_CHANNELS.webhookHandle);
    expect(new Set(handles.map((e) => e.live)).size).toBe(1);
  });

  it('names the answer of a request refused early: status and problem code, no decision', async () => {
    const { webhook, request } = await setUp();
    const seen = record();
    await webhook.handle(request(incomingCall, { authorization: 'Bearer not.a.jwt' }));
    expect(seen.last(TRACING_CHANNELS.webhookHandle)).toMatchObject({
      status: 401,
      code: 'malformed_token',
    });
    expect(seen.last(TRACING_CHANNELS.webhookHandle)).not.toHaveProperty('action');
    await webhook.handle({ ...request(incomingCall), method: 'GET' });
    expect(seen.last(TRACING_CHANNELS.webhookHandle)).toMatchObject({
      method: 'GET',
      status: 405,
      code: 'method_not_allowed',
    });
  });

  it('records a legacy body as such', async () => {
    const { webhook, request } = await setUp();
    const seen = record();
    expect((await webhook.handle(request(legacy))).status).toBe(204);
    expect(seen.last(TRACING_CHANNELS.webhookHandle)).toMatchObject({
      format: 'legacy',
      action: 'ignore-legacy',
      status: 204,
    });
  });
});

describe('callgate:auth.verify and callgate:keys.fetch', () => {
  it('reports the first verification as a cache miss with two key fetches, the next as a hit', async () => {
    const { webhook, request } = await setUp();
    const seen = record();
    await webhook.handle(request(legacy));
    await webhook.handle(request(legacy));

    const verifications = seen.events.filter(
      (e) => e.channel === TRACING_CHANNELS.authVerify && e.event === 'asyncEnd',
    );
    expect(verifications.map((e) => e.context)).toEqual([
      { cache: 'miss', tokenKind: 'botframework', tenantId: TENANT_ID },
      { cache: 'hit', tokenKind: 'botframework', tenantId: TENANT_ID },
    ]);
    const fetches = seen.events.filter(
      (e) => e.channel === TRACING_CHANNELS.keysFetch && e.event === 'asyncEnd',
    );
    expect(fetches.map((e) => e.context)).toEqual([
      {
        kind: 'openid-configuration',
        url: 'https://issuer.test/v1/.well-known/OpenIdConfiguration',
      },
      { kind: 'jwks', url: 'https://issuer.test/keys', keyCount: 1 },
    ]);
  });

  it('publishes error (then asyncStart, asyncEnd) with the reason when a token is refused', async () => {
    const { webhook, request } = await setUp();
    const seen = record();
    await webhook.handle(request(legacy, { authorization: 'Basic abc' }));
    expect(seen.sequence(TRACING_CHANNELS.authVerify)).toEqual([
      'start',
      'end',
      'error',
      'asyncStart',
      'asyncEnd',
    ]);
    const failed = seen.last(TRACING_CHANNELS.authVerify);
    expect(failed).toMatchObject({ reason: 'bad_scheme' });
    expect(failed?.error).toMatchObject({ code: 'bad_scheme' });
  });

  it('publishes error on keys.fetch when the key endpoint fails', async () => {
    const { issuer, webhook, request } = await setUp();
    issuer.takeDown();
    const seen = record();
    expect((await webhook.handle(request(legacy))).status).toBe(503);
    expect(seen.sequence(TRACING_CHANNELS.keysFetch)).toEqual([
      'start',
      'end',
      'error',
      'asyncStart',
      'asyncEnd',
    ]);
    expect(seen.last(TRACING_CHANNELS.authVerify)).toMatchObject({ reason: 'keys_unavailable' });
    expect(seen.last(TRACING_CHANNELS.webhookHandle)).toMatchObject({
      status: 503,
      code: 'keys_unavailable',
    });
  });
});

describe('callgate:dispatch', () => {
  it('wraps each handler run, after the 202, with the event and correlation ids', async () => {
    const { webhook, request } = await setUp();
    const ran: string[] = [];
    webhook.on('incomingCall', () => {
      ran.push('incomingCall');
    });
    webhook.on('notification', async () => {
      ran.push('notification');
    });
    const seen = record();
    await webhook.handle(request(incomingCall));
    await webhook.idle();
    expect(ran).toEqual(['incomingCall', 'notification']);
    expect(seen.sequence(TRACING_CHANNELS.dispatch)).toEqual([
      ...['start', 'end', 'asyncStart', 'asyncEnd'],
      ...['start', 'end', 'asyncStart', 'asyncEnd'],
    ]);
    expect(seen.last(TRACING_CHANNELS.dispatch)).toEqual({
      eventType: 'incomingCall',
      callId: CALL_ID,
      changeType: 'created',
      tenantId: TENANT_ID,
      chainId: 'chain-1',
      messageId: 'message-1',
      scenarioId: 'scenario-1',
      partition: 'p7',
    });
    const webhookEnd = seen.events.findIndex(
      (e) => e.channel === TRACING_CHANNELS.webhookHandle && e.event === 'asyncEnd',
    );
    const dispatchStart = seen.events.findIndex((e) => e.channel === TRACING_CHANNELS.dispatch);
    expect(dispatchStart).toBeGreaterThan(webhookEnd);
  });

  it('publishes error with what a handler threw, sync or async, and the next handler still runs', async () => {
    const { webhook, request } = await setUp();
    const syncFailure = new Error('sync');
    const asyncFailure = new Error('async');
    webhook.on('incomingCall', () => {
      throw syncFailure;
    });
    webhook.on('incomingCall', async () => {
      throw asyncFailure;
    });
    const onLast = vi.fn();
    webhook.on('notification', onLast);
    const seen = record();
    await webhook.handle(request(incomingCall));
    await webhook.idle();
    const errors = seen.events.filter(
      (e) => e.channel === TRACING_CHANNELS.dispatch && e.event === 'error',
    );
    expect(errors.map((e) => e.context.error)).toEqual([syncFailure, asyncFailure]);
    expect(onLast).toHaveBeenCalledOnce();
  });
});

describe('contexts never carry secrets', () => {
  it('holds no token, no key material and no body on any channel, whatever the outcome', async () => {
    const { webhook, request, token } = await setUp();
    webhook.on('incomingCall', () => {
      throw new Error('handler failed');
    });
    const seen = record();
    await webhook.handle(request(incomingCall));
    await webhook.handle(request(legacy));
    await webhook.handle(request(incomingCall, { authorization: `Bearer ${token}x` }));
    await webhook.handle(request('{"not": "a notification"}'));
    await webhook.idle();

    expect(new Set(seen.events.map((e) => e.channel))).toEqual(new Set(all.slice(0, 4)));
    const dump = JSON.stringify(
      seen.events.map((e) => e.context),
      (_key, value: unknown) =>
        value instanceof Error ? { ...value, message: value.message, stack: value.stack } : value,
    );
    const [header, payload, signature] = token.split('.') as [string, string, string];
    for (const secret of [
      token,
      header,
      payload,
      signature,
      SECRET_NAME,
      '"participants"',
      '"kty"',
      '"n":',
      'BEGIN',
    ]) {
      expect(dump).not.toContain(secret);
    }
    expect(seen.events.some((e) => 'result' in e.live)).toBe(false);
  });
});

describe('the instrument option', () => {
  function recordingLogger() {
    const errors: unknown[] = [];
    const logger: Logger = {
      debug() {},
      info() {},
      warn() {},
      error: (fields) => errors.push((fields as { err?: unknown }).err),
    };
    return { logger, errors };
  }

  it('wraps each request and each handler run with the very context objects of the channels', async () => {
    const issuer = await createMemoryIssuer();
    const calls: string[] = [];
    const contexts: object[] = [];
    const webhook = createCallWebhook({
      appId: BOT_APP_ID,
      publicUrl: 'https://bot.example/api/calls',
      auth: issuer.auth,
      instrument: {
        handle: async (context, run) => {
          contexts.push(context);
          calls.push('handle:before');
          await run();
          calls.push(`handle:after ${context.status}`);
        },
        dispatch: async (context, run) => {
          contexts.push(context);
          calls.push(`dispatch:before ${context.eventType}`);
          await run();
          calls.push(`dispatch:after ${String((context.error as Error | undefined)?.message)}`);
        },
      },
    });
    webhook.on('incomingCall', () => {
      calls.push('handler');
      throw new Error('boom');
    });
    const seen = record();
    const response = await webhook.handle({
      method: 'POST',
      url: '/api/calls',
      headers: { authorization: `Bearer ${await issuer.token()}` },
      body: incomingCall,
    });
    await webhook.idle();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(response.status).toBe(202);
    expect(calls).toEqual([
      'handle:before',
      'handle:after 202',
      'dispatch:before incomingCall',
      'handler',
      'dispatch:after boom',
    ]);
    const published = [TRACING_CHANNELS.webhookHandle, TRACING_CHANNELS.dispatch].map(
      (channel) => seen.events.find((e) => e.channel === channel)?.live,
    );
    expect(contexts).toEqual(published);
    expect(contexts[0]).toBe(published[0]);
    expect(contexts[1]).toBe(published[1]);
  });

  it('builds contexts for the hooks even when nobody subscribes', async () => {
    const issuer = await createMemoryIssuer();
    const seen: unknown[] = [];
    const webhook = createCallWebhook({
      appId: BOT_APP_ID,
      publicUrl: 'https://bot.example/api/calls',
      auth: issuer.auth,
      instrument: { handle: (context, run) => run().then(() => seen.push({ ...context })) },
    });
    await webhook.handle({ method: 'GET', url: '/x', headers: {}, body: undefined });
    await vi.waitFor(() => expect(seen).toMatchObject([{ method: 'GET', status: 405 }]));
  });

  it('never lets a hook break the pipeline: throwing, rejecting, never calling run, calling it twice', async () => {
    const issuer = await createMemoryIssuer();
    const token = await issuer.token();
    const cases = {
      throws: () => {
        throw new Error('hook threw');
      },
      throwsAfterRun: (_context: unknown, run: () => Promise<void>) => {
        void run();
        throw new Error('hook threw after run');
      },
      rejects: async () => {
        throw new Error('hook rejected');
      },
      neverRuns: () => undefined,
      runsLate: (_context: unknown, run: () => Promise<void>) => {
        setTimeout(() => void run(), 5);
      },
      runsTwice: async (_context: unknown, run: () => Promise<void>) => {
        await run();
        await run();
      },
      hangs: () => new Promise(() => {}),
    };
    for (const [name, hook] of Object.entries(cases)) {
      const { logger, errors } = recordingLogger();
      const webhook = createCallWebhook({
        appId: BOT_APP_ID,
        publicUrl: 'https://bot.example/api/calls',
        auth: issuer.auth,
        logger,
        instrument: { handle: hook, dispatch: hook },
      });
      const handled = vi.fn();
      webhook.on('incomingCall', handled);
      const response = await webhook.handle({
        method: 'POST',
        url: '/api/calls',
        headers: { authorization: `Bearer ${token}` },
        body: incomingCall,
      });
      await webhook.idle();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect([name, response.status]).toEqual([name, 202]);
      expect([name, handled.mock.calls.length]).toEqual([name, 1]);
      if (name.startsWith('throws') || name === 'rejects') {
        expect(errors.length, name).toBe(2);
      } else {
        expect(errors, name).toEqual([]);
      }
    }
  });

  it('refuses an instrument option that is not hooks', () => {
    expect(() =>
      createCallWebhook({
        appId: BOT_APP_ID,
        publicUrl: 'https://bot.example/api/calls',
        instrument: { handle: 'yes' as never },
      }),
    ).toThrow(/instrument.handle must be a function/);
  });
});
