import type { Counter, Histogram, Meter } from '@opentelemetry/api';

/** The instruments callgate records. Attributes never include tenant or call ids. */
export interface CallgateMetrics {
  webhookDuration: Histogram;
  dispatchDuration: Histogram;
  answerLatency: Histogram;
  authFailures: Counter;
  keysFetches: Counter;
}

/** Creates {@link CallgateMetrics} on `meter`. */
export function createMetrics(meter: Meter): CallgateMetrics {
  return {
    webhookDuration: meter.createHistogram('callgate.webhook.duration', {
      unit: 's',
      description: 'Time from receiving a webhook request to having its answer.',
      advice: {
        explicitBucketBoundaries: [
          0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
        ],
      },
    }),
    dispatchDuration: meter.createHistogram('callgate.dispatch.duration', {
      unit: 's',
      description: 'Time one handler took for one event.',
      advice: {
        explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
      },
    }),
    answerLatency: meter.createHistogram('callgate.call.answer_latency', {
      unit: 's',
      description:
        'Time from the incoming-call notification POST to the 2xx of answer, redirect or reject (Graph allows 15 s).',
      advice: {
        explicitBucketBoundaries: [0.25, 0.5, 1, 2, 3, 4, 5, 7.5, 10, 12.5, 15, 20, 30],
      },
    }),
    authFailures: meter.createCounter('callgate.auth.failures', {
      description: 'Requests whose token was refused, by reason.',
    }),
    keysFetches: meter.createCounter('callgate.keys.fetches', {
      description: 'Network loads of OpenID configurations and signing key sets.',
    }),
  };
}
