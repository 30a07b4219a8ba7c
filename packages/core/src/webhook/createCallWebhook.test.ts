import { describe, expect, it, vi } from 'vitest';
import { fixture, fixtureText } from '../../test/support/fixtures';
import { BOT_APP_ID, createMemoryIssuer, TENANT_ID } from '../../test/support/memoryIssuer';
import { ConfigError } from '../errors';
import { CallgateError } from '../errors';
import { deferredBody, type WebhookRequest } from '../http/types';
import { selectByTenant } from '../routing/selectByTenant';
import type { CallContext } from './CallContext';
import { type CallWebhookOptions, createCallWebhook } from './createCallWebhook';
import type { Logger } from './Logger';

const issuer = await createMemoryIssuer();

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
    headers: {
      authorization: `Bearer ${await issuer.token()}`,
      'content-type': 'application/json',
      ...headers,
    },
    body,
  };
}

function recordingLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message: string | undefined }[] =
    [];
  const at = (level: string) => (fields: Record<string, unknown>, message?: string) =>
    lines.push({ level, fields, message });
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { logger, lines };
}

describe('createCallWebhook: the pipeline table', () => {
  it('answers 405 with Allow: POST to anything but POST, before looking at the token', async () => {
    const webhook = webhookWith();
    const response = await webhook.handle({
      method: 'GET',
      url: '/api/calls',
      headers: {},
      body: undefined,
    });
    expect(response.status).toBe(405);
    expect(response.headers.Allow).toBe('POST');
    expect(JSON.parse(response.body)).toMatchObject({ status: 405, code: 'method_not_allowed' });
    expect(response.headers['Content-Type']).toBe('application/problem+json');
  });

  it('answers 413 from Content-Length alone, before authentication, without reading the body', async () => {
    const webhook = webhookWith({ limits: { maxBodyBytes: 100 } });
    const read = vi.fn(async () => '{}');
    const response = await webhook.handle({
      method: 'POST',
      url: '/api/calls',
      headers: { 'content-length': '101' },
      body: deferredBody(read),
    });
    expect(response.status).toBe(413);
    expect(JSON.parse(response.body).code).toBe('body_too_large');
    expect(read).not.toHaveBeenCalled();
  });

  it('answers 413 for a raw body over the limit and when the reader says the body is too large', async () => {
    const webhook = webhookWith({ limits: { maxBodyBytes: 64 } });
    expect((await webhook.handle(await post('x'.repeat(65)))).status).toBe(413);
    expect((await webhook.handle(await post(new Uint8Array(65)))).status).toBe(413);
    const tooLarge = deferredBody(async () => {
      throw new CallgateError('body_too_large', 'over', { status: 413 });
    });
    expect((await webhook.handle(await post(tooLarge))).status).toBe(413);
  });

  it('passes the per-request maxBodyBytes to the body reader', async () => {
    const webhook = webhookWith();
    const read = vi.fn(async () => fixtureText('graph-call-established'));
    await webhook.handle(await post(deferredBody(read)), { maxBodyBytes: 4096 });
    expect(read).toHaveBeenCalledWith(4096, { onTimeout: expect.any(Function) });
  });

  it('answers 400 for a nonsense Content-Length', async () => {
    const response = await webhookWith().handle(await post('{}', { 'content-length': '12abc' }));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).code).toBe('invalid_content_length');
  });

  it('answers 401 with WWW-Authenticate and a reason code when the token is missing, and never reads the body', async () => {
    const webhook = webhookWith();
    const read = vi.fn(async () => fixtureText('graph-incoming-call-p2p'));
    const handler = vi.fn();
    webhook.on('notification', handler);
    const response = await webhook.handle({
      method: 'POST',
      url: '/api/calls',
      headers: {},
      body: deferredBody(read),
    });
    expect(response.status).toBe(401);
    expect(response.headers['WWW-Authenticate']).toBe('Bearer error="invalid_token"');
    expect(JSON.parse(response.body).code).toBe('missing_token');
    expect(read).not.toHaveBeenCalled();
    await webhook.idle();
    expect(handler).not.toHaveBeenCalled();
  });

  it('never echoes the token in a 401 body or in logs', async () => {
    const { logger, lines } = recordingLogger();
    const webhook = webhookWith({ logger, appId: 'another-bot' });
    const token = await issuer.token();
    const response = await webhook.handle({
      method: 'POST',
      url: '/api/calls',
      headers: { authorization: `Bearer ${token}` },
      body: fixtureText('graph-call-established'),
    });
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body).code).toBe('wrong_audience');
    expect(response.body).not.toContain(token);
    expect(JSON.stringify(lines)).not.toContain(token);
    expect(JSON.stringify(lines)).not.toContain(token.split('.')[2]);
  });

  it('answers 401, not 204, to an unauthenticated legacy POST', async () => {
    const response = await webhookWith().handle({
      method: 'POST',
      url: '/api/calls',
      headers: { authorization: 'Bearer not.a.jwt' },
      body: fixtureText('legacy-skype-incoming-call-conversation-docs'),
    });
    expect(response.status).toBe(401);
  });

  it('answers 503 with Retry-After when the signing keys are unreachable and none are cached', async () => {
    const down = await createMemoryIssuer();
    down.takeDown();
    const webhook = createCallWebhook({ appId: BOT_APP_ID, auth: down.auth });
    const response = await webhook.handle({
      method: 'POST',
      url: '/api/calls',
      headers: { authorization: `Bearer ${await down.token()}` },
      body: fixtureText('graph-call-established'),
    });
    expect(response.status).toBe(503);
    expect(Number(response.headers['Retry-After'])).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(response.body).code).toBe('keys_unavailable');
  });

  it('answers 400 with a code and JSON path for a body that is not a notification', async () => {
    const webhook = webhookWith();
    const invalidJson = await webhook.handle(await post('{"value": ['));
    expect(invalidJson.status).toBe(400);
    expect(JSON.parse(invalidJson.body).code).toBe('invalid_json');

    const notNotification = await webhook.handle(await post({ hello: 'world' }));
    expect(notNotification.status).toBe(400);
    expect(JSON.parse(notNotification.body).code).toBe('not_a_notification');

    const missingResource = await webhook.handle(
      await post({ value: [{ changeType: 'updated' }] }),
    );
    expect(missingResource.status).toBe(400);
    expect(JSON.parse(missingResource.body)).toMatchObject({
      code: 'missing_resource',
      path: '$.value[0]',
    });
  });

  it('answers 400 with a hint when no body arrived (e.g. a body parser swallowed it)', async () => {
    const response = await webhookWith().handle(await post(undefined));
    expect(response.status).toBe(400);
    const problem = JSON.parse(response.body);
    expect(problem.code).toBe('empty_body');
    expect(problem.detail).toMatch(/body parser/);
  });

  it('answers 400 when the body stream breaks', async () => {
    const broken = deferredBody(async () => {
      throw new CallgateError('body_read_failed', 'aborted', { status: 400 });
    });
    const response = await webhookWith().handle(await post(broken));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).code).toBe('body_read_failed');
  });

  it.each([
    'legacy-skype-incoming-call-conversation-docs',
    'legacy-skype-conversationresult-answer-docs',
    'legacy-rtm-notification-callstatechange-terminated',
  ])(
    'answers 204 with an empty body to the legacy fixture %s and dispatches nothing',
    async (name) => {
      const webhook = webhookWith();
      const handler = vi.fn();
      webhook.on('notification', handler);
      const response = await webhook.handle(await post(fixtureText(name)));
      expect(response).toEqual({ status: 204, headers: {}, body: '' });
      await webhook.idle();
      expect(handler).not.toHaveBeenCalled();
    },
  );

  it('answers 302 with Location for another region and does not dispatch the call here', async () => {
    const webhook = webhookWith({
      routing: {
        region: {
          self: 'emea',
          deployments: {
            emea: 'https://emea.bot.example/api/calls',
            amer: 'https://amer.bot.example/api/calls',
          },
          select: selectByTenant({ [TENANT_ID]: 'amer' }),
        },
      },
    });
    const handler = vi.fn();
    webhook.on('notification', handler);
    const response = await webhook.handle(await post(fixtureText('graph-incoming-call-p2p')));
    expect(response.status).toBe(302);
    expect(response.headers.Location).toBe('https://amer.bot.example/api/calls');
    await webhook.idle();
    expect(handler).not.toHaveBeenCalled();
  });

  it('accepts with 202 and dispatches typed events with the verified context', async () => {
    const webhook = webhookWith({ now: () => Date.parse('2026-11-22T10:00:00Z') });
    const seen: { type: string; callId: string | undefined; ctx: CallContext }[] = [];
    webhook.on('incomingCall', (event, ctx) => {
      seen.push({ type: event.type, callId: event.callId, ctx });
      expect(event.requestedModalities).toEqual(['audio']);
    });
    const token = await issuer.token({}, Math.floor(Date.parse('2026-11-22T10:00:00Z') / 1000));
    const response = await webhook.handle({
      method: 'POST',
      url: '/api/calls',
      headers: {
        Authorization: `Bearer ${token}`,
        'X-Microsoft-Skype-Chain-ID': 'chain-1',
        'X-Microsoft-Skype-Message-ID': 'message-1',
        'Scenario-Id': 'scenario-1',
        'Client-Request-Id': 'client-1',
        'X-Microsoft-Skype-Caller-Region': 'westus',
      },
      body: fixture('graph-incoming-call-p2p'),
    });
    expect(response).toEqual({ status: 202, headers: {}, body: '' });
    await webhook.idle();
    expect(seen).toHaveLength(1);
    const [{ ctx, callId }] = seen as [(typeof seen)[number]];
    expect(callId).toBe('57DAB8B1894C409AB240BD8BEAE78896');
    expect(ctx.tenantId).toBe(TENANT_ID);
    expect(ctx.caller.kind).toBe('botframework');
    expect(ctx.correlation).toEqual({
      chainId: 'chain-1',
      messageId: 'message-1',
      scenarioId: 'scenario-1',
      clientRequestId: 'client-1',
    });
    expect(ctx.callerRegion).toBe('westus');
    expect(ctx.receivedAt.toISOString()).toBe('2026-11-22T10:00:00.000Z');
    expect(ctx.deadline?.toISOString()).toBe('2026-11-22T10:00:15.000Z');
    expect(ctx.decision.action).toBe('accept');
  });

  it('gives no deadline to events other than an incoming call', async () => {
    const webhook = webhookWith();
    const deadlines: unknown[] = [];
    webhook.on('notification', (_event, ctx) => {
      deadlines.push(ctx.deadline);
    });
    await webhook.handle(await post(fixtureText('graph-call-established')));
    await webhook.idle();
    expect(deadlines).toEqual([undefined]);
  });

  it('dispatches N events for N notifications, in order, each to its own type and to `notification`', async () => {
    const webhook = webhookWith();
    const order: string[] = [];
    webhook.on('callStateChanged', (event) => {
      order.push(`state:${event.state}`);
    });
    webhook.on('callTerminated', (event) => {
      order.push(`terminated:${event.resultInfo?.subcode}`);
    });
    webhook.on('notification', (event) => {
      order.push(`any:${event.type}`);
    });
    const items = [
      'graph-call-establishing',
      'graph-call-established',
      'graph-contentsharingsession-created-no-resourcedata',
      'graph-call-terminated-resultinfo-transfer-completed',
    ].map((name) => (fixture(name).value as unknown[])[0]);
    const response = await webhook.handle(await post({ value: items }));
    expect(response.status).toBe(202);
    await webhook.idle();
    expect(order).toEqual([
      'state:establishing',
      'any:callStateChanged',
      'state:established',
      'any:callStateChanged',
      'any:unknown',
      'terminated:7015',
      'any:callTerminated',
    ]);
  });

  it('routes every event type of the fixtures to its handler', async () => {
    const webhook = webhookWith();
    const types: string[] = [];
    for (const name of [
      'incomingCall',
      'callStateChanged',
      'callTerminated',
      'participantsUpdated',
      'operationCompleted',
      'unknown',
    ] as const) {
      webhook.on(name, (event) => {
        types.push(event.type);
      });
    }
    for (const name of [
      'graph-incoming-call-policy-recording-meeting',
      'graph-call-updated-toneinfo',
      'graph-call-terminated-resultinfo-transfer-completed',
      'graph-participants-updated-roster-added',
      'graph-commsoperation-playprompt-completed',
      'graph-contentsharingsession-created-no-resourcedata',
    ]) {
      expect((await webhook.handle(await post(fixtureText(name)))).status).toBe(202);
    }
    await webhook.idle();
    expect(types).toEqual([
      'incomingCall',
      'callStateChanged',
      'callTerminated',
      'participantsUpdated',
      'operationCompleted',
      'unknown',
    ]);
  });

  it('refuses an unknown event name at registration', () => {
    const webhook = webhookWith();
    // @ts-expect-error: a typo a JavaScript user could make
    expect(() => webhook.on('incomingcall', () => {})).toThrow(/unknown event.*incomingCall/);
  });

  it('stops calling a handler once it is removed', async () => {
    const webhook = webhookWith();
    const handler = vi.fn();
    const off = webhook.on('notification', handler);
    off();
    await webhook.handle(await post(fixtureText('graph-call-established')));
    await webhook.idle();
    expect(handler).not.toHaveBeenCalled();
  });
});

