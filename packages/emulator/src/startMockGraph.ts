import { randomUUID } from 'node:crypto';
import {
  parseJson,
  type ServerReply,
  type ServerRequest,
  startLoopbackServer,
} from './loopbackServer';

/** What a bot asked of the mock Graph for a call. */
export type GraphActionKind =
  | 'answer'
  | 'reject'
  | 'redirect'
  | 'transfer'
  | 'playPrompt'
  | 'hangUp';

/** One request a bot made to the mock Graph, as recorded. */
export interface GraphAction {
  kind: GraphActionKind;
  callId: string;
  method: string;
  /** Path as requested, e.g. `/v1.0/communications/calls/{id}/answer`. */
  path: string;
  /** The parsed JSON body (undefined when empty or not JSON). */
  body: unknown;
  /** The status the mock answered: 2xx accepted, 4xx refused. */
  status: number;
  /** Why the mock refused the request (no Bearer token, no `callbackUri`, ...). */
  problem?: string;
  /** The `playPromptOperation` id the mock returned. */
  operationId?: string;
}

/** Something that reports a bot's Graph requests: a {@link MockGraph} or a remote one. */
export interface GraphObserver {
  /** e.g. `http://127.0.0.1:PORT/v1.0`: the bot's Graph base URL. */
  readonly baseUrl: string;
  /**
   * The `index`-th request made for `callId` (0-based), waiting up to
   * `timeoutMs` for it; undefined if it did not come in time.
   */
  nextAction(callId: string, index: number, timeoutMs: number): Promise<GraphAction | undefined>;
}

/** A running mock Graph; see {@link startMockGraph}. */
export interface MockGraph extends GraphObserver {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Every request so far for `callId`, in order. */
  actions(callId: string): GraphAction[];
  close(): Promise<void>;
}

/** Options of {@link startMockGraph}. */
export interface MockGraphOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
}

const callPath = /^\/v1\.0\/communications\/calls\/([^/]+)(?:\/([^/]+))?$/;
const actionOfSegment: Record<string, GraphActionKind> = {
  answer: 'answer',
  reject: 'reject',
  redirect: 'redirect',
  transfer: 'transfer',
  playprompt: 'playPrompt',
};

/**
 * Starts a mock of the Microsoft Graph calls API on 127.0.0.1, at
 * `{url}/v1.0`: `POST /communications/calls/{id}/answer`, `/reject`,
 * `/redirect`, `/transfer`, `/playPrompt` and `DELETE /communications/calls/{id}`.
 *
 * It answers like Graph does (202; 200 with a `playPromptOperation`; 204),
 * checks what a real call would fail on (a Bearer token must be present,
 * though any non-empty one is accepted; an answer needs an absolute
 * `callbackUri`, `acceptedModalities` and a `mediaConfig`) and records every
 * request, which the scenario player turns into the call's next notifications.
 *
 * `GET {url}/_emulator/calls/{id}/actions/{index}?waitMs=` lets a player in
 * another process follow along ({@link connectMockGraph}).
 *
 * @example
 * ```ts
 * const graph = await startMockGraph();
 * // point the bot's Graph client at graph.baseUrl, e.g. http://127.0.0.1:50123/v1.0
 * await graph.close();
 * ```
 */
