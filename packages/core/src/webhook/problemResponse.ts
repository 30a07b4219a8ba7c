import type { WebhookResponse } from '../http/types';

/** The code of each problem response made here, for tracing (the body stays opaque). */
const problemCodes = new WeakMap<WebhookResponse, string>();

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  413: 'Content Too Large',
  421: 'Misdirected Request',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * An `application/problem+json` (RFC 9457) response with a stable `code`.
 * `detail` is written by callgate, never copied from a token or key.
 *
 * @example
 * ```ts
 * problemResponse(405, 'method_not_allowed', 'use POST', { Allow: 'POST' });
 * ```
 */
export function problemResponse(
  status: number,
  code: string,
  detail: string,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): WebhookResponse {
  const body = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...extra,
  };
  const response: WebhookResponse = {
    status,
    headers: {
      'Content-Type': 'application/problem+json',
      'Cache-Control': 'no-store',
      ...headers,
    },
    body: JSON.stringify(body),
  };
  problemCodes.set(response, code);
  return response;
}

/** The `code` of a response made by {@link problemResponse}; undefined for any other response. */
export function problemCodeOf(response: WebhookResponse): string | undefined {
  return problemCodes.get(response);
}

/** A response with no body (202, 204, 302). */
export function emptyResponse(
  status: number,
  headers: Record<string, string> = {},
): WebhookResponse {
  return { status, headers, body: '' };
}
