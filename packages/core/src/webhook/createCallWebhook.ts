import {
  AuthError,
  authErrorResponseHeaders,
  createTokenVerifier,
  type TokenVerifier,
  type TokenVerifierOptions,
  type VerifiedCaller,
} from '../auth/index';
import { CallgateError, ConfigError } from '../errors';
import { headerValue } from '../http/headerValue';
import { redactHeaders } from '../http/redactHeaders';
import { parseSecureUrl, requireSecureUrl } from '../http/secureUrl';
import { readBodyWithin } from '../http/readBodyWithin';
import { bodyReaderOf, type WebhookRequest, type WebhookResponse } from '../http/types';
import {
  CALL_EVENT_TYPES,
  type CallEvent,
  DEFAULT_MAX_NOTIFICATIONS,
  NotificationError,
  parseNotifications,
} from '../notifications/index';
import { decide, decideValidated } from '../routing/decide';
import { isValidPartition, partitionFromUrl, withPartition } from '../routing/partitionParam';
import type { Decision, DecisionInput, RoutingOptions } from '../routing/types';
import { validateRouting } from '../routing/validateRouting';
import type { WebhookHandleContext } from '../tracing/channels';
import { traceDispatch } from '../tracing/traceDispatch';
import { traceWebhookHandle } from '../tracing/traceWebhookHandle';
import type { WebhookInstrumentation } from '../tracing/WebhookInstrumentation';
import { webhookTracingOf } from '../tracing/WebhookTracing';
import { noteCaller, noteDecision, noteNotifications } from '../tracing/webhookHandleContext';
import type { CallContext, CorrelationIds } from './CallContext';
import { afterResponse } from './afterResponse';
import { answerDeadlineOf } from './answerDeadline';
import type { CallObserver } from './CallObserver';
import { CallSequencer } from './CallSequencer';
import { canonicalCallId } from './canonicalCallId';
import {
  HandlerRegistry,
  type WebhookEventHandler,
  type WebhookEventName,
} from './HandlerRegistry';
import { isLogEnabled, type Logger } from './Logger';
import { emptyResponse, problemResponse } from './problemResponse';
import { RedeliveryFilter, type RedeliveryOptions } from './RedeliveryFilter';
import { resolveLogger } from './resolveLogger';
import type { HandleOptions, WebhookHandler } from './types';
import { validateAuthOptions } from './validateAuthOptions';
import { warnWithoutCallbackUri } from './warnWithoutCallbackUri';

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Options of {@link createCallWebhook}. */
export interface CallWebhookOptions {
  /** The bot's Microsoft App ID(s): the audience every token must carry. */
  appId: string | string[];
  /**
   * Token verification: every option of `createTokenVerifier` (cloud,
   * issuers, tenants, keyCache, fetch, clockTolerance …), or a ready
   * `verifier` to share one between webhooks, alone: a `verifier` next to
   * other options, or whose `appIds` are not this webhook's `appId`, is a
   * `ConfigError` (so is an `auth.appId` other than `appId`).
   */
  auth?: Partial<TokenVerifierOptions> & { verifier?: TokenVerifier };
  /** Region redirects and partitioned callback URIs. */
  routing?: RoutingOptions;
  limits?: {
    /** Largest body accepted, in bytes; default 1 MiB (413 above it). */
    maxBodyBytes?: number;
    /** Deepest JSON nesting accepted; default 64. */
    maxDepth?: number;
    /** Most notifications accepted in one body (413 `too_many_notifications` above it); default 100. */
    maxNotifications?: number;
    /**
     * Seconds the whole body has to arrive in once the core starts reading it
     * (right after the token check); default 30 (408 `body_timeout` past it).
     */
    bodyTimeout?: number;
  };
  /**
   * This webhook's public https URL, used by `callbackUri()` when no
   * `routing.partition` is configured.
   */
  publicUrl?: string;
  /**
   * pino-compatible logger. Default: warnings and errors (a handler that
   * threw, a routing fallback, an unreachable key endpoint) to the console;
   * refused requests (401, 400) are logged at `info`, below it. `false`: silent.
   */
  logger?: Logger | false;
  /** Called with every error a handler throws (and with dispatch failures). */
  onError?: (
    error: unknown,
    info: { event: CallEvent; context: CallContext },
  ) => void | Promise<void>;
  /**
   * Answer only after every handler finished (for serverless runtimes that
   * freeze after the response); 500 if one fails. Default false: answer 202
   * first, then run handlers.
   */
  awaitHandlers?: boolean;
  /** With `awaitHandlers`: seconds to wait for handlers before answering 500; default 10. */
  handlerTimeout?: number;
  /**
   * Seconds a bot has to answer an incoming call (`ctx.deadline`); default 15.
   * Policy-based recording calls get at most 5 (Microsoft's limit for them).
   */
  answerDeadline?: number;
  /**
   * A notification the calling service delivers again (the same
   * `X-Microsoft-Skype-Message-ID` within `window` seconds, default 600) is
   * answered 202 and not dispatched twice, so a retried `incomingCall` is not
   * answered twice. `false` dispatches every delivery.
   */
  redelivery?: RedeliveryOptions | false;
  /** Clock in ms (tests); default `Date.now`. Also used by the token verifier. */
  now?: () => number;
  /**
   * Hooks called around each request and each handler run, with the same
   * context objects as the `callgate:*` tracing channels (e.g.
   * `instrumentCallgate().instrument` from `@callgate/opentelemetry`, which
   * makes `callgate.dispatch` the active span while a handler runs).
   */
  instrument?: WebhookInstrumentation;
}

