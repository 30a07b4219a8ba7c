import type { CallWebhook } from '@callgate/core';

/**
 * What every real bot has on its webhook: a `notification` handler. Slot: a
 * linked `@callgate/calls` client following each call belongs here too, once
 * that package exists (issue 17 measures callgate with both).
 */
export function equipLikeABot(webhook: CallWebhook): void {
  webhook.on('notification', () => undefined);
}
