import { randomUUID } from 'node:crypto';
import type { ServerReply } from './loopbackServer';

/**
 * An error answer in Microsoft Graph's shape: `{ error: { code, message,
 * innerError: { request-id, date, client-request-id } } }`, with the
 * `request-id` and `client-request-id` headers Graph sends.
 */
export function graphError(
  status: number,
  code: string,
  message: string,
  clientRequestId: string | undefined,
  headers: Record<string, string> = {},
): ServerReply {
  const requestId = randomUUID();
  const client = clientRequestId ?? requestId;
  return {
    status,
    headers: { 'request-id': requestId, 'client-request-id': client, ...headers },
    body: {
      error: {
        code,
        message,
        innerError: {
          'request-id': requestId,
          date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
          'client-request-id': client,
        },
      },
    },
  };
}
