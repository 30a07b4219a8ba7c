import { bodyReaderOf, CallgateError } from '@callgate/core';
import type {
  HandleOptions,
  WebhookHandler,
  WebhookRequest,
  WebhookResponse,
} from '@callgate/core';

/** How the fake webhook received a body: read through the adapter's reader, or handed over. */
export type ReceivedBody =
  | { source: 'reader'; text: string }
  | { source: 'direct'; value: unknown };

/** A stand-in for `createCallWebhook()` that answers like the core's table and records bodies. */
export interface FakeWebhook extends WebhookHandler {
  /** Body received per request, keyed by its `x-test-id` header. */
  readonly bodies: Map<string, ReceivedBody>;
  /** Every request handled, in order. */
  readonly requests: WebhookRequest[];
  /** Limits passed by the adapter (`options.maxBodyBytes`), per request. */
  readonly limits: Array<number | undefined>;
  /** Errors the adapter's body reader rejected with. */
  readonly readerErrors: CallgateError[];
  /** How many times a body reader was called. */
  readerCalls: number;
}

export const GOOD_TOKEN = 'Bearer good';

/**
 * Mimics the core's pipeline order: 405, 413 by Content-Length, 401, read the
 * body (413 / 400 when the reader rejects), 400 not a notification, 204 legacy,
 * 302 on `x-test-redirect`, else 202.
 */
export function createFakeWebhook(maxBodyBytes = 1024): FakeWebhook {
  const fake: FakeWebhook = {
    maxBodyBytes,
    bodies: new Map(),
    requests: [],
    limits: [],
    readerErrors: [],
    readerCalls: 0,
    async handle(request: WebhookRequest, options?: HandleOptions): Promise<WebhookResponse> {
      fake.requests.push(request);
      fake.limits.push(options?.maxBodyBytes);
      const limit = options?.maxBodyBytes ?? maxBodyBytes;
      if (request.method !== 'POST') return answer(405, 'method_not_allowed', { allow: 'POST' });
      const declared = header(request, 'content-length');
      if (declared !== undefined && Number(declared) > limit) return answer(413, 'body_too_large');
      // Token verification is asynchronous in the real core: the body keeps arriving meanwhile.
      await new Promise((resolve) => setImmediate(resolve));
      if (header(request, 'authorization') !== GOOD_TOKEN) {
        return answer(401, 'invalid_token', { 'www-authenticate': 'Bearer error="invalid_token"' });
      }

      let received: ReceivedBody;
      const read = bodyReaderOf(request.body);
      if (read) {
        fake.readerCalls += 1;
        try {
          const bytes = await read(limit);
          received = {
            source: 'reader',
            text: typeof bytes === 'string' ? bytes : new TextDecoder().decode(bytes),
          };
        } catch (error) {
          if (!(error instanceof CallgateError)) throw error;
          fake.readerErrors.push(error);
          return answer(error.code === 'body_too_large' ? 413 : 400, error.code);
        }
      } else {
        received = { source: 'direct', value: request.body };
      }
      const id = header(request, 'x-test-id');
      if (id !== undefined) fake.bodies.set(id, received);

      const notification = parse(received);
      if (notification === undefined) return answer(400, 'not_a_notification');
      if ('callState' in notification) return { status: 204, headers: {}, body: '' };
      const redirect = header(request, 'x-test-redirect');
      if (redirect !== undefined) return { status: 302, headers: { location: redirect }, body: '' };
      return { status: 202, headers: {}, body: '' };
    },
  };
  return fake;
}

function parse(received: ReceivedBody): Record<string, unknown> | undefined {
  let value: unknown;
  if (received.source === 'reader') value = json(received.text);
  else if (typeof received.value === 'string') value = json(received.value);
  else if (received.value instanceof Uint8Array)
    value = json(new TextDecoder().decode(received.value));
  else value = received.value;
  if (typeof value !== 'object' || value === null) return undefined;
  if (!('callState' in value) && !Array.isArray((value as { value?: unknown }).value))
    return undefined;
  return value as Record<string, unknown>;
}

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function header(request: WebhookRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function answer(
  status: number,
  code: string,
  headers: Record<string, string> = {},
): WebhookResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify({ status, code }),
  };
}