export async function startMockGraph(options: MockGraphOptions = {}): Promise<MockGraph> {
  const calls = new Map<string, GraphAction[]>();
  const waiters = new Map<string, Set<() => void>>();

  const record = (action: GraphAction) => {
    const list = calls.get(action.callId) ?? [];
    list.push(action);
    calls.set(action.callId, list);
    for (const wake of waiters.get(action.callId) ?? []) wake();
  };

  const nextAction = (callId: string, index: number, timeoutMs: number) =>
    new Promise<GraphAction | undefined>((resolve) => {
      const existing = calls.get(callId)?.[index];
      if (existing) {
        resolve(existing);
        return;
      }
      const set = waiters.get(callId) ?? new Set();
      waiters.set(callId, set);
      const done = (action: GraphAction | undefined) => {
        clearTimeout(timer);
        set.delete(check);
        if (set.size === 0) waiters.delete(callId);
        resolve(action);
      };
      const check = () => {
        const action = calls.get(callId)?.[index];
        if (action) done(action);
      };
      const timer = setTimeout(() => done(undefined), Math.max(0, timeoutMs));
      set.add(check);
    });

  const route = async (req: ServerRequest): Promise<ServerReply> => {
    const poll = /^\/_emulator\/calls\/([^/]+)\/actions\/(\d+)$/.exec(req.path);
    if (req.method === 'GET' && poll) {
      const waitMs = Math.min(Number(req.query.get('waitMs') ?? 0) || 0, 60_000);
      const action = await nextAction(decodeURIComponent(poll[1]!), Number(poll[2]), waitMs);
      return action ? { status: 200, body: action } : { status: 204 };
    }
    const match = callPath.exec(req.path);
    if (!match) return graphError(404, 'UnknownError', `No mock for ${req.method} ${req.path}`);
    const callId = decodeURIComponent(match[1]!);
    const segment = match[2];
    let kind: GraphActionKind | undefined;
    if (segment === undefined && req.method === 'DELETE') kind = 'hangUp';
    if (segment !== undefined && req.method === 'POST')
      kind = actionOfSegment[segment.toLowerCase()];
    if (!kind) return graphError(405, 'MethodNotAllowed', `No mock for ${req.method} ${req.path}`);

    const body = parseJson(req.body);
    const action: GraphAction = {
      kind,
      callId,
      method: req.method,
      path: req.path,
      body,
      status: 0,
    };
    const problem = bearerProblem(req.headers.authorization) ?? bodyProblem(kind, body, req.body);
    if (problem) {
      action.status = problem.status;
      action.problem = problem.message;
      record(action);
      return graphError(problem.status, problem.code, problem.message);
    }
    if (kind === 'playPrompt') {
      const operationId = randomUUID();
      action.status = 200;
      action.operationId = operationId;
      record(action);
      const clientContext = (body as { clientContext?: unknown }).clientContext;
      return {
        status: 200,
        body: {
          '@odata.type': '#microsoft.graph.playPromptOperation',
          id: operationId,
          status: 'running',
          ...(typeof clientContext === 'string' ? { clientContext } : {}),
        },
      };
    }
    action.status = kind === 'hangUp' ? 204 : 202;
    record(action);
    return { status: action.status };
  };

  const server = await startLoopbackServer(route, { host: options.host, port: options.port });
  return {
    url: server.url,
    baseUrl: `${server.url}/v1.0`,
    actions: (callId) => [...(calls.get(callId) ?? [])],
    nextAction,
    close: () => server.close(),
  };
}

interface Problem {
  status: number;
  code: string;
  message: string;
}

function graphError(status: number, code: string, message: string): ServerReply {
  return { status, body: { error: { code, message } } };
}

function bearerProblem(header: string | undefined): Problem | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (match) return undefined;
  return {
    status: 401,
    code: 'InvalidAuthenticationToken',
    message:
      header === undefined
        ? 'Access token is empty: send `Authorization: Bearer <token>` (the mock accepts any token).'
        : 'The Authorization header is not `Bearer <token>`.',
  };
}

function bodyProblem(kind: GraphActionKind, body: unknown, raw: string): Problem | undefined {
  if (kind === 'hangUp') return undefined;
  const bad = (message: string): Problem => ({ status: 400, code: 'BadRequest', message });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return raw.trim() === '' && kind === 'reject'
      ? undefined
      : bad(`The ${kind} request body must be a JSON object.`);
  }
  const fields = body as Record<string, unknown>;
  if (kind === 'answer') {
    if (!isAbsoluteHttpUrl(fields.callbackUri)) {
      return bad(
        'answer needs `callbackUri`, the absolute URL that receives the call notifications.',
      );
    }
    if (!Array.isArray(fields.acceptedModalities) || fields.acceptedModalities.length === 0) {
      return bad('answer needs `acceptedModalities`, e.g. ["audio"].');
    }
    if (typeof fields.mediaConfig !== 'object' || fields.mediaConfig === null) {
      return bad('answer needs `mediaConfig` (serviceHostedMediaConfig or appHostedMediaConfig).');
    }
  }
  if (kind === 'redirect' && !Array.isArray(fields.targets)) {
    return bad('redirect needs `targets`.');
  }
  if (
    kind === 'transfer' &&
    (typeof fields.transferTarget !== 'object' || fields.transferTarget === null)
  ) {
    return bad('transfer needs `transferTarget`.');
  }
  if (kind === 'playPrompt' && !Array.isArray(fields.prompts)) {
    return bad('playPrompt needs `prompts`.');
  }
  return undefined;
}

function isAbsoluteHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