describe('createCallWebhook: dispatch', () => {
  it('answers 202 before any handler runs (ack-first)', async () => {
    const webhook = webhookWith();
    let ran = false;
    webhook.on('notification', () => {
      ran = true;
    });
    const response = await webhook.handle(await post(fixtureText('graph-call-established')));
    expect(response.status).toBe(202);
    expect(ran).toBe(false);
    await webhook.idle();
    expect(ran).toBe(true);
  });

  it('reports a throwing or rejecting handler to onError and the logger, and keeps running the others', async () => {
    const { logger, lines } = recordingLogger();
    const onError = vi.fn();
    const webhook = webhookWith({ logger, onError });
    const after = vi.fn();
    webhook.on('callStateChanged', () => {
      throw new Error('sync boom');
    });
    webhook.on('callStateChanged', async () => {
      throw new Error('async boom');
    });
    webhook.on('notification', after);
    expect((await webhook.handle(await post(fixtureText('graph-call-established')))).status).toBe(
      202,
    );
    await webhook.idle();
    expect(onError.mock.calls.map(([error]) => (error as Error).message)).toEqual([
      'sync boom',
      'async boom',
    ]);
    expect(onError.mock.calls[0]?.[1].event.type).toBe('callStateChanged');
    expect(after).toHaveBeenCalledTimes(1);
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(2);
  });

  it('survives an onError that throws', async () => {
    const webhook = webhookWith({
      onError: () => {
        throw new Error('onError broke');
      },
    });
    webhook.on('notification', () => {
      throw new Error('handler broke');
    });
    expect((await webhook.handle(await post(fixtureText('graph-call-established')))).status).toBe(
      202,
    );
    await expect(webhook.idle()).resolves.toBeUndefined();
  });

  it('with awaitHandlers, answers only after the handlers finished', async () => {
    const webhook = webhookWith({ awaitHandlers: true });
    let finished = false;
    webhook.on('notification', async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      finished = true;
    });
    const response = await webhook.handle(await post(fixtureText('graph-call-established')));
    expect(response.status).toBe(202);
    expect(finished).toBe(true);
  });

  it('with awaitHandlers, answers 500 when a handler fails and when handlers outlast handlerTimeout', async () => {
    const failing = webhookWith({ awaitHandlers: true });
    failing.on('notification', () => {
      throw new Error('nope');
    });
    const failed = await failing.handle(await post(fixtureText('graph-call-established')));
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body).code).toBe('handler_failed');

    const hanging = webhookWith({ awaitHandlers: true, handlerTimeout: 0.02 });
    hanging.on('notification', () => new Promise<void>(() => {}));
    const timedOut = await hanging.handle(await post(fixtureText('graph-call-established')));
    expect(timedOut.status).toBe(500);
    expect(JSON.parse(timedOut.body).code).toBe('handler_timeout');
  });

  it('hands the dispatch to waitUntil for runtimes that stop after the response', async () => {
    const webhook = webhookWith();
    const handler = vi.fn();
    webhook.on('notification', handler);
    const waited: Promise<unknown>[] = [];
    await webhook.handle(await post(fixtureText('graph-call-established')), {
      waitUntil: (work) => waited.push(work),
    });
    expect(waited).toHaveLength(1);
    await waited[0];
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('schedules no background work for events nobody listens to', async () => {
    const webhook = webhookWith();
    const handler = vi.fn();
    webhook.on('participantsUpdated', handler);
    const waited: Promise<unknown>[] = [];
    const response = await webhook.handle(await post(fixtureText('graph-call-established')), {
      waitUntil: (work) => waited.push(work),
    });
    expect(response.status).toBe(202);
    expect(waited).toHaveLength(0);
    await webhook.idle();
    expect(handler).not.toHaveBeenCalled();
  });

  it('builds no decision log for a pino-style logger whose info level is off, and logs it when on', async () => {
    const { logger, lines } = recordingLogger();
    let infoEnabled = false;
    const webhook = webhookWith({
      logger: { ...logger, isLevelEnabled: (level) => level !== 'info' || infoEnabled },
    });
    await webhook.handle(await post(fixtureText('graph-call-established')));
    expect(lines.filter((line) => line.level === 'info')).toHaveLength(0);
    infoEnabled = true;
    await webhook.handle(await post(fixtureText('graph-call-established')));
    expect(lines.filter((line) => line.level === 'info')).toEqual([
      expect.objectContaining({ message: 'callgate: decision' }),
    ]);
  });

  it('turns an unexpected verifier failure into a 401, never a throw', async () => {
    const webhook = webhookWith({
      auth: {
        verifier: {
          verify: async () => {
            throw new TypeError('bug');
          },
          warm: async () => {},
          appIds: [BOT_APP_ID],
        },
      },
    });
    const response = await webhook.handle(await post(fixtureText('graph-call-established')));
    expect(response.status).toBe(401);
  });
});

