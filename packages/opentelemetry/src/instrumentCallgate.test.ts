import {
  type CallWebhookOptions,
  createCallWebhook,
  createTracingChannel,
  type GraphRequestContext,
  TRACING_CHANNELS,
} from '@callgate/core';
import { context, propagation, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BOT_APP_ID, createMemoryIssuer, TENANT_ID } from '../../core/test/support/memoryIssuer';
import {
  type CallgateTelemetry,
  type InstrumentCallgateOptions,
  instrumentCallgate,
} from './instrumentCallgate';

const CALL_ID = '57dab8b1-894c-409a-b240-bd8beae78896';
const incomingCall = JSON.stringify({
  value: [
    {
      changeType: 'created',
      resourceUrl: `/communications/calls/${CALL_ID}`,
      resourceData: {
        '@odata.type': '#microsoft.graph.call',
        state: 'incoming',
        direction: 'incoming',
      },
    },
  ],
});
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const headers = {
  'x-microsoft-skype-chain-id': 'chain-1',
  'x-microsoft-skype-message-id': 'message-1',
  'scenario-id': 'scenario-1',
  traceparent: TRACEPARENT,
};

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
});
afterAll(() => {
  context.disable();
  propagation.disable();
});

let telemetry: CallgateTelemetry | undefined;
afterEach(() => telemetry?.disable());

const issuer = await createMemoryIssuer();

function setUp(options: InstrumentCallgateOptions = {}) {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meterProvider = new MeterProvider({ readers: [reader] });
  telemetry = instrumentCallgate({ tracerProvider, meterProvider, ...options });
  const instrumented = telemetry;
  const webhookWith = (more: Partial<CallWebhookOptions> = {}, hooks = true) =>
    createCallWebhook({
      appId: BOT_APP_ID,
      publicUrl: 'https://bot.example/api/calls',
      auth: issuer.auth,
      ...(hooks ? { instrument: instrumented.instrument } : {}),
      ...more,
    });
  const post = async (body: string, extra: Record<string, string> = {}) => ({
    method: 'POST',
    url: '/api/calls',
    headers: { authorization: `Bearer ${await issuer.token()}`, ...headers, ...extra },
    body,
  });
  const finished = () => spans.getFinishedSpans();
  const named = (name: string) => finished().filter((span) => span.name === name);
  const only = (name: string): ReadableSpan => {
    const found = named(name);
    expect(found, name).toHaveLength(1);
    return found[0] as ReadableSpan;
  };
  const metricPoints = async (name: string) => {
    await reader.forceFlush();
    const exported = metricExporter.getMetrics().at(-1);
    const metric = exported?.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((m) => m.descriptor.name === name);
    return (metric?.dataPoints ?? []) as Array<{
      attributes: Record<string, unknown>;
      value: unknown;
    }>;
  };
  const allMetricAttributes = async () => {
    await reader.forceFlush();
    return (metricExporter.getMetrics().at(-1)?.scopeMetrics ?? []).flatMap((scope) =>
      scope.metrics.flatMap((m) => m.dataPoints.map((p) => p.attributes)),
    );
  };
  return {
    webhookWith,
    post,
    finished,
    named,
    only,
    metricPoints,
    allMetricAttributes,
    tracerProvider,
  };
}

