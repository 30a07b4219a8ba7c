import { CallgateError, type ResultInfo } from '@callgate/core';

/** Codes of {@link CallOperationError}. */
export type CallOperationErrorCode = 'operation_failed' | 'call_ended' | 'timeout' | 'aborted';

/**
 * An awaited operation (`calls.completion`) that did not complete:
 * `operation_failed` (Graph reported it failed; `resultInfo` says why),
 * `call_ended` (the call terminated first; the call's `resultInfo`),
 * `timeout` (no outcome in time), `aborted` (the signal fired or the client closed).
 *
 * @example
 * ```ts
 * try {
 *   await calls.completion(callId, operation.id);
 * } catch (error) {
 *   if (error instanceof CallOperationError && error.code === 'call_ended') return; // caller hung up
 *   throw error;
 * }
 * ```
 */
export class CallOperationError extends CallgateError<CallOperationErrorCode> {
  readonly callId: string;
  readonly operationId: string;
  /** The operation's (operation_failed) or the call's (call_ended) `resultInfo`. */
  readonly resultInfo: ResultInfo | undefined;
  /** How the operation completed, when Graph said (e.g. sendDtmfTones' `completionReason`). */
  readonly completionReason: string | undefined;

  constructor(
    code: CallOperationErrorCode,
    message: string,
    details: {
      callId: string;
      operationId: string;
      resultInfo?: ResultInfo | undefined;
      completionReason?: string | undefined;
      cause?: unknown;
    },
  ) {
    // Not an answer of the webhook: 500 is what a handler failing on it leads to.
    super(code, message, { status: 500, cause: details.cause });
    this.callId = details.callId;
    this.operationId = details.operationId;
    this.resultInfo = details.resultInfo;
    this.completionReason = details.completionReason;
  }
}
