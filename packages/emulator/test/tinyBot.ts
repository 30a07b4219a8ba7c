import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { DevIssuer } from '../src/startDevIssuer';

/** One POST the tiny bot received. */
export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  status: number;
}

export interface TinyBotOptions {
  graphBaseUrl: string;
  /** The Graph access token (e.g. from devCredential); called per request. */
  graphToken: () => Promise<string>;
  appId: string;
  /** Verifies tokens against this issuer's published keys; without it, every token passes. */
  issuer?: DevIssuer | undefined;
  /** 302 every Graph incoming call here (a deployment in the wrong region). */
  redirectTo?: string;
  /** Forces a status for a request (after recording it); undefined: behave. */
  override?: (received: Omit<Received, 'status'>, index: number) => number | undefined;
  /** Never answers the incoming call via Graph. */
  neverAnswer?: boolean;
  /** Hangs up (DELETE) once established. */
  hangUp?: boolean;
  /** Sends keepAlive every this many ms once established, until a 404 or terminated. */
  keepAliveMs?: number;
  /** Hangs up once an operation completion arrives. */
  hangUpAfterCompletion?: boolean;
  /** Retries a 429/503 answer after its Retry-After. */
  retryAnswer?: boolean;
  /** Retries a 429/503 answer at once, ignoring Retry-After. */
  retryAnswerAtOnce?: boolean;
  /** Goes on sending keepAlive after a 404. */
  keepAliveAfter404?: boolean;
  /** Answers every call and does nothing else, whatever the caller's name. */
  plain?: boolean;
  /** Drops the Bearer token from its Graph requests. */
  graphWithoutToken?: boolean;
  /** Leaves the callbackUri out of its answer. */
  answerWithoutCallback?: boolean;
}

export interface TinyBot {
  url: string;
  webhookUrl: string;
  received: Received[];
  close(): Promise<void>;
}

/**
 * A small bot on node:http that behaves like a calling bot: 204 to legacy,
 * answers Graph incoming calls through the mock Graph, and picks what to do
 * per scenario from the caller's display name.
 */
