import { NotificationError } from './NotificationError';
import {
  type ParseNotificationsOptions,
  type ParsedNotifications,
  parseNotifications,
} from './parseNotifications';

/** The outcome of {@link parseNotificationsSafe}. */
export type ParseNotificationsResult =
  | { ok: true; value: ParsedNotifications }
  | { ok: false; error: NotificationError };

/**
 * {@link parseNotifications} that returns its {@link NotificationError}
 * instead of throwing it. Anything else (an invalid option) still throws:
 * that is a bug in the caller, not a bad body.
 *
 * @example
 * ```ts
 * import { parseNotificationsSafe } from '@callgate/core';
 *
 * const result = parseNotificationsSafe(body);
 * if (!result.ok) return { status: result.error.status, body: result.error.code };
 * ```
 */
export function parseNotificationsSafe(
  body: unknown,
  options?: ParseNotificationsOptions,
): ParseNotificationsResult {
  try {
    return { ok: true, value: parseNotifications(body, options) };
  } catch (error) {
    if (error instanceof NotificationError) return { ok: false, error };
    throw error;
  }
}
