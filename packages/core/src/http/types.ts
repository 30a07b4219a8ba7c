import type { CallgateError } from '../errors';
/**
 * Header map as frameworks hand it over: lower-case names, a string, a list of
 * strings for repeated headers, or undefined.
 */
export type HeaderMap = Record<string, string | string[] | undefined>;

/** What the core tells a {@link BodyReader} besides the limit. */
export interface BodyReadOptions {
  /**
   * Registers `stop`, called once if the whole body did not arrive within
   * `limits.bodyTimeout`: the core has answered 408 `body_timeout` already;
   * stop reading (pause or cancel the stream, buffer nothing more) and reject
   * with the error given. A callback rather than an `AbortSignal`, which costs
   * several microseconds per request to create and listen to.
   */
  onTimeout?: (stop: (error: CallgateError) => void) => void;
}

/**
 * Reads a request body that nobody has read yet, stopping past `maxBytes`.
 *
 * Adapters pass one of these (wrapped by {@link deferredBody}) so that the core
 * decides *when* the body is read: after the method, size and token checks, so
 * an unauthenticated sender never makes the bot buffer its body.
 * Must reject with a `CallgateError` of code `body_too_large` once more than
 * `maxBytes` bytes arrived, with `body_read_failed` when the stream breaks,
 * and with `body_timeout` once `options.onTimeout` calls back (the core answers
 * 408 on time even if a reader ignores it, but only the reader can stop the
 * stream).
 */
export type BodyReader = (
  maxBytes: number,
  options?: BodyReadOptions,
) => Promise<string | Uint8Array>;

const deferred: unique symbol = Symbol.for('callgate.deferredBody');

/** A body the core reads on demand; see {@link deferredBody}. */
export interface DeferredBody {
  readonly [deferred]: BodyReader;
}

/**
 * Wraps a {@link BodyReader} as a request body for `webhook.handle`.
 *
 * @example
 * ```ts
 * await webhook.handle({ method, url, headers, body: deferredBody((max) => readStream(req, max)) });
 * ```
 */
export function deferredBody(read: BodyReader): DeferredBody {
  return { [deferred]: read };
}

/** The reader inside a {@link DeferredBody}, or undefined for any other body. */
export function bodyReaderOf(body: unknown): BodyReader | undefined {
  if (typeof body === 'object' && body !== null && deferred in body) {
    const read = (body as DeferredBody)[deferred];
    return typeof read === 'function' ? read : undefined;
  }
  return undefined;
}

/**
 * A webhook request as plain data: what every adapter produces.
 *
 * `body` is raw bytes or text, a value a body parser already produced (the
 * normal case behind `express.json()`), or a {@link DeferredBody}.
 */
export interface WebhookRequest {
  method: string;
  /** Path and query as received, e.g. `/api/calls?p=2`. */
  url: string;
  headers: HeaderMap;
  body: unknown;
}

/** The answer to a {@link WebhookRequest}; adapters write it out as it is. */
export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}