/** A webhook: `handle` requests, `on` events. Create it with {@link createCallWebhook}. */
export interface CallWebhook extends WebhookHandler {
  /**
   * Registers a handler; returns a function that removes it. Handlers of one
   * call run one at a time, in the order its notifications arrived; different
   * calls run concurrently. (So a handler should not await something only a
   * later notification of its own call would settle through another handler;
   * observers, such as `@callgate/calls`' tracking, see it regardless.)
   */
  on<Name extends WebhookEventName>(name: Name, handler: WebhookEventHandler<Name>): () => void;
  /**
   * Registers an observer that sees every accepted event synchronously, before
   * any handler (see {@link CallObserver}); returns a function that removes it.
   *
   * @example
   * ```ts
   * const states = new Map<string, string>();
   * webhook.observe((event) => {
   *   if (event.type === 'callStateChanged' && event.callId) states.set(event.callId, event.state);
   * });
   * ```
   */
  observe(observer: CallObserver): () => void;
  /** Turns a request into its response. Never throws: every outcome is a response. */
  handle(request: WebhookRequest, options?: HandleOptions): Promise<WebhookResponse>;
  /**
   * The `callbackUri` to pass to Graph's answer/redirect/create call: this
   * instance's partition by default (with `routing.partition`), else `publicUrl`.
   */
  callbackUri(options?: { partition?: string }): string;
  /** The routing decision this webhook would take for `input` (its own `routing`). */
  decide(input: Omit<DecisionInput, 'routing'>): Decision;
  /** Prefetches signing keys; call at start-up so the first call does not wait. */
  warm(): Promise<void>;
  /** Resolves when every handler dispatched so far has finished (tests, graceful shutdown). */
  idle(): Promise<void>;
  /** The token verifier this webhook uses. */
  readonly verifier: TokenVerifier;
}

/**
 * Creates the webhook of a Teams calling or meeting bot: authenticates every
 * POST, tells legacy from Graph notifications, routes, and dispatches typed
 * events to your handlers.
 *
 * @example
 * ```ts
 * import { createCallWebhook } from '@callgate/core';
 *
 * const webhook = createCallWebhook({
 *   appId: process.env.BOT_APP_ID!,
 *   publicUrl: 'https://bot.example.com/api/calls', // what callbackUri() returns
 * });
 * webhook.on('incomingCall', async (event, ctx) => {
 *   // calls = createCallsClient({ credential, webhook }) from @callgate/calls:
 *   // answers with webhook.callbackUri() within ctx.deadline
 *   await calls.answer(event.callId, { acceptedModalities: ['audio'] });
 * });
 * const response = await webhook.handle({ method, url, headers, body }); // { status, headers, body }
 * ```
 */