const spanIdOf = (span: ReadableSpan | undefined) => span?.spanContext().spanId;
const parentIdOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('instrumentCallgate: spans', () => {
  it('makes one INTERNAL callgate.webhook span per request, with HTTP and callgate attributes and a span event per notification', async () => {
    const t = setUp();
    const webhook = t.webhookWith();
    expect((await webhook.handle(await t.post(incomingCall))).status).toBe(202);
    const span = t.only('callgate.webhook');
    expect(span.kind).toBe(SpanKind.INTERNAL);
    expect(span.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 202,
      'url.path': '/api/calls',
      'callgate.outcome': 'accept',
      'callgate.reason': expect.any(String),
      'callgate.notification.format': 'graph',
      'callgate.notification.count': 1,
      'callgate.token.kind': 'botframework',
      'callgate.auth.cache': 'miss',
      'callgate.call.id': CALL_ID,
      'callgate.call.ids': [CALL_ID],
      'callgate.chain.id': 'chain-1',
      'callgate.message.id': 'message-1',
      'callgate.scenario.id': 'scenario-1',
      'callgate.tenant.id': TENANT_ID,
    });
    expect(span.events.map((event) => [event.name, event.attributes])).toEqual([
      [
        'callgate.notification',
        {
          'callgate.event.type': 'incomingCall',
          'callgate.call.id': CALL_ID,
          'callgate.change_type': 'created',
        },
      ],
    ]);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it("nests the handler's own span under callgate.dispatch, under callgate.webhook, under the HTTP server span", async () => {
    const t = setUp();
    const webhook = t.webhookWith();
    const tracer = t.tracerProvider.getTracer('bot');
    webhook.on('incomingCall', async () => {
      await tracer.startActiveSpan('bot.answer', async (span) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        span.end();
      });
    });
    await tracer.startActiveSpan('POST /api/calls (http)', async (server) => {
      await webhook.handle(await t.post(incomingCall));
      server.end();
    });
    await webhook.idle();
    const server = t.only('POST /api/calls (http)');
    const webhookSpan = t.only('callgate.webhook');
    const dispatch = t.only('callgate.dispatch incomingCall');
    const own = t.only('bot.answer');
    expect(parentIdOf(webhookSpan)).toBe(spanIdOf(server));
    expect(parentIdOf(dispatch)).toBe(spanIdOf(webhookSpan));
    expect(parentIdOf(own)).toBe(spanIdOf(dispatch));
    expect(
      new Set([server, webhookSpan, dispatch, own].map((s) => s.spanContext().traceId)).size,
    ).toBe(1);
    expect(dispatch.attributes).toMatchObject({
      'callgate.event.type': 'incomingCall',
      'callgate.call.id': CALL_ID,
      'callgate.chain.id': 'chain-1',
    });
  });

  it('does not mark a 401 as an error; marks a throwing handler and a 5xx answer as errors', async () => {
    const t = setUp();
    const webhook = t.webhookWith({ awaitHandlers: true });
    webhook.on('incomingCall', () => {
      throw new TypeError('handler broke');
    });
    expect(
      (await webhook.handle(await t.post(incomingCall, { authorization: 'Bearer x.y.z' }))).status,
    ).toBe(401);
    expect((await webhook.handle(await t.post(incomingCall))).status).toBe(500);
    const [refused, failed] = t.named('callgate.webhook');
    expect(refused?.status.code).toBe(SpanStatusCode.UNSET);
    expect(refused?.attributes).toMatchObject({
      'http.response.status_code': 401,
      'callgate.outcome': 'malformed_token',
    });
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed?.attributes).toMatchObject({ 'error.type': 'handler_failed' });
    const dispatch = t.only('callgate.dispatch incomingCall');
    expect(dispatch.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'handler broke' });
    expect(dispatch.events.map((e) => e.name)).toEqual(['exception']);
  });

  it("with spanKind 'server': a SERVER span `POST {route}` continuing the request's traceparent", async () => {
    const t = setUp({ spanKind: 'server' });
    const webhook = t.webhookWith();
    await webhook.handle(await t.post(incomingCall));
    const span = t.only('POST /api/calls');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(parentIdOf(span)).toBe('b7ad6b7169203331');
    expect(span.attributes['http.route']).toBe('/api/calls');
  });

  it('leaves tenant ids off spans with recordTenantId: false', async () => {
    const t = setUp({ recordTenantId: false });
    const webhook = t.webhookWith();
    webhook.on('incomingCall', () => {});
    await webhook.handle(await t.post(incomingCall));
    await webhook.idle();
    expect(t.finished().length).toBeGreaterThanOrEqual(2);
    for (const span of t.finished())
      expect(span.attributes).not.toHaveProperty('callgate.tenant.id');
  });

  it('makes callgate.keys.fetch spans for the metadata and key loads, an error when they fail', async () => {
    const fresh = await createMemoryIssuer();
    const t = setUp();
    const webhook = createCallWebhook({
      appId: BOT_APP_ID,
      publicUrl: 'https://bot.example/api/calls',
      auth: fresh.auth,
    });
    await webhook.handle({
      ...(await t.post(incomingCall)),
      headers: { authorization: `Bearer ${await fresh.token()}` },
    });
    expect(t.named('callgate.keys.fetch').map((s) => s.attributes)).toEqual([
      {
        'callgate.keys.kind': 'openid-configuration',
        'url.full': 'https://issuer.test/v1/.well-known/OpenIdConfiguration',
      },
      {
        'callgate.keys.kind': 'jwks',
        'url.full': 'https://issuer.test/keys',
        'callgate.keys.count': 1,
      },
    ]);
    const down = await createMemoryIssuer();
    down.takeDown();
    const broken = createCallWebhook({
      appId: BOT_APP_ID,
      publicUrl: 'https://bot.example/api/calls',
      auth: down.auth,
    });
    await broken.handle({
      ...(await t.post(incomingCall)),
      headers: { authorization: `Bearer ${await down.token()}` },
    });
    expect(t.named('callgate.keys.fetch').at(-1)?.status.code).toBe(SpanStatusCode.ERROR);
    expect(await t.metricPoints('callgate.keys.fetches')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          attributes: { 'callgate.keys.kind': 'jwks', 'callgate.outcome': 'success' },
          value: 1,
        }),
        expect.objectContaining({
          attributes: {
            'callgate.keys.kind': 'openid-configuration',
            'callgate.outcome': 'failure',
          },
          value: 1,
        }),
      ]),
    );
  });

  it('still makes spans from the channels alone (no instrument option), only not as the active context', async () => {
    const t = setUp();
    const webhook = t.webhookWith({}, false);
    webhook.on('incomingCall', () => {});
    await webhook.handle(await t.post(incomingCall));
    await webhook.idle();
    expect(t.only('callgate.webhook').attributes['http.response.status_code']).toBe(202);
    expect(t.only('callgate.dispatch incomingCall').attributes['callgate.event.type']).toBe(
      'incomingCall',
    );
  });

  it('stops with disable(): no more spans, and the hooks just run the work', async () => {
    const t = setUp();
    const webhook = t.webhookWith();
    telemetry?.disable();
    expect((await webhook.handle(await t.post(incomingCall))).status).toBe(202);
    expect(t.finished()).toEqual([]);
  });

  it('never breaks a request when the tracer itself throws', async () => {
    const throwing = {
      getTracer: () => ({
        startSpan: () => {
          throw new Error('tracer broke');
        },
        startActiveSpan: () => {
          throw new Error('tracer broke');
        },
      }),
    };
    telemetry = instrumentCallgate({ tracerProvider: throwing as never });
    const webhook = createCallWebhook({
      appId: BOT_APP_ID,
      publicUrl: 'https://bot.example/api/calls',
      auth: issuer.auth,
      instrument: telemetry.instrument,
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const handled: string[] = [];
    webhook.on('incomingCall', (event) => {
      handled.push(String(event.callId));
    });
    const response = await webhook.handle({
      method: 'POST',
      url: '/api/calls',
      headers: { authorization: `Bearer ${await issuer.token()}` },
      body: incomingCall,
    });
    await webhook.idle();
    expect(response.status).toBe(202);
    expect(handled).toEqual([CALL_ID]);
  });
});

