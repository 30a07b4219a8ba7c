import {
  type Cloud,
  ConfigError,
  type Logger,
  type CallObserver,
  parseSecureUrl,
} from '@callgate/core';
import type * as z from 'zod';
import type { CallsClient, CallsMethodName, RequestOptions, WarmResult } from './CallsClient';
import { CALLS_CLOUDS, type CallsCloud } from './clouds';
import type { CallsCredential } from './credential';
import { deadlineMs } from './deadline';
import { decodeJwtPayload } from './decodeJwtPayload';
import { GraphError } from './GraphError';
import { IncomingCallDeadlines } from './IncomingCallDeadlines';
import { InvalidInputError } from './InvalidInputError';
import {
  callSchema,
  commsOperationSchema,
  inviteParticipantsOperationSchema,
  participantPageSchema,
  participantSchema,
  playPromptOperationSchema,
  recordOperationSchema,
  sendDtmfTonesOperationSchema,
} from './results';
import { type GraphResponse, sendGraphRequest, type Transport } from './sendGraphRequest';
import { TokenCache } from './TokenCache';
import { CallTracker } from './tracking/CallTracker';
import type { OperationCompletion } from './tracking/TrackedCall';
import {
  answerBody,
  createBody,
  holdMusicBody,
  promptsBody,
  redirectBody,
} from './withGraphDefaults';

/** What `createCallsClient` needs of a webhook: a `callbackUri()`, and `observe` to follow calls. */
export interface CallsWebhookLink {
  callbackUri(): string;
  observe?(observer: CallObserver): () => void;
}

/** Options of {@link createCallsClient}. */
export interface CallsClientOptions {
  /** A `TokenCredential` (e.g. `@azure/identity`'s ClientSecretCredential) or `(scope) => Promise<token>`. */
  credential: CallsCredential;
  /**
   * The webhook of this instance: its `callbackUri()` is the default for
   * answer/redirect/create, and the deadlines of the incoming calls it sees
   * apply to answer/reject/redirect by themselves.
   */
  webhook?: CallsWebhookLink;
  /** `public` (default), `gcch`, `dod` or `china`: picks Graph's root and scope; refuses APIs the cloud lacks. */
  cloud?: Cloud;
  /** Graph base URL (https, or http on loopback), e.g. the emulator's; default from `cloud`. */
  baseUrl?: string;
  /** Token scope; default `<Graph root>/.default` of `cloud`, else of `baseUrl`'s origin. */
  scope?: string;
  /** fetch to use (tests, proxies); default the global fetch. */
  fetch?: typeof fetch;
  /** pino-compatible logger; default: warnings and errors to the console. */
  logger?: Logger;
  /** Seconds per attempt; default 10. */
  timeout?: number;
  /** Retries of 429/503/504 (and of network failures where safe): default `{ maxRetries: 3, maxDelay: 30 }` (seconds). */
  retry?: { maxRetries?: number; maxDelay?: number };
  /** Application permissions `warm()` checks the token for; default `['Calls.Initiate.All']`. */
  requiredRoles?: string[];
  /**
   * keepAlive for every tracked established call: `{ interval }` seconds
   * (default 1800; Graph ends a call 45 minutes after the last one with
   * 408/8537). `false`: none.
   */
  keepAlive?: { interval?: number } | false;
  /** Most calls followed at once; default 10,000 (ended calls dropped first, live ones never). */
  maxTrackedCalls?: number;
  /** Seconds an ended call stays readable through `tracked()`; default 300. */
  retainEnded?: number;
  /** Default timeout of `completion()`, seconds; default 300 (20 prompts, a 2-minute recording). */
  completionTimeout?: number;
  /** Clock in ms (tests); default `Date.now`. */
  now?: () => number;
}

const consoleLogger: Logger = {
  debug() {},
  info() {},
  warn: (fields, message) => console.warn(message ?? '', fields),
  error: (fields, message) => console.error(message ?? '', fields),
};

const API_VERSION = '/v1.0';