describe('createCallWebhook: partitions and callbackUri', () => {
  const partition = (misrouted?: 'accept' | 'redirect' | 'reject') => ({
    self: 'p1',
    url: (name: string) => `https://bot.example.com/api/calls/${name}`,
    ...(misrouted ? { misrouted } : {}),
  });

  it('builds a callbackUri carrying the partition and reads it back as ctx.partition', async () => {
    const webhook = webhookWith({ routing: { partition: partition() } });
    expect(webhook.callbackUri()).toBe(
      'https://bot.example.com/api/calls/p1?callgate-partition=p1',
    );
    const uri = new URL(webhook.callbackUri({ partition: 'p1' }));
    const partitions: unknown[] = [];
    webhook.on('notification', (_event, ctx) => {
      partitions.push(ctx.partition);
    });
    await webhook.handle(
      await post(fixtureText('graph-call-established'), {}, uri.pathname + uri.search),
    );
    await webhook.idle();
    expect(partitions).toEqual(['p1']);
  });

  it('follows misrouted: accept (default), redirect (302 to that partition) and reject (421)', async () => {
    const body = fixtureText('graph-call-established');
    const url = '/api/calls/p2?callgate-partition=p2';

    const accepting = webhookWith({ routing: { partition: partition() } });
    const seen: unknown[] = [];
    accepting.on('notification', (_event, ctx) => {
      seen.push(ctx.partition);
    });
    expect((await accepting.handle(await post(body, {}, url))).status).toBe(202);
    await accepting.idle();
    expect(seen).toEqual(['p2']);

    const redirecting = webhookWith({ routing: { partition: partition('redirect') } });
    const redirected = await redirecting.handle(await post(body, {}, url));
    expect(redirected.status).toBe(302);
    expect(redirected.headers.Location).toBe(
      'https://bot.example.com/api/calls/p2?callgate-partition=p2',
    );

    const rejecting = webhookWith({ routing: { partition: partition('reject') } });
    const rejected = await rejecting.handle(await post(body, {}, url));
    expect(rejected.status).toBe(421);
    expect(JSON.parse(rejected.body)).toMatchObject({
      code: 'misdirected_partition',
      partition: 'p2',
    });
  });

  it('uses publicUrl as the callbackUri when no partitions are configured', () => {
    const webhook = webhookWith({ publicUrl: 'https://bot.example.com/api/calls' });
    expect(webhook.callbackUri()).toBe('https://bot.example.com/api/calls');
    expect(() => webhook.callbackUri({ partition: 'p2' })).toThrow(/routing.partition/);
    expect(() => webhookWith().callbackUri()).toThrow(/publicUrl/);
  });

  it('refuses an invalid partition name in callbackUri', () => {
    const webhook = webhookWith({ routing: { partition: partition() } });
    expect(() => webhook.callbackUri({ partition: 'a/b' })).toThrow(ConfigError);
  });
});

