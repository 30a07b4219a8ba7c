import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { canonicalId, createCallEventLog } from './callEventLog';
import { checkGraphToken, graphAudiences } from './checkGraphToken';
import { EmulatorError } from './EmulatorError';
import {
  type CallState,
  callResource,
  finishedOperation,
  invitedEntries,
  newOperation,
  type Operation,
} from './graphCallState';
import {
  bodyProblem,
  type GraphActionKind,
  type GraphRoute,
  matchGraphRoute,
  requiredRoles,
} from './graphEndpoints';
import { graphError } from './graphError';
import { faultAnswer, nextFault } from './graphFaults';
import {
  parseJson,
  type ServerReply,
  type ServerRequest,
  startLoopbackServer,
} from './loopbackServer';
import type {
  CallControl,
  CallRegistration,
  GraphAction,
  GraphEvent,
  GraphFault,
  GraphNotificationKind,
  GraphObserver,
  NotificationAttempt,
} from './mockGraphTypes';
import {
  callStateChanged,
  callTerminated,
  type Identity,
  operationFinished,
  participantResource,
  participantsUpdated,
  type ResultInfo,
} from './notifications';
import { sendNotification, serviceHeaders } from './sendNotification';
import { type DevIssuer, startDevIssuer } from './startDevIssuer';

export type {
  CallControl,
  CallRegistration,
  GraphAction,
  GraphActionKind,
  GraphEvent,
  GraphFault,
  GraphNotificationKind,
  GraphObserver,
  NotificationAttempt,
} from './mockGraphTypes';

/** A running mock Graph; see {@link startMockGraph}. */
export interface MockGraph extends GraphObserver {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The dev issuer that signs its notifications and whose tokens it accepts. */
  readonly issuer: DevIssuer;
  /** Every request so far for `callId`, in order. */
  actions(callId: string): GraphAction[];
  /** Every request and notification so far for `callId`, in order. */
  events(callId: string): GraphEvent[];
  close(): Promise<void>;
}

/** Options of {@link startMockGraph}. */
export interface MockGraphOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /**
   * The dev issuer the bot trusts: it signs the notifications the mock Graph
   * sends, and the mock accepts only its {@link devCredential} tokens. Default:
   * a new one, `graph.issuer`, closed with the mock.
   */
  issuer?: DevIssuer;
  /** Seconds an established call lives without a keepAlive; default 2700 (45 minutes, as Graph). */
  keepAliveTimeout?: number;
  /** How long an operation (playPrompt, ...) runs before its completion is sent; default 50 ms. */
  operationDelayMs?: number;
  /** Faults injected in every call, unless a call registers its own. */
  faults?: GraphFault[];
  /** Retries of a notification the bot did not accept (5xx, 429, no answer); default [500, 1000, 2000]. */
  retryDelaysMs?: number[];
  /** How long a notification POST may take; default 10000 ms. */
  requestTimeoutMs?: number;
}

/**
 * Starts a mock of the Microsoft Graph v1.0 calls API on 127.0.0.1, at
 * `{url}/v1.0/communications/calls`: every method of `@callgate/calls`
 * (answer, reject, redirect, transfer, changeScreenSharingRole, playPrompt,
 * recordResponse, subscribeToTone, sendDtmfTones, mute, unmute,
 * updateRecordingStatus, cancelMediaProcessing, participants/invite,
 * participants/{id}/mute, startHoldMusic, stopHoldMusic, DELETE participants/{id},
 * keepAlive, DELETE call, GET call, GET participants[/{id}], GET operations/{id},
 * POST /communications/calls).
 *
 * It answers with Graph's own statuses and bodies (202; 200 with a
 * `commsOperation` and a `Location` header; 201; 204), refuses what Graph
 * refuses (401 without a token of its dev issuer, {@link devCredential}; 403
 * without the Calls.* role; 400 naming a missing property; 404 for an unknown or
 * ended call) in Graph's error shape, injects the faults a call was registered
 * with, and then POSTs to the call's `callbackUri`, signed by the dev issuer,
 * the notifications Graph sends: `establishing`/`established` and the roster
 * after answer, the operation finishing (`changeType: deleted` on
 * `.../operations/{id}`), the roster after invite, mute and remove,
 * `transferring` and `terminated` after transfer, `terminated` after hang-up, and
 * `terminated` with 408/8537 when no keepAlive came within `keepAliveTimeout`.
 *
 * `{url}/_emulator/...` lets a scenario player in another process register
 * calls and follow them ({@link connectMockGraph}): loopback only.
 *
 * @example
 * ```ts
 * const issuer = await startDevIssuer();
 * const graph = await startMockGraph({ issuer });
 * // the bot: Graph base URL graph.baseUrl, credential devCredential(issuer)
 * await graph.close();
 * ```
 */
