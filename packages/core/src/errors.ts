/**
 * The one base class of every error callgate throws or reports.
 *
 * Every error carries a stable, string-literal `code` that programs can switch
 * on (messages are for people and may change), and the HTTP `status` the
 * webhook answers with when this error ends a request.
 *
 * @example
 * ```ts
 * import { CallgateError } from '@callgate/core';
 *
 * try {
 *   await verifier.verify(headers);
 * } catch (error) {
 *   if (error instanceof CallgateError) log.warn({ code: error.code }, error.message);
 * }
 * ```
 */
export class CallgateError<
  Code extends string = string,
  Status extends number | undefined = number,
> extends Error {
  /** Stable machine-readable reason, e.g. `expired` or `invalid_json`. */
  readonly code: Code;
  /**
   * An HTTP status. For the webhook's errors: the status the webhook answers
   * with when this error ends a request. For `@callgate/calls`' `GraphError`:
   * the status Graph answered with, `undefined` when no response came (its
   * `Status` parameter is `number | undefined`).
   */
  readonly status: Status;

  constructor(code: Code, message: string, options: { status: Status; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = options.status;
  }
}

/** Codes of {@link ConfigError}. */
export type ConfigErrorCode = 'invalid_config';

/**
 * A configuration that cannot work, refused at construction time
 * (never at the first request).
 *
 * @example
 * ```ts
 * createCallWebhook({ appId: '', publicUrl: 'https://bot.example.com/api/calls' }); // throws ConfigError: appId must be a non-empty string
 * ```
 */
export class ConfigError extends CallgateError<ConfigErrorCode> {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super('invalid_config', message, { status: 500, ...options });
  }
}
