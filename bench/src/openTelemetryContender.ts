import type { CallWebhook, WebhookInstrumentation } from '@callgate/core';
import { instrumentCallgate } from '@callgate/opentelemetry';
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { Contender } from './contenders';

/** Spans kept in memory before they are dropped, so a long run does not grow without bound. */
const KEEP_SPANS = 1000;

/**
 * `webhook.handle` with `@callgate/opentelemetry` on: the SDK's tracer with a
 * simple processor into the in-memory exporter, a meter provider with an
 * in-memory metric exporter, the AsyncLocalStorage context manager, and the
 * `instrument` hooks. Channels are global, so `start()` subscribes only for
 * this contender's run and `stop()` unsubscribes, leaving the others untraced.
 */
export function openTelemetryContender(
  createWebhook: (instrument: WebhookInstrumentation) => CallWebhook,
): { contender: Contender; start(): void; stop(): Promise<void>; spansExported(): number } {
  const spans = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  });
  const meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
        exportIntervalMillis: 3_600_000,
      }),
    ],
  });
  const contextManager = new AsyncLocalStorageContextManager();
  let telemetry: ReturnType<typeof instrumentCallgate> | undefined;
  let webhook: CallWebhook | undefined;
  let exported = 0;

  return {
    start() {
      context.setGlobalContextManager(contextManager.enable());
      telemetry = instrumentCallgate({ tracerProvider, meterProvider });
      webhook = createWebhook(telemetry.instrument);
    },
    async stop() {
      telemetry?.disable();
      context.disable();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
    spansExported: () => exported + spans.getFinishedSpans().length,
    contender: async (token, body) => {
      if (webhook === undefined) throw new Error('openTelemetryContender: start() first');
      const response = await webhook.handle({
        method: 'POST',
        url: '/api/calls',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      if (response.status !== 202) throw new Error(`callgate answered ${response.status}`);
      if (spans.getFinishedSpans().length >= KEEP_SPANS) {
        exported += spans.getFinishedSpans().length;
        spans.reset();
      }
    },
  };
}