export async function startMockGraph(options: MockGraphOptions = {}): Promise<MockGraph> {
  const ownIssuer = options.issuer === undefined;
  const issuer =
    options.issuer ??
    (await startDevIssuer(options.host === undefined ? {} : { host: options.host }));
  const keepAliveTimeout = options.keepAliveTimeout ?? 2700;
  const operationDelayMs = options.operationDelayMs ?? 50;
  const retryDelaysMs = options.retryDelaysMs ?? [500, 1000, 2000];
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const calls = new Map<string, CallState>();
  let base = '';
  let closed = false;

  const log = createCallEventLog();
  const { nextAction, nextEvent } = log;

  // --- notifications to the bot -------------------------------------------

  const deliver = (
    call: CallState,
    notification: GraphNotificationKind,
    why: string,
    body: unknown,
  ): Promise<void> => {
    // Nothing but `terminated` follows the end of a call: decided when it is queued.
    if (call.state === 'terminated' && notification !== 'terminated') return Promise.resolve();
    const run = async () => {
      const url = call.callbackUri;
      if (closed || url === undefined) return;
      const messageId = randomUUID();
      const text = JSON.stringify(body);
      const attempts: NotificationAttempt[] = [];
      for (let attempt = 1; ; attempt++) {
        const token = await issuer.mintToken({
          kind: call.reg.tokenKind ?? 'botframework',
          audience: call.reg.appId,
          tenantId: call.reg.tenantId,
        });
        const headers = serviceHeaders({
          chainId: call.reg.chainId,
          messageId,
          scenarioId: call.reg.scenarioId,
          token,
        });
        const outcome = await sendNotification(url, text, headers, requestTimeoutMs);
        const ok = outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
        attempts.push({
          kind: 'post',
          by: 'graph',
          why,
          url,
          messageId,
          attempt,
          token: 'valid',
          status: outcome.status,
          expectation: '2xx',
          ok,
          durationMs: outcome.durationMs,
          ...(outcome.code === undefined ? {} : { code: outcome.code }),
          ...(outcome.error === undefined ? {} : { error: outcome.error }),
        });
        const retryable =
          outcome.status === null || outcome.status === 429 || outcome.status >= 500;
        if (!ok && retryable && attempt <= retryDelaysMs.length && !closed) {
          await sleep(retryDelaysMs[attempt - 1] ?? 0);
          continue;
        }
        log.append(call.id, { type: 'notification', notification, why, attempts, ok, body });
        // The service gives up on a bot that keeps failing: the call is gone.
        if (!ok && retryable) endCall(call);
        return;
      }
    };
    const next = call.queue.then(run, run);
    call.queue = next.catch(() => {});
    return next;
  };

  const deliverRoster = (call: CallState, why: string) =>
    deliver(
      call,
      'roster',
      why,
      participantsUpdated({ callId: call.id, participants: call.roster }),
    );

  const endCall = (call: CallState, notice?: { resultInfo: ResultInfo; why: string }) => {
    if (call.state === 'terminated') return;
    call.state = 'terminated';
    clearTimeout(call.keepAliveTimer);
    for (const { timer } of call.running.values()) clearTimeout(timer);
    call.running.clear();
    if (notice) {
      void deliver(
        call,
        'terminated',
        notice.why,
        callTerminated({ callId: call.id, resultInfo: notice.resultInfo }),
      );
    }
  };

  const armKeepAlive = (call: CallState) => {
    clearTimeout(call.keepAliveTimer);
    const seconds = call.reg.keepAliveTimeout ?? keepAliveTimeout;
    call.keepAliveTimer = setTimeout(() => {
      endCall(call, {
        resultInfo: {
          code: 408,
          subcode: 8537,
          message: 'Keep Alive timeout, cleaned up inactive call',
        },
        why: `terminated: no keepAlive within ${seconds} s (408/8537)`,
      });
    }, seconds * 1000);
    call.keepAliveTimer.unref();
  };

  const connect = (call: CallState, states: ('establishing' | 'established')[]) => {
    call.state = 'established';
    armKeepAlive(call);
    const meeting = call.reg.meeting;
    for (const state of states) {
      void deliver(
        call,
        state,
        `call ${state}`,
        callStateChanged({
          callId: call.id,
          state,
          ...(state === 'established' ? { callbackUri: call.callbackUri, meeting } : {}),
        }),
      );
    }
    void deliverRoster(call, `roster: ${call.roster.length} participants`);
  };

  // --- registration -------------------------------------------------------

  const newCall = (reg: CallRegistration, direction: 'incoming' | 'outgoing'): CallState => {
    const bot: Identity = {
      kind: 'application',
      id: reg.appId,
      displayName: 'Bot',
      tenantId: reg.tenantId,
    };
    const botParticipantId = randomUUID();
    const other = reg.meeting?.organizer ?? reg.caller;
    const call: CallState = {
      id: reg.callId,
      reg: {
        chainId: randomUUID(),
        scenarioId: randomUUID(),
        ...reg,
        ...(reg.faults === undefined && options.faults ? { faults: options.faults } : {}),
      },
      state: 'incoming',
      direction,
      targets: [],
      roster: [
        { participantId: botParticipantId, who: bot, muted: false },
        ...(other ? [{ participantId: randomUUID(), who: other, muted: false }] : []),
      ],
      botParticipantId,
      operations: new Map(),
      running: new Map(),
      faultCounts: new Map(),
      queue: Promise.resolve(),
    };
    calls.set(canonicalId(reg.callId), call);
    return call;
  };

  const registerCall = async (reg: CallRegistration) => {
    if (typeof reg?.callId !== 'string' || typeof reg.appId !== 'string') {
      throw new EmulatorError('invalid_options', 'registerCall needs `callId` and `appId`');
    }
    newCall(reg, 'incoming');
  };

  const controlCall = async (callId: string, control: CallControl) => {
    const call = calls.get(canonicalId(callId));
    if (!call) throw new EmulatorError('invalid_options', `no call ${callId} is registered`);
    if (control.op === 'end') {
      endCall(
        call,
        control.notify
          ? { resultInfo: control.resultInfo, why: control.why ?? 'terminated' }
          : undefined,
      );
      return;
    }
    const joined = control.join ?? [];
    const left = new Set(control.leave ?? []);
    const leaving = call.roster.filter((p) => left.has(p.participantId));
    call.roster = [...call.roster.filter((p) => !left.has(p.participantId)), ...joined];
    if (control.style === 'items') {
      if (joined.length > 0)
        void deliver(
          call,
          'roster',
          control.why,
          participantsUpdated({ callId: call.id, participants: joined, changeType: 'created' }),
        );
      if (leaving.length > 0)
        void deliver(
          call,
          'roster',
          control.why,
          participantsUpdated({ callId: call.id, participants: leaving, changeType: 'deleted' }),
        );
      return;
    }
    void deliverRoster(call, control.why);
  };

  // --- the Graph API ------------------------------------------------------

  const finishOperation = async (
    call: CallState,
    kind: GraphActionKind,
    operation: Operation,
    outcome: 'completed' | 'canceled',
    participantId: string | undefined,
  ) => {
    call.running.delete(operation.id);
    const finished = finishedOperation(kind, operation, outcome, base);
    call.operations.set(canonicalId(operation.id), finished);
    const delivered = deliver(
      call,
      'operation',
      `${kind} operation ${finished.status}`,
      operationFinished({ callId: call.id, operation: finished }),
    );
    if (outcome !== 'completed') return delivered;
    // What the operation changed in the roster comes after it.
    const botEntry = call.roster.find((p) => p.participantId === call.botParticipantId);
    if ((kind === 'mute' || kind === 'unmute') && botEntry) {
      botEntry.muted = kind === 'mute';
      void deliverRoster(call, `roster: the bot is ${kind}d`);
    }
    if (kind === 'muteParticipant') {
      const entry = call.roster.find((p) => p.participantId === participantId);
      if (entry) entry.muted = true;
      void deliverRoster(call, 'roster: a participant is muted');
    }
    if (kind === 'inviteParticipants') {
      const invited = invitedEntries(operation, call.reg.tenantId);
      call.roster.push(...invited);
      void deliverRoster(call, `roster: ${invited.length} invited participant(s) joined`);
    }
    return delivered;
  };

  const handle = async (
    route: GraphRoute,
    action: GraphAction,
    token: Record<string, unknown>,
  ): Promise<ServerReply> => {
    const clientRequestId = action.clientRequestId;
    const refuse = (
      status: number,
      code: string,
      message: string,
      extra: Partial<GraphAction> = {},
    ) => {
      Object.assign(action, { status, problem: message, errorCode: code }, extra);
      return graphError(status, code, message, clientRequestId);
    };
    const body = action.body as Record<string, unknown>;
    const ok = (
      status: number,
      payload?: unknown,
      headers: Record<string, string> = {},
    ): ServerReply => {
      action.status = status;
      return {
        status,
        headers: {
          'request-id': randomUUID(),
          'client-request-id': clientRequestId ?? randomUUID(),
          ...headers,
        },
        ...(payload === undefined ? {} : { body: payload }),
      };
    };

    if (route.kind === 'create') {
      const callId = randomUUID();
      action.callId = callId;
      const appId = String(token.appid ?? '');
      const tenantId = String(body.tenantId ?? token.tid ?? '');
      const organizer = (
        body.meetingInfo as
          | { organizer?: { user?: { id?: string; displayName?: string } } }
          | undefined
      )?.organizer?.user;
      const threadId = (body.chatInfo as { threadId?: string } | undefined)?.threadId;
      const call = newCall(
        {
          callId,
          appId,
          tenantId,
          ...(body.meetingInfo && threadId
            ? {
                meeting: {
                  threadId,
                  organizer: {
                    kind: 'user',
                    id: organizer?.id ?? randomUUID(),
                    displayName: organizer?.displayName ?? 'Organizer',
                    tenantId,
                  },
                },
              }
            : {}),
        },
        'outgoing',
      );
      call.callbackUri = String(body.callbackUri);
      call.targets = Array.isArray(body.targets) ? body.targets : [];
      const reply = ok(
        201,
        { ...callResource(call, base), state: 'establishing' },
        {
          location: `${base}/v1.0/communications/calls/${callId}`,
        },
      );
      connect(call, ['established']);
      return reply;
    }

    const call = calls.get(canonicalId(route.callId!))!;
    const notRinging = () =>
      refuse(
        400,
        'BadRequest',
        `The call ${call.id} is not ringing any more: it was answered, rejected or redirected.`,
      );
    const notEstablished = () =>
      refuse(400, 'BadRequest', `The call ${call.id} is not established (state ${call.state}).`);
    const participant = () =>
      call.roster.find(
        (p) => canonicalId(p.participantId) === canonicalId(route.participantId ?? ''),
      );

    switch (route.kind) {
      case 'answer': {
        if (call.state !== 'incoming') return notRinging();
        call.callbackUri = String(body.callbackUri);
        const reply = ok(202);
        connect(call, ['establishing', 'established']);
        return reply;
      }
      case 'reject':
      case 'redirect':
        if (call.state !== 'incoming') return notRinging();
        endCall(call);
        return ok(202);
      case 'transfer': {
        if (call.state !== 'established') return notEstablished();
        const reply = ok(202);
        void deliver(
          call,
          'transferring',
          'call transferring',
          callStateChanged({ callId: call.id, state: 'transferring' }),
        );
        endCall(call, {
          resultInfo: { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' },
          why: 'terminated: transfer completed (0/7015)',
        });
        return reply;
      }
      case 'changeScreenSharingRole':
        if (call.state !== 'established') return notEstablished();
        return ok(202);
      case 'keepAlive':
        armKeepAlive(call);
        return ok(200);
      case 'hangUp': {
        const reply = ok(204);
        endCall(call, {
          resultInfo: { code: 0, subcode: 0, message: 'The call was ended by the application.' },
          why: 'terminated: the bot hung up',
        });
        return reply;
      }
      case 'get':
        return ok(200, callResource(call, base));
      case 'listParticipants':
        return ok(200, {
          '@odata.context': `${base}/v1.0/$metadata#communications/calls('${call.id}')/participants`,
          value: call.roster.map(participantResource),
        });
      case 'getParticipant': {
        const entry = participant();
        return entry
          ? ok(200, participantResource(entry))
          : refuse(
              404,
              'ItemNotFound',
              `No participant ${route.participantId} in call ${call.id}.`,
            );
      }
      case 'removeParticipant': {
        const entry = participant();
        if (!entry)
          return refuse(
            404,
            'ItemNotFound',
            `No participant ${route.participantId} in call ${call.id}.`,
          );
        call.roster = call.roster.filter((p) => p !== entry);
        const reply = ok(204);
        void deliverRoster(call, 'roster: a participant was removed');
        return reply;
      }
      case 'getOperation': {
        const operation = call.operations.get(canonicalId(route.operationId ?? ''));
        return operation
          ? ok(200, operation)
          : refuse(404, 'ItemNotFound', `No operation ${route.operationId} in call ${call.id}.`);
      }
      default:
        break;
    }

    // The operations: 200 with a commsOperation and its Location.
    if (call.state !== 'established') return notEstablished();
    if (route.participantId !== undefined && !participant()) {
      return refuse(
        404,
        'ItemNotFound',
        `No participant ${route.participantId} in call ${call.id}.`,
      );
    }
    const operation = newOperation(route.kind, body ?? {});
    action.operationId = operation.id;
    if (route.participantId !== undefined) action.participantId = route.participantId;
    call.operations.set(canonicalId(operation.id), operation);
    const location = `${base}/v1.0/communications/calls/${call.id}/operations/${operation.id}`;
    if (route.kind === 'cancelMediaProcessing') {
      for (const [id, run] of [...call.running]) {
        if (run.kind === 'playPrompt' || run.kind === 'recordResponse') {
          clearTimeout(run.timer);
          call.running.delete(id);
          const running = call.operations.get(canonicalId(id)) as Record<string, unknown> & {
            id: string;
          };
          void finishOperation(call, run.kind, running, 'canceled', undefined);
        }
      }
    }
    if (operation.status === 'running') {
      const kind = route.kind;
      const participantId = route.participantId;
      if (call.reg.completeBeforeResponding === true) {
        await finishOperation(call, kind, operation, 'completed', participantId);
      } else {
        const timer = setTimeout(
          () => void finishOperation(call, kind, operation, 'completed', participantId),
          call.reg.operationDelayMs ?? operationDelayMs,
        );
        timer.unref();
        call.running.set(operation.id, { timer, kind });
      }
    }
    return ok(200, operation, { location });
  };

  const route = async (req: ServerRequest): Promise<ServerReply> => {
    const control = await emulatorRoute(req);
    if (control) return control;
    const clientRequestId = headerOf(req, 'client-request-id');
    const matched = matchGraphRoute(req.method, req.path);
    if (matched === undefined)
      return graphError(
        404,
        'BadRequest',
        `Resource not found for the segment: ${req.method} ${req.path}`,
        clientRequestId,
      );
    if (matched === 'method')
      return graphError(
        405,
        'Request_BadRequest',
        `${req.method} is not allowed on ${req.path}`,
        clientRequestId,
      );
    const action: GraphAction = {
      kind: matched.kind,
      callId: matched.callId ?? '',
      method: req.method,
      path: req.path,
      body: parseJson(req.body),
      status: 0,
      at: Date.now(),
      ...(clientRequestId === undefined ? {} : { clientRequestId }),
    };
    const reply = await decide(matched, req, action);
    if (action.status === 0) action.status = reply.status;
    if (action.callId !== '') log.append(action.callId, { type: 'request', action });
    return reply;
  };

  const decide = async (
    matched: GraphRoute,
    req: ServerRequest,
    action: GraphAction,
  ): Promise<ServerReply> => {
    const clientRequestId = action.clientRequestId;
    const refuse = (
      status: number,
      code: string,
      message: string,
      headers: Record<string, string> = {},
    ) => {
      Object.assign(action, { status, problem: message, errorCode: code });
      return graphError(status, code, message, clientRequestId, headers);
    };
    const checked = await checkGraphToken(
      headerOf(req, 'authorization'),
      (bearer) => issuer.verifyAccessToken(bearer),
      [...graphAudiences, base],
    );
    if ('problem' in checked) {
      const { status, code, message } = checked.problem;
      return refuse(status, code, message);
    }
    const token = checked.claims;
    let call: CallState | undefined;
    if (matched.kind !== 'create') {
      call = calls.get(canonicalId(matched.callId!));
      if (!call || call.state === 'terminated') {
        action.callGone = true;
        return refuse(
          404,
          'ItemNotFound',
          call ? `The call ${call.id} has ended.` : `The call ${matched.callId} does not exist.`,
        );
      }
      if (String(token.appid ?? token.azp) !== call.reg.appId) {
        return refuse(
          403,
          'Forbidden',
          `The call ${call.id} belongs to application ${call.reg.appId}, not to ${String(token.appid ?? token.azp)}.`,
        );
      }
    }
    const roles = Array.isArray(token.roles) ? token.roles.map(String) : [];
    for (const anyOf of requiredRoles(matched.kind, action.body)) {
      if (!anyOf.some((role) => roles.includes(role))) {
        return refuse(
          403,
          'Forbidden',
          `Application is not authorized to ${matched.kind}: the token needs one of the application permissions ${anyOf.join(', ')} (its roles: ${roles.join(', ') || 'none'}).`,
        );
      }
    }
    const fault = faultFor(call, matched.kind);
    if (fault?.delayMs !== undefined) await sleep(fault.delayMs);
    if (fault?.status !== undefined) {
      action.injected = true;
      const { code, headers, retryAfter } = faultAnswer({ ...fault, status: fault.status });
      return refuse(
        fault.status,
        code,
        `Injected by the scenario: ${fault.status} on this ${action.kind}; retry after ${retryAfter} s.`,
        headers,
      );
    }
    const problem = bodyProblem(matched.kind, action.body, req.body);
    if (problem) return refuse(400, 'BadRequest', problem);
    return handle(matched, action, token);
  };
  // Faults of `create` count per mock Graph: there is no call yet.
  const createFaultCounts = new Map<GraphActionKind, number>();
  const faultFor = (call: CallState | undefined, kind: GraphActionKind) =>
    nextFault(
      call ? call.reg.faults : options.faults,
      call ? call.faultCounts : createFaultCounts,
      kind,
    );

  const emulatorRoute = async (req: ServerRequest): Promise<ServerReply | undefined> => {
    if (!req.path.startsWith('/_emulator/')) return undefined;
    const poll = /^\/_emulator\/calls\/([^/]+)\/(actions|events)\/(\d+)$/.exec(req.path);
    if (req.method === 'GET' && poll) {
      const waitMs = Math.min(Number(req.query.get('waitMs') ?? 0) || 0, 60_000);
      const callId = decodeURIComponent(poll[1]!);
      const found =
        poll[2] === 'actions'
          ? await nextAction(callId, Number(poll[3]), waitMs)
          : await nextEvent(callId, Number(poll[3]), waitMs);
      return found ? { status: 200, body: found } : { status: 204 };
    }
    if (req.method === 'GET' && req.path === '/_emulator/info') {
      return { status: 200, body: { baseUrl: `${base}/v1.0`, issuerUrl: issuer.url } };
    }
    try {
      if (req.method === 'POST' && req.path === '/_emulator/calls') {
        await registerCall(parseJson(req.body) as CallRegistration);
        return { status: 204 };
      }
      const control = /^\/_emulator\/calls\/([^/]+)\/control$/.exec(req.path);
      if (req.method === 'POST' && control) {
        await controlCall(decodeURIComponent(control[1]!), parseJson(req.body) as CallControl);
        return { status: 204 };
      }
    } catch (error) {
      return { status: 400, body: { error: (error as Error).message } };
    }
    return { status: 404, body: { error: `no such endpoint: ${req.method} ${req.path}` } };
  };

  const server = await startLoopbackServer(route, { host: options.host, port: options.port }).catch(
    async (error: unknown) => {
      if (ownIssuer) await issuer.close();
      throw error;
    },
  );
  base = server.url;
  return {
    url: server.url,
    baseUrl: `${server.url}/v1.0`,
    issuer,
    actions: log.actions,
    events: log.events,
    nextAction,
    nextEvent,
    registerCall,
    controlCall,
    async close() {
      closed = true;
      for (const call of calls.values()) {
        clearTimeout(call.keepAliveTimer);
        for (const { timer } of call.running.values()) clearTimeout(timer);
      }
      await server.close();
      if (ownIssuer) await issuer.close();
    },
  };
}

function headerOf(req: ServerRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