describe('instrumentCallgate: Graph requests (callgate:graph.request)', () => {
  const graph = createTracingChannel<GraphRequestContext>(TRACING_CHANNELS.graphRequest);
  const request = (context: GraphRequestContext, status: number, requestId = 'req-1') =>
    graph.tracePromise(async () => {
      context.status = status;
      context.requestId = requestId;
      context.attempts = 2;
    }, context);
  const answer = (callId: string): GraphRequestContext => ({
    method: 'POST',
    operation: 'answer',
    path: `/v1.0/communications/calls/${callId}/answer`,
    serverAddress: 'graph.microsoft.com',
    callId,
    tenantId: TENANT_ID,
    clientRequestId: 'client-9',
  });

  it('makes a CLIENT span per request with method, template, status, request ids and resend count', async () => {
    const t = setUp();
    await request(answer(CALL_ID), 202);
    await request(
      {
        ...answer(CALL_ID),
        operation: 'playPrompt',
        path: `/v1.0/communications/calls/${CALL_ID}/playPrompt`,
      },
      404,
    );
    const answered = t.only('POST /v1.0/communications/calls/{id}/answer');
    expect(answered.kind).toBe(SpanKind.CLIENT);
    expect(answered.attributes).toMatchObject({
      'http.request.method': 'POST',
      'server.address': 'graph.microsoft.com',
      'url.template': '/v1.0/communications/calls/{id}/answer',
      'url.full': `https://graph.microsoft.com/v1.0/communications/calls/${CALL_ID}/answer`,
      'http.response.status_code': 202,
      'http.request.resend_count': 1,
      'callgate.graph.operation': 'answer',
      'callgate.graph.request_id': 'req-1',
      'callgate.graph.client_request_id': 'client-9',
      'callgate.call.id': CALL_ID,
    });
    expect(answered.status.code).toBe(SpanStatusCode.UNSET);
    const failed = t.only('POST /v1.0/communications/calls/{id}/playPrompt');
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes['error.type']).toBe('404');
  });

  it('records callgate.call.answer_latency from the incoming-call POST to the 2xx answer, once per call', async () => {
    const t = setUp();
    const webhook = t.webhookWith();
    await webhook.handle(await t.post(incomingCall));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await request(answer(CALL_ID.toUpperCase()), 202);
    await request(answer(CALL_ID), 202);
    await request(answer('never-rang'), 202);
    const points = await t.metricPoints('callgate.call.answer_latency');
    expect(points).toHaveLength(1);
    const point = points[0] as {
      attributes: Record<string, unknown>;
      value: { count: number; sum: number };
    };
    expect(point.attributes).toEqual({ 'callgate.graph.operation': 'answer' });
    expect(point.value.count).toBe(1);
    expect(point.value.sum).toBeGreaterThanOrEqual(0.025);
    expect(point.value.sum).toBeLessThan(5);
  });

  it('does not count a failed answer; a later successful reject counts', async () => {
    const t = setUp();
    const webhook = t.webhookWith();
    await webhook.handle(await t.post(incomingCall));
    await request(answer(CALL_ID), 403);
    expect(await t.metricPoints('callgate.call.answer_latency')).toEqual([]);
    await request(
      {
        ...answer(CALL_ID),
        operation: 'reject',
        path: `/v1.0/communications/calls/${CALL_ID}/reject`,
      },
      204,
    );
    const points = await t.metricPoints('callgate.call.answer_latency');
    expect(points.map((p) => p.attributes)).toEqual([{ 'callgate.graph.operation': 'reject' }]);
  });

  it('nests a Graph request made by a handler under its callgate.dispatch span', async () => {
    const t = setUp();
    const webhook = t.webhookWith();
    webhook.on('incomingCall', async (event) => {
      await request(answer(String(event.callId)), 202);
    });
    await webhook.handle(await t.post(incomingCall));
    await webhook.idle();
    const dispatch = t.only('callgate.dispatch incomingCall');
    expect(parentIdOf(t.only('POST /v1.0/communications/calls/{id}/answer'))).toBe(
      spanIdOf(dispatch),
    );
  });
});

