import {
  type AuthVerifyContext,
  type CallgateTracingChannel,
  createTracingChannel,
  type DispatchContext,
  type GraphRequestContext,
  type KeysFetchContext,
  TRACING_CHANNELS,
  type TracingChannelSubscribers,
  type WebhookHandleContext,
  type WebhookInstrumentation,
} from '@callgate/core';
import {
  type Context,
  context as contextApi,
  type MeterProvider,
  metrics,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { AnswerLatencyTracker } from './answerLatencyTracker';
import { ATTR, normalizeMethod, SEMCONV } from './attributeNames';
import { createMetrics } from './createMetrics';
import { answeringRequest, graphUrlTemplate } from './graphUrlTemplate';
import {
  type AttributePolicy,
  dispatchAttributes,
  graphEndAttributes,
  graphErrorType,
  graphStartAttributes,
  isFailure,
  keysFetchAttributes,
  outcomeOf,
  webhookEndAttributes,
  webhookStartAttributes,
} from './spanAttributes';

const SCOPE = '@callgate/opentelemetry';

/** Options of {@link instrumentCallgate}. */
export interface InstrumentCallgateOptions {
  /** Default: the global tracer provider. */
  tracerProvider?: TracerProvider;
  /** Default: the global meter provider. */
  meterProvider?: MeterProvider;
  /**
   * `'internal'` (default): `callgate.webhook` is an INTERNAL span under the
   * framework's HTTP SERVER span. `'server'` (Fetch runtimes, no HTTP
   * instrumentation): a SERVER span `POST {route}` continuing the trace of the
   * request's `traceparent`.
   */
  spanKind?: 'internal' | 'server';
  /** Put the caller's tenant id on spans (`callgate.tenant.id`); default true. Never on metrics. */
  recordTenantId?: boolean;
}

/** What {@link instrumentCallgate} returns. */
export interface CallgateTelemetry {
  /**
   * Pass to `createCallWebhook({ instrument })`: the `callgate.webhook` and
   * `callgate.dispatch` spans are then active while callgate and your
   * handlers run, so your own spans (and `@callgate/calls`' Graph requests)
   * nest under them. Without it, spans still come from the channels, only
   * not as the active context.
   */
  readonly instrument: WebhookInstrumentation;
  /** Stops listening: no more spans or metrics from callgate. */
  disable(): void;
}

type Subscription = { channel: CallgateTracingChannel<object>; subscribers: object };

/**
 * Turns callgate's `diagnostics_channel` tracing channels into OpenTelemetry
 * spans and metrics: `callgate.webhook` per request (with a span event per
 * notification), `callgate.dispatch {eventType}` per handler run,
 * `callgate.keys.fetch`, a CLIENT span per Graph request of `@callgate/calls`;
 * `callgate.webhook.duration`, `callgate.dispatch.duration`,
 * `callgate.auth.failures`, `callgate.keys.fetches` and
 * `callgate.call.answer_latency`.
 *
 * Call it once, after the OpenTelemetry SDK started (or pass providers).
 *
 * @example
 * ```ts
 * import { createCallWebhook } from '@callgate/core';
 * import { instrumentCallgate } from '@callgate/opentelemetry';
 *
 * const telemetry = instrumentCallgate();
 * const webhook = createCallWebhook({
 *   appId: process.env.BOT_APP_ID!,
 *   publicUrl: 'https://bot.contoso.com/api/calls',
 *   instrument: telemetry.instrument,
 * });
 * ```
 */
export function instrumentCallgate(options: InstrumentCallgateOptions = {}): CallgateTelemetry {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE);
  const instruments = createMetrics(meter);
  const policy: AttributePolicy = { recordTenantId: options.recordTenantId !== false };
  const asServer = options.spanKind === 'server';
  const answers = new AnswerLatencyTracker();
  const spans = new WeakMap<object, Span>();
  const startedAt = new WeakMap<object, number>();
  const webhookSpans = new WeakSet<Span>();
  const subscriptions: Subscription[] = [];
  let enabled = true;

  function startWebhookSpan(context: WebhookHandleContext): { span: Span; parent: Context } {
    const active = contextApi.active();
    const parent = asServer ? propagation.extract(active, context.traceHeaders) : active;
    const name = asServer
      ? `${normalizeMethod(context.method)} ${context.path}`
      : 'callgate.webhook';
    const span = tracer.startSpan(
      name,
      {
        kind: asServer ? SpanKind.SERVER : SpanKind.INTERNAL,
        attributes: webhookStartAttributes(context),
      },
      parent,
    );
    spans.set(context, span);
    webhookSpans.add(span);
    return { span, parent };
  }

  function finishWebhookSpan(context: WebhookHandleContext): void {
    const span = spans.get(context);
    if (span === undefined) return;
    spans.delete(context);
    span.setAttributes(webhookEndAttributes(context, policy));
    for (const notification of context.notifications ?? []) {
      const attributes: Record<string, string> = { [ATTR.eventType]: notification.type };
      if (notification.callId !== undefined) attributes[ATTR.callId] = notification.callId;
      if (notification.changeType !== undefined)
        attributes[ATTR.changeType] = notification.changeType;
      span.addEvent('callgate.notification', attributes);
    }
    if (context.error !== undefined) recordError(span, context.error);
    else if (isFailure(context)) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }

  function startDispatchSpan(context: DispatchContext): { span: Span; parent: Context } {
    const parent = contextApi.active();
    const span = tracer.startSpan(
      `callgate.dispatch ${context.eventType}`,
      { kind: SpanKind.INTERNAL, attributes: dispatchAttributes(context, policy) },
      parent,
    );
    spans.set(context, span);
    return { span, parent };
  }

  function finishDispatchSpan(context: DispatchContext): void {
    const span = spans.get(context);
    if (span === undefined) return;
    spans.delete(context);
    if (context.error !== undefined) recordError(span, context.error);
    span.end();
  }

  const webhookSubscribers: TracingChannelSubscribers<WebhookHandleContext> = {
    start: safely((context) => {
      startedAt.set(context, performance.now());
      if (!spans.has(context)) startWebhookSpan(context);
    }),
    asyncEnd: safely((context) => {
      const now = performance.now();
      const started = startedAt.get(context) ?? now;
      finishWebhookSpan(context);
      const attributes: Record<string, string | number> = {
        [SEMCONV.method]: normalizeMethod(context.method),
        [ATTR.outcome]: outcomeOf(context),
      };
      if (context.status !== undefined) attributes[SEMCONV.statusCode] = context.status;
      if (context.format !== undefined) attributes[ATTR.format] = context.format;
      instruments.webhookDuration.record((now - started) / 1000, attributes);
      if (context.action === 'accept') {
        for (const notification of context.notifications ?? []) {
          if (notification.type === 'incomingCall' && notification.callId !== undefined) {
            answers.noteIncoming(notification.callId, started);
          }
        }
      }
    }),
  };

  const dispatchSubscribers: TracingChannelSubscribers<DispatchContext> = {
    start: safely((context) => {
      startedAt.set(context, performance.now());
      if (!spans.has(context)) startDispatchSpan(context);
    }),
    asyncEnd: safely((context) => {
      const now = performance.now();
      finishDispatchSpan(context);
      const attributes: Record<string, string> = { [ATTR.eventType]: context.eventType };
      if (context.error !== undefined) attributes[SEMCONV.errorType] = errorName(context.error);
      instruments.dispatchDuration.record(
        (now - (startedAt.get(context) ?? now)) / 1000,
        attributes,
      );
    }),
  };

  const authSubscribers: TracingChannelSubscribers<AuthVerifyContext> = {
    asyncEnd: safely((context) => {
      const active = trace.getActiveSpan();
      if (active !== undefined && webhookSpans.has(active) && context.cache !== undefined) {
        active.setAttribute(ATTR.authCache, context.cache);
      }
      if (context.reason !== undefined) {
        instruments.authFailures.add(1, { [ATTR.reason]: context.reason });
      }
    }),
  };

  const keysSubscribers: TracingChannelSubscribers<KeysFetchContext> = {
    start: safely((context) => {
      spans.set(
        context,
        tracer.startSpan('callgate.keys.fetch', {
          kind: SpanKind.INTERNAL,
          attributes: keysFetchAttributes(context),
        }),
      );
    }),
    asyncEnd: safely((context) => {
      const span = spans.get(context);
      spans.delete(context);
      if (span !== undefined) {
        span.setAttributes(keysFetchAttributes(context));
        if (context.error !== undefined) recordError(span, context.error);
        span.end();
      }
      instruments.keysFetches.add(1, {
        [ATTR.keysKind]: context.kind,
        [ATTR.outcome]: context.error === undefined ? 'success' : 'failure',
      });
    }),
  };

  const graphSubscribers: TracingChannelSubscribers<GraphRequestContext> = {
    start: safely((context) => {
      spans.set(
        context,
        tracer.startSpan(`${normalizeMethod(context.method)} ${graphUrlTemplate(context.path)}`, {
          kind: SpanKind.CLIENT,
          attributes: graphStartAttributes(context, policy),
        }),
      );
    }),
    asyncEnd: safely((context) => {
      const now = performance.now();
      const span = spans.get(context);
      spans.delete(context);
      if (span !== undefined) {
        span.setAttributes(graphEndAttributes(context));
        if (context.error !== undefined) recordError(span, context.error);
        else if (graphErrorType(context) !== undefined)
          span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      }
      noteAnswer(context, now);
    }),
  };

  function noteAnswer(context: GraphRequestContext, now: number): void {
    if (context.status === undefined || context.status < 200 || context.status >= 300) return;
    const fromPath = answeringRequest(context.path);
    const operation = fromPath?.operation ?? context.operation;
    if (operation !== 'answer' && operation !== 'redirect' && operation !== 'reject') return;
    const callId = context.callId ?? fromPath?.callId;
    if (callId === undefined) return;
    const latency = answers.takeLatency(callId, now);
    if (latency === undefined) return;
    instruments.answerLatency.record(latency / 1000, { [ATTR.graphOperation]: operation });
  }

  const wire = <C extends object>(name: string, subscribers: TracingChannelSubscribers<C>) => {
    const channel = createTracingChannel<C & { error?: unknown }>(name);
    channel.subscribe(subscribers as TracingChannelSubscribers<C & { error?: unknown }>);
    subscriptions.push({ channel: channel as CallgateTracingChannel<object>, subscribers });
  };
  wire(TRACING_CHANNELS.webhookHandle, webhookSubscribers);
  wire(TRACING_CHANNELS.dispatch, dispatchSubscribers);
  wire(TRACING_CHANNELS.authVerify, authSubscribers);
  wire(TRACING_CHANNELS.keysFetch, keysSubscribers);
  wire(TRACING_CHANNELS.graphRequest, graphSubscribers);

  const instrument: WebhookInstrumentation = {
    handle(context, run) {
      if (!enabled) return run();
      const { span, parent } = startWebhookSpan(context);
      return contextApi
        .with(trace.setSpan(parent, span), run)
        .then(() => finishWebhookSpan(context));
    },
    dispatch(context, run) {
      if (!enabled) return run();
      const { span, parent } = startDispatchSpan(context);
      return contextApi
        .with(trace.setSpan(parent, span), run)
        .then(() => finishDispatchSpan(context));
    },
  };

  return {
    instrument,
    disable() {
      enabled = false;
      for (const { channel, subscribers } of subscriptions.splice(0)) {
        channel.unsubscribe(subscribers);
      }
    },
  };
}

function recordError(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setAttribute(SEMCONV.errorType, errorName(error));
  span.setStatus({
    code: SpanStatusCode.ERROR,
    ...(error instanceof Error ? { message: error.message } : {}),
  });
}

function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (error instanceof Error) return error.name;
  }
  return 'Error';
}

/**
 * A subscriber that never throws: Node turns a throwing diagnostics_channel
 * subscriber into an uncaught exception, and telemetry must never take a bot down.
 */
function safely<C>(handler: (context: C) => void): (context: C) => void {
  return (context) => {
    try {
      handler(context);
    } catch {
      // Telemetry is best effort.
    }
  };
}
