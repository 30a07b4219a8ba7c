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
  // One writeHead with every header: node merges what middleware set with setHeader.
  if (bodiless.has(response.status)) {
    res.removeHeader('content-length');
    res.writeHead(response.status, response.headers).end();
    return;
  }
  res
    .writeHead(response.status, {
      ...response.headers,
      'content-length': Buffer.byteLength(response.body),
    })
    .end(response.body);
}
