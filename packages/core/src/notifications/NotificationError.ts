import { CallgateError } from '../errors';

/**
 * Why a body is not a notification callgate can read.
 *
 * - `invalid_encoding`: the bytes are not UTF-8.
 * - `invalid_json`: the text is not JSON.
 * - `not_an_object`: the JSON is an array, string, number, boolean or null.
 * - `not_a_notification`: an object that is neither a Graph nor a legacy notification.
 * - `invalid_value`: `value` is present but not an array.
 * - `invalid_item`: an item of `value` is not an object.
 * - `missing_resource`: an item names no resource: `path` is the item when it has
 *   neither `resourceUrl` nor `resource`, else the field that is not a non-empty string.
 * - `too_deep`: the JSON nests deeper than `maxDepth`.
 * - `too_large`: the body is larger than `maxBytes`.
 * - `too_many_notifications`: a Graph body carries more than `maxNotifications` items.
 */
export type NotificationErrorCode =
  | 'invalid_encoding'
  | 'invalid_json'
  | 'not_an_object'
  | 'not_a_notification'
  | 'invalid_value'
  | 'invalid_item'
  | 'missing_resource'
  | 'too_deep'
  | 'too_large'
  | 'too_many_notifications';

/**
 * A request body that is not a notification: the webhook answers it with a
 * 400 (413 for `too_large` and `too_many_notifications`: what HTTP calls a
 * body over the limit).
 *
 * `path` points at the offending part of the body as a JSON path, e.g.
 * `$` for the whole body or `$.value[2].resourceUrl`.
 *
 * @example
 * ```ts
 * import { NotificationError, parseNotifications } from '@callgate/core';
 *
 * try {
 *   parseNotifications(body);
 * } catch (error) {
 *   if (error instanceof NotificationError) log.warn({ code: error.code, path: error.path }, error.message);
 * }
 * ```
 */
export class NotificationError extends CallgateError<NotificationErrorCode> {
  /** JSON path of the offending part of the body; `$` is the body itself. */
  readonly path: string;

  constructor(
    code: NotificationErrorCode,
    message: string,
    options: { path?: string; cause?: unknown } = {},
  ) {
    super(code, message, {
      status: code === 'too_large' || code === 'too_many_notifications' ? 413 : 400,
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.path = options.path ?? '$';
  }
}
