import { createCallsClient } from '@callgate/calls';
import type { CallWebhook } from '@callgate/core';

/** Graph is never called by the bench's handlers: a request would be a bug in the bench. */
const noGraph: typeof fetch = () =>
  Promise.reject(new Error('bench: the linked calls client must not call Graph'));

/**
 * What a real bot has on its webhook (issue 17 measures callgate with both): a
 * `notification` handler, and a linked `@callgate/calls` client following
 * each call (state, roster, completions) through `webhook.observe`. Graph is
 * never reached: the handler only acknowledges.
 */
export function equipLikeABot(webhook: CallWebhook): void {
  createCallsClient({
    credential: async () => 'bench-token',
    webhook,
    baseUrl: 'http://127.0.0.1:9/v1.0',
    fetch: noGraph,
  });
  webhook.on('notification', () => undefined);
}
