import { decodeBody } from './decodeBody';
import { hasOwnValue, isJsonObject } from './jsonKind';

/** The protocol of a request body; see {@link classifyNotification}. */
export type NotificationFormat = 'graph' | 'legacy' | 'unknown';

const LEGACY_KEYS = ['participants', 'presentedModalityTypes', 'callState', 'operationOutcome'];

const UNLIMITED = { maxBytes: Number.POSITIVE_INFINITY, maxDepth: Number.POSITIVE_INFINITY };

/**
 * Tells the protocol of a webhook body apart, without ever throwing.
 *
 * - `graph`: a JSON object with a top-level `value` array (Microsoft Graph
 *   `commsNotifications`).
 * - `legacy`: an object without `value` that has a top-level `participants`,
 *   `presentedModalityTypes`, `callState`, `operationOutcome`, or both `type`
 *   and `currentState` (Skype / Real-time Media Platform). The bot answers it
 *   with `204 No Content` and the service sends the call again as Graph.
 * - `unknown`: anything else: not UTF-8, not JSON, not an object, an array,
 *   `value` present but not an array, ...
 *
 * `body` may be text, UTF-8 bytes (`Uint8Array`/`ArrayBuffer`) or an already
 * parsed value; a string is always read as JSON text. No size or depth limit
 * applies here: {@link parseNotifications} is the entry point that enforces them.
 *
 * @example
 * ```ts
 * import { classifyNotification } from '@callgate/core';
 *
 * classifyNotification('{"value":[]}'); // 'graph'
 * classifyNotification({ callState: 'incoming', participants: [] }); // 'legacy'
 * classifyNotification('not json'); // 'unknown'
 * ```
 */
export function classifyNotification(body: unknown): NotificationFormat {
  try {
    const isRaw =
      typeof body === 'string' || body instanceof Uint8Array || body instanceof ArrayBuffer;
    return classifyValue(isRaw ? decodeBody(body, UNLIMITED) : body);
  } catch {
    // A hostile pre-parsed value (a Proxy, a throwing getter) is simply not a notification.
    return 'unknown';
  }
}

/** {@link classifyNotification} of a value that is already decoded. */
export function classifyValue(value: unknown): NotificationFormat {
  if (!isJsonObject(value)) return 'unknown';
  if (hasOwnValue(value, 'value')) return Array.isArray(value.value) ? 'graph' : 'unknown';
  if (LEGACY_KEYS.some((key) => hasOwnValue(value, key))) return 'legacy';
  if (hasOwnValue(value, 'type') && hasOwnValue(value, 'currentState')) return 'legacy';
  return 'unknown';
}
