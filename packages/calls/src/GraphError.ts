import { CallgateError } from '@callgate/core';

/**
 * Codes of {@link GraphError}:
 *
 * - `http_error`: Graph answered with an error status (see `status`, `graphCode`).
 * - `deadline_exceeded`: the call's deadline would pass before Graph could be
 *   asked (again); nothing was sent after that point.
 * - `timeout`: an attempt took longer than `timeout` seconds.
 * - `network_error`: no response came (DNS, connection reset, TLS...).
 * - `credential_failed`: the credential threw or returned no token.
 * - `invalid_response`: Graph answered 2xx with a body that is not what the
 *   method returns.
 * - `aborted`: the caller's `signal` aborted.
 */
export type GraphErrorCode =
  | 'http_error'
  | 'deadline_exceeded'
  | 'timeout'
  | 'network_error'
  | 'credential_failed'
  | 'invalid_response'
  | 'aborted';

/** What a {@link GraphError} knows besides its code and message. */
export interface GraphErrorDetails {
  /** The client method that failed, e.g. `answer`. */
  operation: string;
  /** HTTP method and path (below the base URL) of the request. */
  method: string;
  path: string;
  /** Graph's HTTP status; undefined when no response came. */
  status?: number | undefined;
  /** `error.code` of Graph's error body, e.g. `NotFound`, `7505`. */
  graphCode?: string | undefined;
  /** `error.message` of Graph's error body. */
  graphMessage?: string | undefined;
  /** Graph's `request-id` (response header, else `error.innerError`). */
  requestId?: string | undefined;
  /** The `client-request-id` sent: one per method call, the same on every retry. */
  clientRequestId: string;
  /** `error.innerError.date`, else the `Date` header, as Graph wrote it. */
  date?: string | undefined;
  /** Seconds Graph asked to wait (`Retry-After`, `retry-after-ms`, `x-ms-retry-after-ms`). */
  retryAfter?: number | undefined;
  /** Attempts made (1 when nothing was retried, 0 when nothing was sent). */
  attempts: number;
  cause?: unknown;
}

/**
 * A Microsoft Graph request of `@callgate/calls` that failed. `code` says how
 * (stable, switch on it); `status` is Graph's HTTP status, or `undefined` when
 * no response came (a `CallgateError` of the webhook carries the status the
 * webhook answers with instead). Quote `requestId` and `clientRequestId` to
 * Microsoft support. Never contains the access token.
 *
 * @example
 * ```ts
 * import { GraphError } from '@callgate/calls';
 *
 * try {
 *   await calls.answer(event.callId, { acceptedModalities: ['audio'] });
 * } catch (error) {
 *   if (error instanceof GraphError && error.code === 'deadline_exceeded') return; // the call is gone
 *   if (error instanceof GraphError && error.status === 404) log.warn({ requestId: error.requestId }, 'call ended');
 *   throw error;
 * }
 * ```
 */
export class GraphError extends CallgateError<GraphErrorCode, number | undefined> {
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly graphCode: string | undefined;
  readonly graphMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly clientRequestId: string;
  readonly date: string | undefined;
  readonly retryAfter: number | undefined;
  readonly attempts: number;

  constructor(code: GraphErrorCode, message: string, details: GraphErrorDetails) {
    super(code, message, {
      status: details.status,
      ...(details.cause === undefined ? {} : { cause: details.cause }),
    });
    this.operation = details.operation;
    this.method = details.method;
    this.path = details.path;
    this.graphCode = details.graphCode;
    this.graphMessage = details.graphMessage;
    this.requestId = details.requestId;
    this.clientRequestId = details.clientRequestId;
    this.date = details.date;
    this.retryAfter = details.retryAfter;
    this.attempts = details.attempts;
  }
}
