import { ConfigError } from '../errors';
import { classifyValue } from './classifyNotification';
import { decodeBody } from './decodeBody';
import type { CallEvent } from './events';
import { hasOwnValue, isJsonObject, jsonKind } from './jsonKind';
import { normalizeNotification } from './normalizeNotification';
import { NotificationError } from './NotificationError';

/** Limits of {@link parseNotifications}. */
export interface ParseNotificationsOptions {
  /** Largest body accepted, in bytes of UTF-8 text. Default 1 MiB. */
  maxBytes?: number;
  /** Deepest nesting of objects and arrays accepted. Default 64. */
  maxDepth?: number;
  /**
   * Most notifications accepted in one Graph body's `value`. Default 100: the
   * calling service sends one to a few per POST.
   */
  maxNotifications?: number;
}

/** A notification body, read: Graph events in order, or a legacy body the bot answers with 204. */
export type ParsedNotifications =
  | { format: 'graph'; events: CallEvent[]; raw: Record<string, unknown> }
  | { format: 'legacy'; raw: Record<string, unknown> };

/** Default {@link ParseNotificationsOptions.maxBytes}: 1 MiB. */
export const DEFAULT_MAX_NOTIFICATION_BYTES = 1024 * 1024;
/** Default {@link ParseNotificationsOptions.maxDepth}. */
export const DEFAULT_MAX_NOTIFICATION_DEPTH = 64;
/** Default {@link ParseNotificationsOptions.maxNotifications}. */
export const DEFAULT_MAX_NOTIFICATIONS = 100;

/**
 * Reads a webhook body into notifications: the single entry point of the
 * webhook pipeline.
 *
 * The body is decoded once (UTF-8 bytes to text, text to JSON; an already
 * parsed value is used as it is, and a string is always JSON text), checked
 * against `maxBytes` and `maxDepth` before any parsing (and a Graph body's
 * `value` against `maxNotifications` before any item is normalised), classified (see
 * {@link classifyNotification}), and every item of a Graph body's `value` is
 * normalised, in order, with {@link normalizeNotification}.
 *
 * @throws {NotificationError} for anything that is not a notification body
 *   (`invalid_encoding`, `invalid_json`, `not_an_object`, `not_a_notification`,
 *   `invalid_value`, `invalid_item`, `missing_resource`, `too_deep`, `too_large`,
 *   `too_many_notifications`).
 * @throws {ConfigError} when the options themselves are invalid.
 *
 * @example
 * ```ts
 * import { parseNotifications } from '@callgate/core';
 *
 * const parsed = parseNotifications(await request.text());
 * if (parsed.format === 'legacy') return new Response(null, { status: 204 });
 * for (const event of parsed.events) {
 *   if (event.type === 'incomingCall') console.log(event.callId, event.source?.region);
 * }
 * ```
 */
export function parseNotifications(
  body: unknown,
  options: ParseNotificationsOptions = {},
): ParsedNotifications {
  const maxBytes = limit(options.maxBytes, DEFAULT_MAX_NOTIFICATION_BYTES, 'maxBytes');
  const maxDepth = limit(options.maxDepth, DEFAULT_MAX_NOTIFICATION_DEPTH, 'maxDepth');
  const maxNotifications = limit(
    options.maxNotifications,
    DEFAULT_MAX_NOTIFICATIONS,
    'maxNotifications',
  );
  const value = decodeBody(body, { maxBytes, maxDepth });
  if (!isJsonObject(value)) {
    throw new NotificationError(
      'not_an_object',
      `The body is ${jsonKind(value)}, not a JSON object: a Graph notification looks like {"value":[...]}.`,
    );
  }
  const format = classifyValue(value);
  if (format === 'legacy') return { format, raw: value };
  if (format === 'unknown') {
    if (hasOwnValue(value, 'value')) {
      throw new NotificationError(
        'invalid_value',
        `"value" is ${jsonKind(value.value)}, not an array of commsNotification objects.`,
        { path: '$.value' },
      );
    }
    throw new NotificationError(
      'not_a_notification',
      `The body is a JSON object but neither a Graph notification (no top-level "value" array) nor a legacy one; ${describeKeys(value)}. Is traffic meant for another endpoint reaching this webhook, or was the body wrapped by a framework?`,
    );
  }
  const items = value.value as unknown[];
  if (items.length > maxNotifications) {
    throw new NotificationError(
      'too_many_notifications',
      `The body carries ${items.length} notifications, more than maxNotifications (${maxNotifications}): the calling service sends one to a few per POST; raise maxNotifications if a legitimate one is refused.`,
      { path: '$.value' },
    );
  }
  const events: CallEvent[] = [];
  // An index loop, not map(): a hole in a pre-parsed sparse array is an invalid item, not a skipped one.
  for (let index = 0; index < items.length; index++) {
    events.push(normalizeNotification(items[index], `$.value[${index}]`));
  }
  return { format, events, raw: value };
}

function limit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 1) {
    throw new ConfigError(`${name} must be a positive number (or Infinity), got ${String(value)}.`);
  }
  return value;
}

function describeKeys(value: Record<string, unknown>): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return 'it has no keys at all';
  const shown = keys
    .slice(0, 5)
    .map((key) => JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key));
  return `its top-level keys are ${shown.join(', ')}${keys.length > 5 ? ', …' : ''}`;
}
