import type { ServerResponse } from 'node:http';
import type { WebhookResponse } from '@callgate/core';

const bodiless = new Set([204, 205, 304]);

/**
 * Writes the core's answer to a node:http response, as it is.
 *
 * @example
 * ```ts
 * writeNodeResponse(res, await webhook.handle(toWebhookRequest(req, body)));
 * ```
 */
export function writeNodeResponse(res: ServerResponse, response: WebhookResponse): void {
  if (res.headersSent || res.writableEnded) {
    // Something else answered already; ending is all that is left to do.
    if (!res.writableEnded) res.end();
    return;
  }
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  if (bodiless.has(response.status)) {
    res.removeHeader('content-length');
    res.end();
    return;
  }
  res.setHeader('content-length', Buffer.byteLength(response.body));
  res.end(response.body);
}