export function createCallWebhook(options: CallWebhookOptions): CallWebhook {
  const settings = validateOptions(options);
  const { logger, now, routing } = settings;
  const verifier = options.auth?.verifier ?? createVerifier(options, logger);
  const checkCallbackUri = warnWithoutCallbackUri(
    settings.publicUrl !== undefined || routing?.partition !== undefined,
    logger,
  );
  const registry = new HandlerRegistry(CALL_EVENT_TYPES);
  const observers: CallObserver[] = [];
  const sequencer = new CallSequencer();
  const redelivery =
    options.redelivery === false ? undefined : new RedeliveryFilter(options.redelivery);
  const pending = new Set<Promise<void>>();
  const tracing = webhookTracingOf(options.instrument, logger);

  /** The context of each event, observers told, in arrival order. */
  function accept(
    events: readonly CallEvent[],
    base: Omit<CallContext, 'callId' | 'deadline'>,
  ): Array<{ event: CallEvent; context: CallContext }> {
    const accepted: Array<{ event: CallEvent; context: CallContext }> = [];
    for (const event of events) {
      const handled = registry.handles(event);
      if (!handled && observers.length === 0) continue;
      // Every member written out: one object shape for every context (the spread showed in profiles).
      const context: CallContext = {
        tenantId: base.tenantId,
        callId: event.callId,
        caller: base.caller,
        partition: base.partition,
        correlation: base.correlation,
        callerRegion: base.callerRegion,
        receivedAt: base.receivedAt,
        deadline: answerDeadlineOf(event, base.receivedAt.getTime(), settings.answerDeadlineMs),
        decision: base.decision,
        headers: base.headers,
        logger: base.logger,
      };
      for (const observer of observers) {
        try {
          observer(event, context);
        } catch (error) {
          logger.error({ err: error, eventType: event.type }, 'callgate: an observer threw');
        }
      }
      if (handled) accepted.push({ event, context });
    }
    return accepted;
  }

  /**
   * Queues each event's handlers behind earlier ones of its call, and behind
   * the body's earlier events (a body's events run in order); resolves with
   * the failures.
   */
  async function runHandlers(
    accepted: ReadonlyArray<{ event: CallEvent; context: CallContext }>,
  ): Promise<unknown[]> {
    const failures: unknown[] = [];
    let previous: Promise<void> = Promise.resolve();
    const runs = accepted.map(({ event, context }) => {
      const before = previous;
      const key = event.callId === undefined ? undefined : canonicalCallId(event.callId);
      previous = sequencer.run(key, async () => {
        await before;
        for (const handler of registry.handlersFor(event)) {
          try {
            await traceDispatch(handler, event, context, tracing);
          } catch (error) {
            failures.push(error);
            await reportHandlerError(error, event, context);
          }
        }
      });
      return previous;
    });
    await Promise.all(runs);
    return failures;
  }

  async function reportHandlerError(
    error: unknown,
    event: CallEvent,
    context: CallContext,
  ): Promise<void> {
    logger.error(
      {
        err: error,
        eventType: event.type,
        callId: event.callId,
        messageId: context.correlation.messageId,
      },
      'callgate: a handler failed',
    );
    if (options.onError === undefined) return;
    try {
      await options.onError(error, { event, context });
    } catch (onErrorFailure) {
      logger.error({ err: onErrorFailure }, 'callgate: onError itself threw');
    }
  }

  function track(work: Promise<void>, handleOptions: HandleOptions | undefined): void {
    pending.add(work);
    void work.finally(() => pending.delete(work));
    handleOptions?.waitUntil?.(work);
  }

  async function dispatch(
    events: readonly CallEvent[],
    base: Omit<CallContext, 'callId' | 'deadline'>,
    handleOptions: HandleOptions | undefined,
  ): Promise<WebhookResponse> {
    const accepted = accept(events, base);
    if (accepted.length === 0) return emptyResponse(202);
    if (!settings.awaitHandlers) {
      // Ack first: the timer lets the adapter write the 202 before any handler runs.
      const work = new Promise<void>((resolve) => {
        afterResponse(() => {
          runHandlers(accepted).then(
            () => resolve(),
            () => resolve(),
          );
        });
      });
      track(work, handleOptions);
      return emptyResponse(202);
    }
    const work = runHandlers(accepted);
    track(
      work.then(() => undefined),
      handleOptions,
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), settings.handlerTimeoutMs);
    });
    const outcome = await Promise.race([work, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout' || outcome.length > 0) {
      // The service will deliver it again; that delivery must be dispatched.
      redelivery?.forget(base.correlation.messageId);
    }
    if (outcome === 'timeout') {
      logger.error(
        { timeoutMs: settings.handlerTimeoutMs },
        'callgate: handlers did not finish in time',
      );
      return problemResponse(
        500,
        'handler_timeout',
        `handlers did not finish within ${settings.handlerTimeoutMs} ms`,
      );
    }
    if (outcome.length > 0) {
      return problemResponse(
        500,
        'handler_failed',
        `${outcome.length} handler(s) failed; see the bot's logs`,
      );
    }
    return emptyResponse(202);
  }

  async function respond(
    request: WebhookRequest,
    handleOptions: HandleOptions | undefined,
    trace: WebhookHandleContext | undefined,
  ): Promise<WebhookResponse> {
    const receivedAt = now();
    const maxBodyBytes = handleOptions?.maxBodyBytes ?? settings.maxBodyBytes;
    const { headers } = request;

    if (typeof request.method !== 'string' || request.method.toUpperCase() !== 'POST') {
      return problemResponse(
        405,
        'method_not_allowed',
        `the calling service POSTs notifications; got ${String(request.method).slice(0, 16)}`,
        { Allow: 'POST' },
      );
    }
    const sizeProblem = checkDeclaredSize(
      headerValue(headers, 'content-length'),
      request.body,
      maxBodyBytes,
    );
    if (sizeProblem !== undefined) return sizeProblem;

    let caller: VerifiedCaller;
    try {
      caller = await verifier.verify(headers);
    } catch (error) {
      return authFailure(error, logger, headerValue(headers, 'x-microsoft-skype-message-id'));
    }
    if (trace !== undefined) noteCaller(trace, caller);

    let body = request.body;
    const read = bodyReaderOf(body);
    if (read !== undefined) {
      try {
        body = await readBodyWithin(read, maxBodyBytes, settings.bodyTimeoutMs);
      } catch (error) {
        if (error instanceof CallgateError && error.code === 'body_too_large') {
          return problemResponse(413, 'body_too_large', `the body exceeds ${maxBodyBytes} bytes`);
        }
        if (error instanceof CallgateError && error.code === 'body_timeout') {
          return problemResponse(408, 'body_timeout', error.message);
        }
        logger.warn({ err: error }, 'callgate: reading the body failed');
        return problemResponse(400, 'body_read_failed', bodyReadFailure(error));
      }
    }
    if (
      body === undefined ||
      body === null ||
      body === '' ||
      (body instanceof Uint8Array && body.byteLength === 0)
    ) {
      return problemResponse(
        400,
        'empty_body',
        'the request has no body. If a body parser ran before callgate, pass what it produced (req.body) as `body`; if none did, pass the raw bytes or a deferredBody reader',
      );
    }

    let parsed: ReturnType<typeof parseNotifications>;
    try {
      parsed = parseNotifications(body, {
        maxBytes: maxBodyBytes,
        maxDepth: settings.maxDepth,
        maxNotifications: settings.maxNotifications,
      });
    } catch (error) {
      if (error instanceof NotificationError) {
        logger.info(
          { code: error.code, path: error.path, tenantId: caller.tenantId },
          'callgate: not a notification',
        );
        if (error.code === 'too_large')
          return problemResponse(413, 'body_too_large', error.message);
        return problemResponse(error.status, error.code, error.message, {}, { path: error.path });
      }
      throw error;
    }

    if (trace !== undefined) noteNotifications(trace, parsed);
    const partition = partitionFromUrl(request.url);
    const events = parsed.format === 'graph' ? parsed.events : [];
    const decision = decideValidated({
      format: parsed.format,
      events,
      partition,
      tenantId: caller.tenantId,
      headers,
      routing,
    });
    if (trace !== undefined) noteDecision(trace, decision);
    const level = decision.problem === undefined ? 'info' : 'warn';
    if (isLogEnabled(logger, level)) {
      const fields = {
        status: decision.status,
        action: decision.action,
        reason: decision.reason,
        tenantId: caller.tenantId,
        callIds: [...new Set(events.map((event) => event.callId))],
        messageId: headerValue(headers, 'x-microsoft-skype-message-id'),
        partition,
      };
      if (decision.problem !== undefined)
        logger.warn({ ...fields, problem: decision.problem }, 'callgate: routing fell back');
      else logger.info(fields, 'callgate: decision');
    }

    switch (decision.action) {
      case 'ignore-legacy':
        return emptyResponse(204);
      case 'redirect':
        return emptyResponse(302, { Location: decision.location });
      case 'reject':
        return problemResponse(
          421,
          'misdirected_partition',
          decision.reason,
          {},
          { partition: decision.partition },
        );
      case 'accept': {
        if (observers.length === 0 && !events.some((event) => registry.handles(event)))
          return emptyResponse(202);
        const messageId = headerValue(headers, 'x-microsoft-skype-message-id');
        if (redelivery?.isRedelivery(messageId, receivedAt)) {
          if (trace !== undefined) trace.redelivered = true;
          if (isLogEnabled(logger, 'info'))
            logger.info(
              { messageId },
              'callgate: a redelivered notification, not dispatched again',
            );
          return emptyResponse(202);
        }
        return dispatch(
          events,
          {
            tenantId: caller.tenantId,
            caller,
            partition,
            correlation: correlationOf(headers),
            callerRegion: headerValue(headers, 'x-microsoft-skype-caller-region'),
            receivedAt: new Date(receivedAt),
            decision,
            headers: redactHeaders(headers),
            logger,
          },
          handleOptions,
        );
      }
    }
  }

  const webhook: CallWebhook = {
    verifier,
    maxBodyBytes: settings.maxBodyBytes,
    on(name, handler) {
      checkCallbackUri(name);
      return registry.add(name, handler as (event: CallEvent, context: CallContext) => void);
    },
    observe(observer) {
      if (typeof observer !== 'function')
        throw new ConfigError('webhook.observe(observer): observer must be a function');
      observers.push(observer);
      return () => {
        const index = observers.indexOf(observer);
        if (index !== -1) observers.splice(index, 1);
      };
    },
    async handle(request, handleOptions) {
      return traceWebhookHandle(request, tracing, async (trace) => {
        try {
          return await respond(request, handleOptions, trace);
        } catch (error) {
          logger.error({ err: error }, 'callgate: unexpected failure while handling a request');
          if (trace !== undefined) trace.error = error;
          return problemResponse(
            500,
            'internal_error',
            'the webhook failed unexpectedly; see the bot logs',
          );
        }
      });
    },
    callbackUri(callbackOptions = {}) {
      const partitioning = routing?.partition;
      if (partitioning !== undefined) {
        const partition = callbackOptions.partition ?? partitioning.self;
        if (!isValidPartition(partition)) {
          throw new ConfigError(
            `callbackUri: partition must be 1-64 of A-Z a-z 0-9 . _ ~ -, not only dots; got ${JSON.stringify(partition)}`,
          );
        }
        const base = parseSecureUrl(partitioning.url(partition));
        if (base === undefined) {
          throw new ConfigError(
            `callbackUri: routing.partition.url(${JSON.stringify(partition)}) is not an https URL`,
          );
        }
        return withPartition(base, partition);
      }
      if (callbackOptions.partition !== undefined) {
        throw new ConfigError(
          'callbackUri({ partition }) needs routing.partition to be configured',
        );
      }
      if (settings.publicUrl === undefined) {
        throw new ConfigError(
          'callbackUri() needs `publicUrl` or `routing.partition` in createCallWebhook options',
        );
      }
      return settings.publicUrl;
    },
    decide(input) {
      return decide({ ...input, routing });
    },
    warm() {
      return verifier.warm().catch((error: unknown) => {
        logger.error({ err: error }, 'callgate: warm() failed');
        throw error;
      });
    },
    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
  return webhook;
}

