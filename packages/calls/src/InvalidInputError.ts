import { CallgateError } from '@callgate/core';

/** Codes of {@link InvalidInputError}. */
export type InvalidInputErrorCode = 'invalid_argument' | 'invalid_join_url';

/**
 * An argument a `@callgate/calls` method cannot send: an empty call id, a body
 * that is not an object, a deadline that is not a date, a join link that is
 * not a Teams meeting link. Nothing was sent to Graph.
 *
 * @example
 * ```ts
 * import { InvalidInputError, joinMeetingInfo } from '@callgate/calls';
 *
 * try {
 *   joinMeetingInfo(link);
 * } catch (error) {
 *   if (error instanceof InvalidInputError) reply('That is not a Teams meeting link.');
 * }
 * ```
 */
export class InvalidInputError extends CallgateError<InvalidInputErrorCode> {
  constructor(code: InvalidInputErrorCode, message: string) {
    super(code, message, { status: 400 });
  }
}
