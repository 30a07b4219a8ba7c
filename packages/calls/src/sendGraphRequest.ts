import {
  createTracingChannel,
  type GraphRequestContext,
  type Logger,
  TRACING_CHANNELS,
} from '@callgate/core';
import { GraphError, type GraphErrorCode } from './GraphError';
import { backoffMs, retryAfterMs } from './retryAfter';
import { CredentialFailure, type TokenCache } from './TokenCache';

/** Statuses Graph asks to retry: throttled, unavailable, gateway timeout. */
const RETRYABLE_STATUSES = new Set([429, 503, 504]);

/** Everything a request needs from the client. */
export interface Transport {
  baseUrl: string;
  scope: string;
  fetch: typeof fetch;
  tokens: TokenCache;
  logger: Logger;
  timeoutMs: number;
  maxRetries: number;
  maxDelayMs: number;
  now: () => number;
  random: () => number;
}

/** One Graph request of one client method. */
export interface GraphRequest {
  /** The client method, for logs and errors. */
  operation: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Below the base URL, e.g. `/communications/calls/abc/answer`; or an absolute `@odata.nextLink`. */
  path: string;
  body?: unknown;
  /** Retry when no response came (only where repeating cannot do harm). */
  retryNetworkFailures: boolean;
  /** Epoch ms by which the method must be done; no attempt or sleep goes past it. */
  deadline: number | undefined;
  signal: AbortSignal | undefined;
  clientRequestId: string;
}

export interface GraphResponse {
  status: number;
  /** HTTP attempts made (1 without retries). */
  attempts?: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  json: unknown;
  /** The body was not JSON. */
  unparsable: boolean;
}

type Failure = { code: GraphErrorCode; message: string; cause?: unknown };

/**
 * Sends `request` with a token, a `client-request-id`, a per-attempt timeout,
 * retries (429/503/504, and failures without a response when allowed) and the
 * deadline. Resolves with Graph's 2xx response; rejects with a {@link GraphError}.
 */
const graphRequests = createTracingChannel<GraphRequestContext>(TRACING_CHANNELS.graphRequest);

/**
 * Sends one Graph request (with retries, deadline, timeout) and publishes it on
 * `callgate:graph.request` while anyone subscribes: method, operation, path,
 * host, call id, client-request-id, then status, request-id and attempts —
 * never the token or a body.
 */
export function sendGraphRequest(
  transport: Transport,
  request: GraphRequest,
): Promise<GraphResponse> {
  if (!graphRequests.hasSubscribers) return sendUntraced(transport, request);
  const url = new URL(urlOf(transport, request));
  const context: GraphRequestContext = {
    method: request.method,
    operation: request.operation,
    path: url.pathname,
    serverAddress: url.host,
    callId: callIdOfPath(url.pathname),
    clientRequestId: request.clientRequestId,
  };
  return graphRequests.tracePromise(async () => {
    try {
      const response = await sendUntraced(transport, request);
      context.status = response.status;
      const requestId = response.headers.get('request-id');
      if (requestId !== null) context.requestId = requestId;
      if (response.attempts !== undefined) context.attempts = response.attempts;
      return response;
    } catch (error) {
      if (error instanceof GraphError) {
        if (error.status !== undefined) context.status = error.status;
        if (error.requestId !== undefined) context.requestId = error.requestId;
        context.attempts = error.attempts;
      }
      throw error;
    }
  }, context);
}

function urlOf(transport: Transport, request: GraphRequest): string {
  return request.path.startsWith('https://') || request.path.startsWith('http://')
    ? request.path
    : `${transport.baseUrl}${request.path}`;
}

/** The call id of `/…/communications/calls/{id}[/…]`, decoded. */
function callIdOfPath(path: string): string | undefined {
  const id = /\/communications\/calls\/([^/]+)/.exec(path)?.[1];
  return id === undefined ? undefined : decodeURIComponent(id);
}

