import type { WebhookRequest, WebhookResponse } from '../http/types';
import { problemResponse } from './problemResponse';
import type { HandleOptions, WebhookHandler } from './types';

/**
 * `webhook.handle(request)` for adapters: resolves with a response even if a
 * {@link WebhookHandler} that is not callgate's own rejects (then 500, and
 * `onError` hears of it; an `onError` that throws is ignored).
 *
 * @example
 * ```ts
 * const response = await handleSafely(webhook, request, { maxBodyBytes }, options.onError);
 * ```
 */
export async function handleSafely(
  webhook: WebhookHandler,
  request: WebhookRequest,
  options: HandleOptions | undefined,
  onError: ((error: unknown) => void) | undefined,
): Promise<WebhookResponse> {
  try {
    return await webhook.handle(request, options);
  } catch (error) {
    try {
      onError?.(error);
    } catch {
      // A failing error reporter must not keep the request from being answered.
    }
    return problemResponse(500, 'internal_error', 'The webhook failed unexpectedly.');
  }
}
