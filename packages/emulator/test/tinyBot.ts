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
  const jwks = options.issuer
    ? {
        botframework: createRemoteJWKSet(new URL(`${options.issuer.url}/botframework/keys`)),
        aad: createRemoteJWKSet(new URL(`${options.issuer.url}/aad/common/discovery/v2.0/keys`)),
      }
    : undefined;

  const authorized = async (header: string | undefined): Promise<boolean> => {
    if (!jwks || !options.issuer) return true;
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    if (!token) return false;
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
      return true;
    } catch {
      return false;
    }
  };

  const graph = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${options.graphBaseUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(options.graphWithoutToken ? {} : { authorization: 'Bearer bot-app-token' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    await response.body?.cancel();
  };

  const behave = async (path: string, body: Record<string, unknown>): Promise<number> => {
    const value = body.value as Record<string, unknown>[] | undefined;
    if (!Array.isArray(value)) return 204;
    const scenario = new URL(path, 'http://bot').searchParams.get('scenario');
    for (const notification of value) {
      const data = notification.resourceData as Record<string, unknown> | undefined;
      const callPath = String(notification.resourceUrl ?? '');
      const callId = callPath.split('/')[3] ?? '';
      if (data?.state === 'incoming') {
        if (options.redirectTo) return 302;
        const caller = (data.source as { identity: { user: { displayName: string } } }).identity
          .user.displayName;
        const name = caller.replace('Emulator caller: ', '');
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
      if (data?.state === 'established' && !callPath.includes('/operations/')) {
        if (scenario === 'transfer') {
          await graph('POST', `/communications/calls/${callId}/transfer`, {
            transferTarget: { endpointType: 'default', identity: { user: { id: 'target' } } },
          });
        } else if (scenario === 'play-prompt') {
          await graph('POST', `/communications/calls/${callId}/playPrompt`, {
            clientContext: 'prompt-context-1',
            prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt' }],
          });
        } else if (options.hangUp) {
          await graph('DELETE', `/communications/calls/${callId}`);
        }
      }
    }
    return 202;
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
      if (forced !== undefined) status = forced;
      else if (!(await authorized(req.headers.authorization))) status = 401;
      else status = await behave(path, body);
      record.status = status;
      if (status === 0) return; // hang: never answer this request
      res.writeHead(status, status === 302 ? { location: options.redirectTo ?? '' } : {});
      res.end();
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
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