describe('instrumentCallgate: metrics', () => {
  it('records webhook and dispatch durations, auth failures by reason, and never a tenant or call id', async () => {
    const t = setUp();
    const webhook = t.webhookWith();
    webhook.on('incomingCall', () => {});
    await webhook.handle(await t.post(incomingCall));
    await webhook.handle(await t.post(incomingCall, { authorization: 'Basic nope' }));
    await webhook.handle(await t.post(incomingCall, { authorization: 'Basic again' }));
    await webhook.idle();

    const durations = await t.metricPoints('callgate.webhook.duration');
    expect(durations.map((p) => p.attributes)).toEqual(
      expect.arrayContaining([
        {
          'http.request.method': 'POST',
          'http.response.status_code': 202,
          'callgate.outcome': 'accept',
          'callgate.notification.format': 'graph',
        },
        {
          'http.request.method': 'POST',
          'http.response.status_code': 401,
          'callgate.outcome': 'bad_scheme',
        },
      ]),
    );
    expect(await t.metricPoints('callgate.auth.failures')).toEqual([
      expect.objectContaining({ attributes: { 'callgate.reason': 'bad_scheme' }, value: 2 }),
    ]);
    const dispatch = await t.metricPoints('callgate.dispatch.duration');
    expect(dispatch.map((p) => p.attributes)).toEqual([{ 'callgate.event.type': 'incomingCall' }]);

    const keys = (await t.allMetricAttributes()).flatMap((attributes) => Object.keys(attributes));
    expect(keys.length).toBeGreaterThan(0);
    for (const forbidden of [
      'callgate.tenant.id',
      'callgate.call.id',
      'callgate.call.ids',
      'callgate.chain.id',
    ]) {
      expect(keys).not.toContain(forbidden);
    }
  });
});
