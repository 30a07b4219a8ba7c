import type { WebhookRequest, WebhookResponse } from '../http/types';

/** Per-request options an adapter may pass to {@link CallWebhook.handle}. */
export interface HandleOptions {
  /** Overrides `limits.maxBodyBytes` for this request (an adapter's own limit). */
  maxBodyBytes?: number;
  /**
   * Receives the promise of the handlers dispatched after an ack-first 202,
   * for runtimes that stop work once the response is sent (Workers'
   * `ctx.waitUntil`, Vercel's `waitUntil`). Not called when no handler
   * listens to any event of the body: then nothing runs after the response.
   */
  waitUntil?: (work: Promise<unknown>) => void;
}

/**
 * The framework-agnostic part of a webhook that adapters need: turn plain
 * request data into plain response data. `handle` never throws.
 */
export interface WebhookHandler {
  handle(request: WebhookRequest, options?: HandleOptions): Promise<WebhookResponse>;
  /** The body limit in bytes (`limits.maxBodyBytes`, default 1 MiB). */
  readonly maxBodyBytes: number;
}
