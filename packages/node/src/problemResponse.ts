import type { WebhookResponse } from '@callgate/core';

/**
 * An `application/problem+json` answer for the two cases an adapter decides
 * itself: a path it does not serve (404) and a webhook that failed (500).
 *
 * @example
 * ```ts
 * writeNodeResponse(res, problemResponse(404, 'not_found', 'No webhook is served at this path.'));
 * ```
 */
export function problemResponse(status: number, code: string, detail: string): WebhookResponse {
  const title = status === 404 ? 'Not Found' : 'Internal Server Error';
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type: 'about:blank', title, status, code, detail }),
  };
}