/**
 * Creates a typed Microsoft Graph calls client: answer, reject, redirect,
 * transfer, prompts, recording, tones, mute, invite, hold music, keepAlive,
 * hang up, get, create — with cached tokens from any TokenCredential, a
 * `client-request-id` per request, retries honouring `Retry-After`, and
 * deadlines that fail fast instead of answering a call that is already gone.
 * Pure: fetch + WebCrypto, no Node built-ins.
 *
 * @example
 * ```ts
 * import { createCallsClient } from '@callgate/calls';
 * import { ClientSecretCredential } from '@azure/identity';
 *
 * const calls = createCallsClient({
 *   credential: new ClientSecretCredential(tenantId, appId, secret),
 *   webhook, // callbackUri() for answer/redirect/create, and each incoming call's deadline
 * });
 * webhook.on('incomingCall', async (event, ctx) => {
 *   await calls.answer(event.callId, { acceptedModalities: ['audio'] }, { deadline: ctx.deadline });
 * });
 * await Promise.all([webhook.warm(), calls.warm()]);
 * ```
 */
export function createCallsClient(options: CallsClientOptions): CallsClient {
  const settings = validateOptions(options);
  const { logger, now, cloud } = settings;
  const deadlines = new IncomingCallDeadlines(now);
  const transport: Transport = {
    baseUrl: settings.baseUrl,
    scope: settings.scope,
    fetch: settings.fetch,
    tokens: new TokenCache(options.credential, now, logger),
    logger,
    timeoutMs: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    maxDelayMs: settings.maxDelayMs,
    now,
    random: () => Math.random(),
  };
  const webhook = options.webhook;
  const callbackUri = webhook === undefined ? undefined : () => webhook.callbackUri();
  const tracker = new CallTracker({
    graph: {
      keepAlive: (callId) => client.keepAlive(callId),
      get: (callId) => client.get(callId),
      listParticipants: (callId) => client.listParticipants(callId),
    },
    logger,
    keepAlive: settings.keepAlive,
    maxTrackedCalls: settings.maxTrackedCalls,
    retainEnded: settings.retainEnded,
    completionTimeout: settings.completionTimeout,
    now,
  });
  const linked = typeof webhook?.observe === 'function';
  const stopObserving = linked
    ? webhook?.observe?.((event, context) => {
        if (event.type === 'incomingCall' && context.deadline !== undefined)
          deadlines.record(event.callId, context.deadline);
        tracker.observe(event, context);
      })
    : undefined;

  interface Spec {
    operation: CallsMethodName;
    method: 'GET' | 'POST' | 'DELETE';
    path: string;
    body?: unknown;
    retryNetworkFailures?: boolean;
    /** The answer window of this call applies when no deadline is given. */
    incomingDeadline?: string;
  }

  async function send(
    spec: Spec,
    requestOptions: RequestOptions | undefined,
  ): Promise<GraphResponse> {
    const unavailable = cloud?.unavailable;
    if (
      unavailable !== undefined &&
      unavailable !== 'all' &&
      unavailable.includes(spec.operation)
    ) {
      throw new ConfigError(
        `${spec.operation} is not available in ${cloud?.name}: Microsoft's Graph reference lists it for the global service only (call-${spec.operation.toLowerCase()} "National cloud deployments")`,
      );
    }
    const given = deadlineMs(requestOptions?.deadline);
    const deadline =
      given ??
      (spec.incomingDeadline === undefined
        ? undefined
        : deadlines.deadlineOf(spec.incomingDeadline));
    const clientRequestId = requestOptions?.clientRequestId ?? crypto.randomUUID();
    return sendGraphRequest(transport, {
      operation: spec.operation,
      method: spec.method,
      path: spec.path,
      body: spec.body,
      retryNetworkFailures: spec.retryNetworkFailures === true,
      deadline,
      signal: requestOptions?.signal,
      clientRequestId,
    });
  }

  /** Parses a 2xx body with `schema`; `invalid_response` when it does not fit. */
  function read<T>(
    response: GraphResponse,
    schema: z.ZodType<T>,
    spec: Pick<Spec, 'operation' | 'method' | 'path'>,
    clientRequestId: string | undefined,
  ): T {
    let value = response.json;
    // Some actions answer 200/202 with only a Location header naming the operation.
    if (value === undefined && !response.unparsable) {
      const location = response.headers.get('location');
      const id = location?.split('/').filter(Boolean).pop();
      if (id !== undefined) value = { id };
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw new GraphError(
      'invalid_response',
      `${spec.operation}: Graph answered ${response.status} with a body that is not what ${spec.operation} returns${
        response.unparsable ? ' (not JSON)' : ''
      }`,
      {
        operation: spec.operation,
        method: spec.method,
        path: spec.path,
        status: response.status,
        requestId: response.headers.get('request-id') ?? undefined,
        clientRequestId: clientRequestId ?? 'unknown',
        attempts: response.attempts ?? 1,
        cause: parsed.error,
      },
    );
  }

  async function action(spec: Spec, requestOptions: RequestOptions | undefined): Promise<void> {
    await send(spec, requestOptions);
  }

  async function operation<T>(
    spec: Spec,
    schema: z.ZodType<T>,
    requestOptions: RequestOptions | undefined,
  ): Promise<T> {
    const withId = ensureClientRequestId(requestOptions);
    const result = read(await send(spec, withId), schema, spec, withId.clientRequestId);
    settleFromResponse(spec.path, result);
    return result;
  }

  /** An operation whose own response says completed/failed settles `completion()` from it. */
  function settleFromResponse(path: string, result: unknown): void {
    const callId = /^\/communications\/calls\/([^/]+)\//.exec(path)?.[1];
    const op = result as { id?: unknown; status?: unknown; '@odata.type'?: unknown };
    if (callId === undefined || typeof op?.id !== 'string') return;
    const status = typeof op.status === 'string' ? op.status.toLowerCase() : undefined;
    if (status !== 'completed' && status !== 'failed') return;
    const decoded = decodeURIComponent(callId);
    const resource = `/communications/calls/${decoded}/operations/${op.id}`;
    const raw = result as Record<string, unknown>;
    tracker.completions.settle(decoded, {
      type: 'operationCompleted',
      callId: decoded,
      changeType: undefined,
      resource,
      callbackUri: undefined,
      raw,
      operationId: op.id,
      operationKind: operationKindOf(op['@odata.type']),
      status,
      resultInfo: (raw.resultInfo as OperationCompletion['resultInfo']) ?? undefined,
      clientContext: typeof raw.clientContext === 'string' ? raw.clientContext : undefined,
      completionReason: typeof raw.completionReason === 'string' ? raw.completionReason : undefined,
    });
  }

  const calls = (callId: string) => `/communications/calls/${segment(callId, 'callId')}`;
  const participant = (callId: string, participantId: string) =>
    `${calls(callId)}/participants/${segment(participantId, 'participantId')}`;
  const bodyOf = (body: unknown, operationName: string, required: boolean) =>
    objectBody(body, operationName, required);

  const client: CallsClient = {
    baseUrl: settings.baseUrl,
    scope: settings.scope,

    answer: (callId, body, o) =>
      run(() =>
        action(
          {
            operation: 'answer',
            method: 'POST',
            path: `${calls(callId)}/answer`,
            body: answerBody(bodyOf(body, 'answer', true), callbackUri),
            incomingDeadline: callId,
          },
          o,
        ),
      ),
    reject: (callId, body, o) =>
      run(() =>
        action(
          {
            operation: 'reject',
            method: 'POST',
            path: `${calls(callId)}/reject`,
            body: bodyOf(body, 'reject', false),
            incomingDeadline: callId,
          },
          o,
        ),
      ),
    redirect: (callId, body, o) =>
      run(() =>
        action(
          {
            operation: 'redirect',
            method: 'POST',
            path: `${calls(callId)}/redirect`,
            body: redirectBody(bodyOf(body, 'redirect', true), callbackUri),
            incomingDeadline: callId,
          },
          o,
        ),
      ),
    transfer: (callId, body, o) =>
      run(() =>
        action(
          {
            operation: 'transfer',
            method: 'POST',
            path: `${calls(callId)}/transfer`,
            body: bodyOf(body, 'transfer', true),
          },
          o,
        ),
      ),
    changeScreenSharingRole: (callId, body, o) =>
      run(() =>
        action(
          {
            operation: 'changeScreenSharingRole',
            method: 'POST',
            path: `${calls(callId)}/changeScreenSharingRole`,
            body: bodyOf(body, 'changeScreenSharingRole', true),
          },
          o,
        ),
      ),
    playPrompt: (callId, body, o) =>
      run(() =>
        operation(
          {
            operation: 'playPrompt',
            method: 'POST',
            path: `${calls(callId)}/playPrompt`,
            body: promptsBody(bodyOf(body, 'playPrompt', true)),
          },
          playPromptOperationSchema,
          o,
        ),
      ),
    recordResponse: (callId, body, o) =>
      run(() =>
        operation(
          {
            operation: 'recordResponse',
            method: 'POST',
            path: `${calls(callId)}/recordResponse`,
            body: promptsBody(bodyOf(body, 'recordResponse', false)),
          },
          recordOperationSchema,
          o,
        ),
      ),
    subscribeToTone: (callId, body, o) =>
      run(() =>
        operation(
          {
            operation: 'subscribeToTone',
            method: 'POST',
            path: `${calls(callId)}/subscribeToTone`,
            body: bodyOf(body, 'subscribeToTone', false),
          },
          commsOperationSchema,
          o,
        ),
      ),
    sendDtmfTones: (callId, body, o) =>
      run(() =>
        operation(
          {
            operation: 'sendDtmfTones',
            method: 'POST',
            path: `${calls(callId)}/sendDtmfTones`,
            body: bodyOf(body, 'sendDtmfTones', true),
          },
          sendDtmfTonesOperationSchema,
          o,
        ),
      ),
    mute: (callId, body, o) =>
      run(() =>
        operation(
          {
            operation: 'mute',
            method: 'POST',
            path: `${calls(callId)}/mute`,
            body: bodyOf(body, 'mute', false),
          },
          commsOperationSchema,
          o,
        ),
      ),
    unmute: (callId, body, o) =>
      run(() =>
        operation(
          {
            operation: 'unmute',
            method: 'POST',
            path: `${calls(callId)}/unmute`,
            body: bodyOf(body, 'unmute', false),
          },
          commsOperationSchema,
          o,
        ),
      ),
    updateRecordingStatus: (callId, body, o) =>
      run(() =>
        operation(
          {
            operation: 'updateRecordingStatus',
            method: 'POST',
            path: `${calls(callId)}/updateRecordingStatus`,
            body: bodyOf(body, 'updateRecordingStatus', true),
          },
          commsOperationSchema,
          o,
        ),
      ),
    cancelMediaProcessing: (callId, body, o) =>
      run(() =>
        operation(
          {
            operation: 'cancelMediaProcessing',
            method: 'POST',
            path: `${calls(callId)}/cancelMediaProcessing`,
            body: bodyOf(body, 'cancelMediaProcessing', false),
          },
          commsOperationSchema,
          o,
        ),
      ),
    inviteParticipants: (callId, body, o) =>
      run(() =>
        operation(
          {
            operation: 'inviteParticipants',
            method: 'POST',
            path: `${calls(callId)}/participants/invite`,
            body: bodyOf(body, 'inviteParticipants', true),
          },
          inviteParticipantsOperationSchema,
          o,
        ),
      ),
    muteParticipant: (callId, participantId, body, o) =>
      run(() =>
        operation(
          {
            operation: 'muteParticipant',
            method: 'POST',
            path: `${participant(callId, participantId)}/mute`,
            body: bodyOf(body, 'muteParticipant', false),
          },
          commsOperationSchema,
          o,
        ),
      ),
    removeParticipant: (callId, participantId, o) =>
      run(() =>
        action(
          {
            operation: 'removeParticipant',
            method: 'DELETE',
            path: participant(callId, participantId),
            retryNetworkFailures: true,
          },
          o,
        ),
      ),
    keepAlive: (callId, o) =>
      run(() =>
        action(
          {
            operation: 'keepAlive',
            method: 'POST',
            path: `${calls(callId)}/keepAlive`,
            retryNetworkFailures: true,
          },
          o,
        ),
      ),
    hangUp: (callId, o) =>
      run(() =>
        action(
          {
            operation: 'hangUp',
            method: 'DELETE',
            path: calls(callId),
            retryNetworkFailures: true,
          },
          o,
        ),
      ),
    get: (callId, o) =>
      run(() =>
        operation(
          { operation: 'get', method: 'GET', path: calls(callId), retryNetworkFailures: true },
          callSchema,
          o,
        ),
      ),
    listParticipants: (callId, o) => run(() => listParticipants(callId, o)),
    getParticipant: (callId, participantId, o) =>
      run(() =>
        operation(
          {
            operation: 'getParticipant',
            method: 'GET',
            path: participant(callId, participantId),
            retryNetworkFailures: true,
          },
          participantSchema,
          o,
        ),
      ),
    startHoldMusic: (callId, participantId, body, o) =>
      run(() =>
        operation(
          {
            operation: 'startHoldMusic',
            method: 'POST',
            path: `${participant(callId, participantId)}/startHoldMusic`,
            body: holdMusicBody(bodyOf(body, 'startHoldMusic', false)),
          },
          commsOperationSchema,
          o,
        ),
      ),
    stopHoldMusic: (callId, participantId, body, o) =>
      run(() =>
        operation(
          {
            operation: 'stopHoldMusic',
            method: 'POST',
            path: `${participant(callId, participantId)}/stopHoldMusic`,
            body: bodyOf(body, 'stopHoldMusic', false),
          },
          commsOperationSchema,
          o,
        ),
      ),
    create: (body, o) =>
      run(() =>
        operation(
          {
            operation: 'create',
            method: 'POST',
            path: '/communications/calls',
            body: createBody(bodyOf(body, 'create', true), callbackUri),
          },
          callSchema,
          o,
        ),
      ),

    warm: () => warm(),
    deadlineOf(callId) {
      const at = deadlines.deadlineOf(callId);
      return at === undefined ? undefined : new Date(at);
    },
    completion(callId, operationId, completionOptions) {
      if (typeof callId !== 'string' || typeof operationId !== 'string' || operationId === '')
        return Promise.reject(
          new InvalidInputError(
            'invalid_argument',
            `completion(callId, operationId): both must be non-empty strings; got ${JSON.stringify(callId)}, ${JSON.stringify(operationId)}`,
          ),
        );
      if (!linked && !tracker.completions.has(callId, operationId))
        return Promise.reject(
          new ConfigError(
            'completion() needs the webhook that receives the call: createCallsClient({ credential, webhook })',
          ),
        );
      return tracker.completion(callId, operationId, completionOptions);
    },
    tracked: (callId) => tracker.tracked(callId),
    trackedCalls: () => tracker.trackedCalls(),
    on: (name, handler) => tracker.on(name, handler),
    reconcile: (callId) => tracker.reconcile(callId),
    adopt: (callId) => tracker.adopt(callId),
    close() {
      stopObserving?.();
      tracker.close();
    },
  };

  async function listParticipants(callId: string, o: RequestOptions | undefined) {
    const withId = ensureClientRequestId(o);
    const spec: Spec = {
      operation: 'listParticipants',
      method: 'GET',
      path: `${calls(callId)}/participants`,
      retryNetworkFailures: true,
    };
    const participants = [];
    for (let page = 0; page < 100; page++) {
      const result = read(
        await send(spec, withId),
        participantPageSchema,
        spec,
        withId.clientRequestId,
      );
      participants.push(...result.value);
      const next = result['@odata.nextLink'];
      // Follow a next page only on the same Graph: the token must never go elsewhere.
      if (next === undefined || !next.startsWith(`${settings.baseUrl}/`)) break;
      spec.path = next;
    }
    return participants;
  }

  async function warm(): Promise<WarmResult> {
    let token: string;
    try {
      token = await transport.tokens.get(transport.scope);
    } catch (error) {
      throw new GraphError('credential_failed', `warm: ${(error as Error).message}`, {
        operation: 'warm',
        method: 'TOKEN',
        path: transport.scope,
        clientRequestId: 'none',
        attempts: 0,
        cause: error,
      });
    }
    const claims = decodeJwtPayload(token);
    const roles = Array.isArray(claims?.roles)
      ? claims.roles.filter((role): role is string => typeof role === 'string')
      : undefined;
    if (roles === undefined) {
      logger.debug({ scope: transport.scope }, 'callgate: the access token has no readable roles');
      return { roles: undefined, missingRoles: [] };
    }
    const missingRoles = settings.requiredRoles.filter((role) => !roles.includes(role));
    if (missingRoles.length > 0 || !roles.some((role) => role.startsWith('Calls.'))) {
      logger.warn(
        { missingRoles, roles },
        `callgate: the access token lacks the application permission(s) ${missingRoles.join(', ') || 'Calls.*'}; grant them to the bot's app registration (admin consent) or Graph will refuse the calls API`,
      );
    }
    return { roles, missingRoles };
  }

  /** Runs `work`, turning a synchronous throw (bad argument) into a rejection. */
  function run<T>(work: () => Promise<T>): Promise<T> {
    try {
      return work();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  return client;
}

/** `#microsoft.graph.playPromptOperation` → `playPrompt`. */
function operationKindOf(odataType: unknown): string | undefined {
  if (typeof odataType !== 'string') return undefined;
  const kind = /\.([A-Za-z]+)Operation$/.exec(odataType)?.[1];
  return kind === undefined || kind === 'comms'
    ? undefined
    : kind[0]!.toLowerCase() + kind.slice(1);
}

function ensureClientRequestId(
  options: RequestOptions | undefined,
): RequestOptions & { clientRequestId: string } {
  return { ...options, clientRequestId: options?.clientRequestId ?? crypto.randomUUID() };
}

function segment(id: unknown, name: string): string {
  if (typeof id !== 'string' || id.trim() === '')
    throw new InvalidInputError(
      'invalid_argument',
      `${name} must be a non-empty string; got ${JSON.stringify(id)}`,
    );
  return encodeURIComponent(id);
}

function objectBody(body: unknown, operation: string, required: boolean): Record<string, unknown> {
  if (body === undefined && !required) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new InvalidInputError(
      'invalid_argument',
      `${operation}: the body must be an object in Graph's v1.0 shape; got ${body === null ? 'null' : Array.isArray(body) ? 'an array' : typeof body}`,
    );
  return body as Record<string, unknown>;
}

interface Settings {
  baseUrl: string;
  scope: string;
  cloud: CallsCloud | undefined;
  fetch: typeof fetch;
  logger: Logger;
  timeoutMs: number;
  maxRetries: number;
  maxDelayMs: number;
  requiredRoles: string[];
  keepAlive: { interval: number } | false;
  maxTrackedCalls: number;
  retainEnded: number;
  completionTimeout: number;
  now: () => number;
}

function validateOptions(options: CallsClientOptions): Settings {
  if (typeof options !== 'object' || options === null)
    throw new ConfigError(
      'createCallsClient(options): options must be an object with `credential`',
    );
  const { credential } = options;
  if (
    typeof credential !== 'function' &&
    (typeof credential !== 'object' ||
      credential === null ||
      typeof credential.getToken !== 'function')
  ) {
    throw new ConfigError(
      'credential must be a TokenCredential (e.g. new ClientSecretCredential(tenantId, appId, secret) from @azure/identity) or a function (scope) => Promise<access token>',
    );
  }

  let cloud: CallsCloud | undefined;
  if (options.cloud !== undefined) {
    cloud = CALLS_CLOUDS[options.cloud];
    if (cloud === undefined || !Object.hasOwn(CALLS_CLOUDS, options.cloud))
      throw new ConfigError(
        `cloud must be one of ${Object.keys(CALLS_CLOUDS).join(', ')}; got ${JSON.stringify(options.cloud)}`,
      );
    if (cloud.unavailable === 'all' && options.baseUrl === undefined) {
      throw new ConfigError(
        `Microsoft Graph's calls API is not available in ${cloud.name}: its v1.0 reference pages (call-answer, application-post-calls…) list the global service and US Government clouds only. Pass baseUrl and scope to use another Graph deployment.`,
      );
    }
  }
  const root = cloud?.graphRoot ?? CALLS_CLOUDS.public.graphRoot;
  let baseUrl = `${root}${API_VERSION}`;
  let scope = `${root}/.default`;
  if (options.baseUrl !== undefined) {
    const parsed =
      typeof options.baseUrl === 'string' ? parseSecureUrl(options.baseUrl) : undefined;
    if (parsed === undefined)
      throw new ConfigError(
        `baseUrl must be an https URL (http only on loopback), e.g. https://graph.microsoft.com/v1.0; got ${JSON.stringify(options.baseUrl)}`,
      );
    baseUrl = parsed.href.replace(/\/+$/, '');
    if (cloud === undefined) scope = `${parsed.origin}/.default`;
  }
  if (options.scope !== undefined) {
    if (typeof options.scope !== 'string' || options.scope.trim() === '')
      throw new ConfigError(
        'scope must be a non-empty string, e.g. https://graph.microsoft.com/.default',
      );
    scope = options.scope;
  }
  // The cloud's availability only describes that cloud's own Graph.
  if (options.baseUrl !== undefined && cloud !== undefined && !baseUrl.startsWith(cloud.graphRoot))
    cloud = undefined;

  if (options.webhook !== undefined) {
    if (typeof options.webhook?.callbackUri !== 'function')
      throw new ConfigError(
        'webhook must be a callgate webhook (createCallWebhook) with callbackUri()',
      );
    try {
      options.webhook.callbackUri();
    } catch (error) {
      throw new ConfigError(
        `createCallsClient({ webhook }): the webhook cannot build a callbackUri for answer/redirect/create (${
          error instanceof Error ? error.message : String(error)
        }); give createCallWebhook \`publicUrl\` or \`routing.partition\``,
        { cause: error },
      );
    }
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function')
    throw new ConfigError('fetch must be a function; this runtime has no global fetch');
  const logger = options.logger ?? consoleLogger;
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof logger[level] !== 'function')
      throw new ConfigError(`logger.${level} must be a function (pino-compatible logger)`);
  }
  const timeout = positive(options.timeout, 10, 'timeout');
  const maxRetries = options.retry?.maxRetries ?? 3;
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0)
    throw new ConfigError(`retry.maxRetries must be a whole number ≥ 0; got ${String(maxRetries)}`);
  const maxDelay = positive(options.retry?.maxDelay, 30, 'retry.maxDelay');
  const requiredRoles = options.requiredRoles ?? ['Calls.Initiate.All'];
  if (!Array.isArray(requiredRoles) || requiredRoles.some((role) => typeof role !== 'string'))
    throw new ConfigError(
      'requiredRoles must be a list of permission names, e.g. ["Calls.Initiate.All"]',
    );
  return {
    baseUrl,
    scope,
    cloud,
    fetch: options.fetch === undefined ? (input, init) => globalThis.fetch(input, init) : fetchImpl,
    logger,
    timeoutMs: timeout * 1000,
    maxRetries,
    maxDelayMs: maxDelay * 1000,
    requiredRoles,
    keepAlive:
      options.keepAlive === false
        ? false
        : { interval: positive(options.keepAlive?.interval, 1800, 'keepAlive.interval') },
    maxTrackedCalls: wholeNumber(options.maxTrackedCalls, 10_000, 'maxTrackedCalls'),
    retainEnded: positive(options.retainEnded, 300, 'retainEnded'),
    completionTimeout: positive(options.completionTimeout, 300, 'completionTimeout'),
    now: options.now ?? Date.now,
  };
}

function wholeNumber(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new ConfigError(`${name} must be a positive whole number; got ${String(value)}`);
  return value;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new ConfigError(`${name} must be a positive number of seconds; got ${String(value)}`);
  return value;
}