async function sendUntraced(transport: Transport, request: GraphRequest): Promise<GraphResponse> {
  const { logger, now } = transport;
  const url = urlOf(transport, request);
  const base = {
    operation: request.operation,
    method: request.method,
    path: request.path,
    clientRequestId: request.clientRequestId,
  };
  let attempts = 0;

  const fail = (code: GraphErrorCode, message: string, extra: Partial<GraphErrorOptions> = {}) =>
    new GraphError(code, `${request.operation}: ${message}`, { ...base, attempts, ...extra });

  /** Whether sleeping `delay` ms and trying again fits before the deadline. */
  const fitsBeforeDeadline = (delay: number) =>
    request.deadline === undefined || now() + delay < request.deadline;

  for (;;) {
    if (request.signal?.aborted)
      throw fail('aborted', 'aborted by the caller', { cause: request.signal.reason });
    if (request.deadline !== undefined && now() >= request.deadline)
      throw fail('deadline_exceeded', deadlineMessage(request.deadline, attempts));

    let token: string;
    try {
      token = await withinDeadline(transport.tokens.get(transport.scope), request, now);
    } catch (error) {
      if (error instanceof GraphErrorSignal) throw fail(error.code, error.message);
      if (error instanceof CredentialFailure)
        throw fail('credential_failed', error.message, { cause: error });
      throw error;
    }

    if (request.deadline !== undefined && now() >= request.deadline)
      throw fail('deadline_exceeded', deadlineMessage(request.deadline, attempts));
    attempts++;
    const outcome = await attempt(transport, request, url, token);
    if ('failure' in outcome) {
      const { failure } = outcome;
      logger.warn(
        { ...base, attempt: attempts, code: failure.code, err: failure.cause },
        `callgate: Graph ${request.operation} got no response`,
      );
      if (failure.code === 'aborted' || failure.code === 'deadline_exceeded')
        throw fail(failure.code, failure.message, { cause: failure.cause });
      if (request.retryNetworkFailures && attempts <= transport.maxRetries) {
        const delay = backoffMs(attempts, transport.maxDelayMs, transport.random);
        if (!fitsBeforeDeadline(delay))
          throw fail(
            'deadline_exceeded',
            `${failure.message}; ${deadlineMessage(request.deadline, attempts)}`,
            {
              cause: failure.cause,
            },
          );
        await sleep(delay, request.signal).catch(() => {
          throw fail('aborted', 'aborted by the caller while waiting to retry');
        });
        continue;
      }
      throw fail(failure.code, failure.message, { cause: failure.cause });
    }

    const { response } = outcome;
    const requestId = response.headers.get('request-id') ?? undefined;
    const fields = { ...base, attempt: attempts, status: response.status, requestId };
    if (response.status >= 200 && response.status < 300) {
      logger.info(fields, `callgate: Graph ${request.operation} ${response.status}`);
      response.attempts = attempts;
      return response;
    }

    const error = graphErrorBody(response.json);
    const waitMs = retryAfterMs(response.headers, now());
    const details: Partial<GraphErrorOptions> = {
      status: response.status,
      graphCode: error.code,
      graphMessage: error.message,
      requestId: requestId ?? error.requestId,
      date: error.date ?? response.headers.get('date') ?? undefined,
      retryAfter: waitMs === undefined ? undefined : waitMs / 1000,
    };
    const described = `Graph answered ${response.status}${error.code ? ` ${error.code}` : ''}${
      error.message ? `: ${error.message}` : ''
    } (request-id ${details.requestId ?? 'none'}, client-request-id ${request.clientRequestId})`;
    if (response.status === 401) transport.tokens.invalidate(transport.scope);

    if (RETRYABLE_STATUSES.has(response.status) && attempts <= transport.maxRetries) {
      const delay = waitMs ?? backoffMs(attempts, transport.maxDelayMs, transport.random);
      if (delay > transport.maxDelayMs) {
        logger.warn(
          fields,
          `callgate: Graph ${request.operation} asked to wait longer than retry.maxDelay`,
        );
        throw fail('http_error', `${described}; Retry-After exceeds retry.maxDelay`, details);
      }
      if (!fitsBeforeDeadline(delay))
        throw fail(
          'deadline_exceeded',
          `${described}; ${deadlineMessage(request.deadline, attempts)}`,
          details,
        );
      logger.warn(
        { ...fields, retryInMs: Math.round(delay) },
        `callgate: Graph ${request.operation} ${response.status}; retrying`,
      );
      await sleep(delay, request.signal).catch(() => {
        throw fail('aborted', 'aborted by the caller while waiting to retry', details);
      });
      continue;
    }
    logger.warn(fields, `callgate: Graph ${request.operation} failed with ${response.status}`);
    throw fail('http_error', described, details);
  }
}