function correlationOf(headers: WebhookRequest['headers']): CorrelationIds {
  return {
    chainId: headerValue(headers, 'x-microsoft-skype-chain-id'),
    messageId: headerValue(headers, 'x-microsoft-skype-message-id'),
    scenarioId: headerValue(headers, 'scenario-id'),
    clientRequestId: headerValue(headers, 'client-request-id'),
  };
}

function createVerifier(options: CallWebhookOptions, logger: Logger): TokenVerifier {
  const { verifier: _ignored, ...auth } = options.auth ?? {};
  const verifierOptions: TokenVerifierOptions = { ...auth, appId: auth.appId ?? options.appId };
  if (options.now !== undefined && verifierOptions.now === undefined)
    verifierOptions.now = options.now;
  if (verifierOptions.logger === undefined) verifierOptions.logger = logger;
  return createTokenVerifier(verifierOptions);
}

interface Settings {
  maxBodyBytes: number;
  maxDepth: number;
  maxNotifications: number;
  bodyTimeoutMs: number;
  awaitHandlers: boolean;
  handlerTimeoutMs: number;
  answerDeadlineMs: number;
  publicUrl: string | undefined;
  logger: Logger;
  now: () => number;
  routing: RoutingOptions | undefined;
}

function validateOptions(options: CallWebhookOptions): Settings {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(
      'createCallWebhook(options): options must be an object with at least `appId`',
    );
  }
  const appIds = Array.isArray(options.appId) ? options.appId : [options.appId];
  if (appIds.length === 0 || appIds.some((id) => typeof id !== 'string' || id.trim() === '')) {
    throw new ConfigError(
      "appId must be the bot's Microsoft App ID (a non-empty string, or a list of them)",
    );
  }
  validateAuthOptions(options.appId, options.auth);
  const maxBodyBytes = positiveInteger(
    options.limits?.maxBodyBytes,
    DEFAULT_MAX_BODY_BYTES,
    'limits.maxBodyBytes',
  );
  const maxDepth = positiveInteger(options.limits?.maxDepth, 64, 'limits.maxDepth');
  const maxNotifications = positiveInteger(
    options.limits?.maxNotifications,
    DEFAULT_MAX_NOTIFICATIONS,
    'limits.maxNotifications',
  );
  const bodyTimeout = positiveNumber(options.limits?.bodyTimeout, 30, 'limits.bodyTimeout');
  const handlerTimeout = positiveNumber(options.handlerTimeout, 10, 'handlerTimeout');
  const answerDeadline = positiveNumber(options.answerDeadline, 15, 'answerDeadline');
  if (options.routing !== undefined) validateRouting(options.routing);
  if (options.publicUrl !== undefined) requireSecureUrl(options.publicUrl, 'publicUrl');
  if (options.onError !== undefined && typeof options.onError !== 'function') {
    throw new ConfigError('onError must be a function (error, { event, context }) => void');
  }
  const logger = resolveLogger(options.logger);
  return {
    maxBodyBytes,
    maxDepth,
    maxNotifications,
    bodyTimeoutMs: bodyTimeout * 1000,
    awaitHandlers: options.awaitHandlers === true,
    handlerTimeoutMs: handlerTimeout * 1000,
    answerDeadlineMs: answerDeadline * 1000,
    publicUrl: options.publicUrl,
    logger,
    now: options.now ?? Date.now,
    routing: options.routing,
  };
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new ConfigError(`${name} must be a positive whole number; got ${String(value)}`);
  return value;
}

