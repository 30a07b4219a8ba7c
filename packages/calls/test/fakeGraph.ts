import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessTokenLike } from '../src/credential';

/** A request as the fake Graph saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined when empty. */
  body: unknown;
  rawBody: string;
}

/** What the fake Graph answers. */
export interface FakeReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type Responder = (request: SeenRequest) => FakeReply | Promise<FakeReply>;

/** A loopback HTTP server playing Graph: records every request, answers with `responder`. */
export async function startFakeGraph(responder: Responder) {
  const requests: SeenRequest[] = [];
  let respond = responder;
  const server = createServer(async (req, res) => {
    const rawBody = await readAll(req);
    const seen: SeenRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: rawBody === '' ? undefined : JSON.parse(rawBody),
      rawBody,
    };
    requests.push(seen);
    const reply = await respond(seen);
    const text =
      reply.body === undefined
        ? ''
        : typeof reply.body === 'string'
          ? reply.body
          : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      ...(text === '' ? {} : { 'content-type': 'application/json' }),
      ...reply.headers,
    });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1.0`,
    requests,
    setResponder(next: Responder) {
      respond = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** An unsigned JWT carrying `claims` (the client only decodes its own token, never verifies it). */
export function fakeJwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.sig`;
}

export const ACCESS_TOKEN = fakeJwt({ roles: ['Calls.Initiate.All', 'Calls.AccessMedia.All'] });

/** A TokenCredential-shaped object counting its calls. */
export function countingCredential(
  token: () => AccessTokenLike | null | Promise<AccessTokenLike | null> = () => ({
    token: ACCESS_TOKEN,
    expiresOnTimestamp: Date.now() + 3_600_000,
  }),
) {
  const scopes: (string | string[])[] = [];
  return {
    scopes,
    get calls() {
      return scopes.length;
    },
    async getToken(requested: string | string[]) {
      scopes.push(requested);
      return token();
    },
  };
}

/** An injected fetch that answers from `replies` in order (the last repeats) and records each request. */
export function scriptedFetch(replies: (FakeReply | Error)[]) {
  const seen: { url: string; init: RequestInit; at: number }[] = [];
  let index = 0;
  const fetchImpl = async (input: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(input), init: init ?? {}, at: Date.now() });
    const reply = replies[Math.min(index++, replies.length - 1)]!;
    if (reply instanceof Error) throw reply;
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status,
      headers: reply.headers ?? {},
    });
  };
  return { fetch: fetchImpl as typeof fetch, seen };
}