type GraphErrorOptions = ConstructorParameters<typeof GraphError>[2];

function deadlineMessage(deadline: number | undefined, attempts: number): string {
  return `the deadline ${deadline === undefined ? '' : new Date(deadline).toISOString()} would pass before Graph could answer (after ${attempts} attempt${attempts === 1 ? '' : 's'}); nothing more was sent`;
}

/** An error code decided while waiting (deadline, abort), before any attempt. */
class GraphErrorSignal extends Error {
  constructor(
    readonly code: GraphErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** `promise`, unless the deadline passes or the signal aborts first. */
function withinDeadline<T>(
  promise: Promise<T>,
  request: GraphRequest,
  now: () => number,
): Promise<T> {
  if (request.deadline === undefined && request.signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () =>
      finish(() => reject(new GraphErrorSignal('aborted', 'aborted by the caller')));
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      settle();
    };
    if (request.deadline !== undefined) {
      timer = setTimeout(
        () =>
          finish(() =>
            reject(
              new GraphErrorSignal(
                'deadline_exceeded',
                'the deadline passed while waiting for an access token; nothing was sent',
              ),
            ),
          ),
        Math.max(0, request.deadline - now()),
      );
    }
    request.signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}

/** One HTTP exchange, bounded by `timeout` and the deadline. */
async function attempt(
  transport: Transport,
  request: GraphRequest,
  url: string,
  token: string,
): Promise<{ response: GraphResponse } | { failure: Failure }> {
  const remaining =
    request.deadline === undefined ? Number.POSITIVE_INFINITY : request.deadline - transport.now();
  const limitedByDeadline = remaining < transport.timeoutMs;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      controller.abort();
    },
    Math.max(0, Math.min(transport.timeoutMs, remaining)),
  );
  const onAbort = () => controller.abort();
  request.signal?.addEventListener('abort', onAbort, { once: true });

  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    accept: 'application/json',
    'client-request-id': request.clientRequestId,
  };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  try {
    const response = await transport.fetch(url, {
      method: request.method,
      headers,
      signal: controller.signal,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
    const text = await response.text();
    let json: unknown;
    let unparsable = false;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        unparsable = true;
      }
    }
    return { response: { status: response.status, headers: response.headers, json, unparsable } };
  } catch (error) {
    if (request.signal?.aborted)
      return { failure: { code: 'aborted', message: 'aborted by the caller', cause: error } };
    if (timedOut && limitedByDeadline)
      return {
        failure: {
          code: 'deadline_exceeded',
          message: 'the deadline passed before Graph answered; the outcome is unknown',
          cause: error,
        },
      };
    if (timedOut)
      return {
        failure: {
          code: 'timeout',
          message: `Graph did not answer within ${transport.timeoutMs / 1000} s`,
          cause: error,
        },
      };
    return {
      failure: {
        code: 'network_error',
        message: `no response from Graph: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      },
    };
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', onAbort);
  }
}

/** Graph's `{ error: { code, message, innerError: { request-id, date } } }`, read leniently. */
function graphErrorBody(json: unknown): {
  code?: string | undefined;
  message?: string | undefined;
  requestId?: string | undefined;
  date?: string | undefined;
} {
  const error = isObject(json) && isObject(json.error) ? json.error : undefined;
  if (error === undefined) return {};
  const inner = isObject(error.innerError)
    ? error.innerError
    : isObject(error.innererror)
      ? error.innererror
      : {};
  const text = (value: unknown) =>
    typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  return {
    code: text(error.code),
    message: text(error.message),
    requestId: text(inner['request-id']),
    date: text(inner.date),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