describe('createCallWebhook: configuration is refused at construction', () => {
  const select = () => undefined;
  // JavaScript callers can pass anything, so the table is untyped on purpose.
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an empty appId', { appId: '' }, /appId/],
    ['an empty appId list', { appId: [] }, /appId/],
    ['a negative body limit', { limits: { maxBodyBytes: -1 } }, /maxBodyBytes/],
    ['a fractional body limit', { limits: { maxBodyBytes: 1.5 } }, /maxBodyBytes/],
    ['an http publicUrl', { publicUrl: 'http://bot.example.com/api/calls' }, /publicUrl/],
    ['a handlerTimeout of 0', { handlerTimeout: 0 }, /handlerTimeout/],
    [
      'no deployments',
      { routing: { region: { self: 'a', deployments: {}, select } } },
      /deployments is empty/,
    ],
    [
      'an http deployment',
      { routing: { region: { self: 'a', deployments: { b: 'http://b.example/api' }, select } } },
      /deployments\["b"\].*https/,
    ],
    [
      'a deployment URL with credentials',
      {
        routing: { region: { self: 'a', deployments: { b: 'https://u:p@b.example/api' }, select } },
      },
      /credentials/,
    ],
    [
      'a missing select',
      { routing: { region: { self: 'a', deployments: { b: 'https://b.example/api' } } } },
      /select must be a function/,
    ],
    [
      'a bad partition name',
      { routing: { partition: { self: 'a b', url: () => 'https://x.example' } } },
      /partition.self/,
    ],
    [
      'a partition url that is not https',
      { routing: { partition: { self: 'a', url: () => 'ftp://x' } } },
      /partition.url/,
    ],
    [
      'an unknown misrouted policy',
      { routing: { partition: { self: 'a', url: () => 'https://x.example', misrouted: 'drop' } } },
      /misrouted/,
    ],
    ['a logger without warn', { logger: { info() {}, debug() {}, error() {} } }, /logger.warn/],
  ])('refuses %s', (_name, options, message) => {
    const attempt = () => webhookWith(options as Partial<CallWebhookOptions>);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it('allows http deployments on loopback for local testing', () => {
    expect(() =>
      webhookWith({
        routing: {
          region: { self: 'a', deployments: { b: 'http://127.0.0.1:3979/api/calls' }, select },
        },
      }),
    ).not.toThrow();
  });
});