export async function startTinyBot(options: TinyBotOptions): Promise<TinyBot> {
  const received: Received[] = [];
  let url = '';
  let lastCallId = '';
  const jwks = options.issuer
    ? {
        botframework: createRemoteJWKSet(new URL(`${options.issuer.url}/botframework/keys`)),
        aad: createRemoteJWKSet(new URL(`${options.issuer.url}/aad/common/discovery/v2.0/keys`)),
      }
    : undefined;

  // undefined: authorized; else the problem code of the 401.
  const refusal = async (header: string | undefined): Promise<string | undefined> => {
    if (!jwks || !options.issuer) return undefined;
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token) return 'missing_token';
    const tenant = options.issuer.tenantId;
    const base = options.issuer.url;
    try {
      const iss = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).iss;
      const keys = iss === `${base}/botframework` ? jwks.botframework : jwks.aad;
      await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        audience: options.appId,
        issuer: [`${base}/botframework`, `${base}/sts/${tenant}/`, `${base}/aad/${tenant}/v2.0`],
        clockTolerance: 300,
      });
      return undefined;
    } catch (error) {
      const { code, claim } = error as { code?: string; claim?: string };
      if (code === 'ERR_JWT_EXPIRED') return 'token_expired';
      if (claim === 'aud') return 'wrong_audience';
      return 'invalid_token';
    }
  };

  const graph = async (method: string, path: string, body?: unknown): Promise<number> => {
    const response = await fetch(`${options.graphBaseUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(options.graphWithoutToken
          ? {}
          : { authorization: `Bearer ${await options.graphToken()}` }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await response.body?.cancel();
    if (
      (options.retryAnswer || options.retryAnswerAtOnce) &&
      (response.status === 429 || response.status === 503)
    ) {
      const waitS = options.retryAnswerAtOnce ? 0 : Number(response.headers.get('retry-after'));
      await new Promise((r) => setTimeout(r, waitS * 1000));
      return graph(method, path, body);
    }
    return response.status;
  };
  const keepAlive = (callId: string) => {
    const timer = setInterval(async () => {
      const status = await graph('POST', `/communications/calls/${callId}/keepAlive`);
      if (status === 404 && !options.keepAliveAfter404) clearInterval(timer);
    }, options.keepAliveMs);
    timers.set(callId, timer);
  };
  const timers = new Map<string, NodeJS.Timeout>();

  // Answers first (202, 204 legacy, 302 to redirect), acts after, as callgate does.
  const statusFor = (body: Record<string, unknown>): number => {
    const value = body.value as { resourceData?: { state?: unknown } }[] | undefined;
    if (!Array.isArray(value)) return 204;
    if (options.redirectTo && value.some((n) => n.resourceData?.state === 'incoming')) return 302;
    return 202;
  };
  const behave = async (path: string, body: Record<string, unknown>): Promise<void> => {
    const value = body.value as Record<string, unknown>[] | undefined;
    if (!Array.isArray(value) || options.redirectTo) return;
    const scenario = new URL(path, 'http://bot').searchParams.get('scenario');
    for (const notification of value) {
      const data = notification.resourceData as Record<string, unknown> | undefined;
      const callPath = String(notification.resourceUrl ?? '');
      const callId = callPath.split('/')[3] ?? '';
      if (data?.state === 'incoming') {
        const caller = (data.source as { identity: { user: { displayName: string } } }).identity
          .user.displayName;
        const name = options.plain ? 'plain' : caller.replace('Emulator caller: ', '');
        if (options.neverAnswer || name === 'never-answers') continue;
        if (name === 'rejected-call') {
          await graph('POST', `/communications/calls/${callId}/reject`, { reason: 'busy' });
          continue;
        }
        await graph('POST', `/communications/calls/${callId}/answer`, {
          ...(options.answerWithoutCallback
            ? {}
            : { callbackUri: `${url}/callback?scenario=${name}` }),
          acceptedModalities: ['audio'],
          mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
        });
      }
      if (callPath.includes('/operations/') && options.hangUpAfterCompletion) {
        const id = [...timers.keys()][0] ?? lastCallId;
        await graph('DELETE', `/communications/calls/${id}`);
      }
      if (data?.state === 'terminated') {
        clearInterval(timers.get(callId));
        timers.delete(callId);
      }
      if (data?.state === 'established' && !callPath.includes('/operations/')) {
        lastCallId = callId;
        if (options.keepAliveMs !== undefined) keepAlive(callId);
        if (scenario === 'transfer') {
          await graph('POST', `/communications/calls/${callId}/transfer`, {
            transferTarget: { endpointType: 'default', identity: { user: { id: 'target' } } },
          });
        } else if (scenario === 'play-prompt' || scenario === 'early-completion') {
          await graph('POST', `/communications/calls/${callId}/playPrompt`, {
            clientContext: 'prompt-context-1',
            prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt' }],
          });
        } else if (options.hangUp) {
          await graph('DELETE', `/communications/calls/${callId}`);
        }
      }
    }
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const path = req.url ?? '/';
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>;
      const entry = { path, headers: req.headers, body };
      const forced = options.override?.(entry, received.length);
      const record: Received = { ...entry, status: 0 };
      received.push(record);
      let status: number;
      const problem = forced === undefined ? await refusal(req.headers.authorization) : undefined;
      if (forced !== undefined) status = forced;
      else if (problem !== undefined) status = 401;
      else status = statusFor(body);
      record.status = status;
      if (status === 0) return; // hang: never answer this request
      if (problem !== undefined) {
        res.writeHead(401, { 'content-type': 'application/problem+json' });
        res.end(JSON.stringify({ title: 'Unauthorized', status: 401, code: problem }));
        return;
      }
      res.writeHead(status, status === 302 ? { location: options.redirectTo ?? '' } : {});
      res.end();
      if (status >= 200 && status < 300) void behave(path, body).catch(() => {});
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    webhookUrl: `${url}/api/calls`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers.values()) clearInterval(timer);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