function positiveNumber(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new ConfigError(`${name} must be a positive number of seconds; got ${String(value)}`);
  return value;
}

/** 413 when the declared or already-read size is over the limit; 400 for a nonsense Content-Length. */
function checkDeclaredSize(
  contentLength: string | undefined,
  body: unknown,
  maxBodyBytes: number,
): WebhookResponse | undefined {
  if (contentLength !== undefined) {
    if (!/^\d{1,16}$/.test(contentLength.trim())) {
      return problemResponse(
        400,
        'invalid_content_length',
        'Content-Length must be one non-negative whole number',
      );
    }
    if (Number(contentLength) > maxBodyBytes) {
      return problemResponse(
        413,
        'body_too_large',
        `the body (${contentLength} bytes) exceeds ${maxBodyBytes} bytes`,
      );
    }
  }
  const size =
    body instanceof Uint8Array
      ? body.byteLength
      : typeof body === 'string'
        ? utf8Length(body, maxBodyBytes)
        : 0;
  if (size > maxBodyBytes)
    return problemResponse(413, 'body_too_large', `the body exceeds ${maxBodyBytes} bytes`);
  return undefined;
}

/** UTF-8 length of `text`, cheap when it is clearly under `limit`. */
function utf8Length(text: string, limit: number): number {
  if (text.length * 3 <= limit) return text.length;
  return new TextEncoder().encode(text).byteLength;
}

function authFailure(
  error: unknown,
  logger: Logger,
  messageId: string | undefined,
): WebhookResponse {
  if (error instanceof AuthError) {
    // Below warn: scanners and strangers must not flood the default console logger.
    logger.info(
      { code: error.code, detail: error.message, messageId },
      'callgate: request not authenticated',
    );
    return problemResponse(
      error.status,
      error.code,
      error.message,
      authErrorResponseHeaders(error),
    );
  }
  logger.error({ err: error, messageId }, 'callgate: the token verifier failed unexpectedly');
  return problemResponse(401, 'verification_failed', 'the token could not be verified', {
    'WWW-Authenticate': 'Bearer error="invalid_token"',
  });
}

/** The `detail` of a 400 body_read_failed: the adapter's named cause when it knows it. */
function bodyReadFailure(error: unknown): string {
  if (error instanceof CallgateError && error.code === 'body_read_failed') return error.message;
  return 'the request body could not be read (the client may have disconnected)';
}
