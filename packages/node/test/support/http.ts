import {
  Agent,
  createServer,
  type IncomingHttpHeaders,
  type RequestListener,
  request as httpRequest,
  type OutgoingHttpHeaders,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server on 127.0.0.1 and an ephemeral port. */
export interface TestServer {
  readonly port: number;
  /** TCP connections accepted so far. */
  connections(): number;
  /**
   * Bytes the server had read off the connection's socket (request head
   * included) when it began its last answer: what an adapter really pulled
   * from the client, whatever the webhook recorded.
   */
  bytesReadBeforeLastAnswer(): number;
  close(): Promise<void>;
}

export async function listen(listener: RequestListener): Promise<TestServer> {
  let bytesReadBeforeLastAnswer = -1;
  const server = createServer((req, res) => {
    const writeHead = res.writeHead;
    res.writeHead = function (this: typeof res, ...args: Parameters<typeof res.writeHead>) {
      bytesReadBeforeLastAnswer = req.socket.bytesRead;
      return writeHead.apply(this, args);
    } as typeof res.writeHead;
    listener(req, res);
  });
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    bytesReadBeforeLastAnswer: () => bytesReadBeforeLastAnswer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SentRequest {
  method?: string;
  path?: string;
  headers?: OutgoingHttpHeaders;
  /** Sent with a Content-Length. */
  body?: string | Buffer;
  /** Sent chunked (no Content-Length), one write each. */
  chunks?: Array<string | Buffer>;
  agent?: Agent;
}

export interface ReceivedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request a hanging server fails instead of stalling the suite. */
export const CLIENT_TIMEOUT_MS = 4_000;

export function send(port: number, sent: SentRequest): Promise<ReceivedResponse> {
  return new Promise((resolve, reject) => {
    const headers: OutgoingHttpHeaders = { ...sent.headers };
    if (sent.body !== undefined) headers['content-length'] = Buffer.byteLength(sent.body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: sent.method ?? 'POST',
        path: sent.path ?? '/',
        headers,
        agent: sent.agent ?? new Agent({ keepAlive: false }),
        timeout: CLIENT_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no response within ${CLIENT_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    for (const chunk of sent.chunks ?? []) req.write(chunk);
    req.end(sent.body);
  });
}

/**
 * Sends headers and then body chunks until the response arrives (or forever),
 * like a client whose huge upload the server refuses early. Resolves with the
 * response status as soon as the head arrives; with `ignoreAnswer` it keeps
 * sending after the answer and resolves once the server drops the connection.
 */
export function sendEndlessly(
  port: number,
  sent: { path?: string; headers: OutgoingHttpHeaders; ignoreAnswer?: boolean },
): Promise<{ status: number; headers: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    let answer: { status: number; headers: IncomingHttpHeaders } | undefined;
    let stopped = false;
    // Keep-alive, so the server cannot simply end the exchange with `Connection: close`.
    const agent = new Agent({ keepAlive: true });
    const deadline = setTimeout(() => {
      req.destroy();
      agent.destroy();
      reject(new Error(`not done within ${CLIENT_TIMEOUT_MS} ms`));
    }, CLIENT_TIMEOUT_MS);
    const finish = () => {
      stopped = true;
      clearTimeout(deadline);
      if (answer) resolve(answer);
      req.destroy();
      agent.destroy();
    };
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: sent.path ?? '/',
        headers: sent.headers,
        agent,
      },
      (res) => {
        answer = { status: res.statusCode ?? 0, headers: res.headers };
        res.resume();
        if (!sent.ignoreAnswer) finish();
      },
    );
    req.on('error', (error) => {
      if (stopped) return;
      if (answer && sent.ignoreAnswer) finish();
      else {
        stopped = true;
        clearTimeout(deadline);
        agent.destroy();
        reject(error);
      }
    });
    req.on('close', () => {
      if (!stopped && answer) finish();
    });
    const chunk = Buffer.alloc(16 * 1024, 'x');
    const pump = () => {
      while (!stopped && !req.destroyed && req.write(chunk)) {
        // keep filling until the socket pushes back
      }
      if (!stopped && !req.destroyed) req.once('drain', pump);
    };
    req.flushHeaders();
    pump();
  });
}

/** Opens a request, sends part of its declared body, then drops the connection. */
export function sendThenDisconnect(
  port: number,
  sent: { path?: string; headers: OutgoingHttpHeaders; partial: string },
): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: sent.path ?? '/',
      headers: sent.headers,
      agent: new Agent({ keepAlive: false }),
    });
    req.on('error', () => {});
    req.on('close', () => resolve());
    req.write(sent.partial, () => setImmediate(() => req.destroy()));
  });
}

/**
 * Sends a body chunked, one chunk every `intervalMs`, like a client that
 * trickles its upload; resolves with the response as soon as it arrives (the
 * rest is not sent), with the time it took.
 */
export function sendTrickled(
  port: number,
  sent: { path?: string; headers: OutgoingHttpHeaders; chunks: string[]; intervalMs: number },
): Promise<ReceivedResponse & { elapsedMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: sent.path ?? '/',
        headers: sent.headers,
        agent: new Agent({ keepAlive: false }),
        timeout: CLIENT_TIMEOUT_MS,
      },
      (res) => {
        clearTimeout(timer);
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            elapsedMs: Date.now() - started,
          });
          req.destroy();
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no response within ${CLIENT_TIMEOUT_MS} ms`)));
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    const rest = [...sent.chunks];
    const next = () => {
      const chunk = rest.shift();
      if (chunk === undefined) {
        req.end();
        return;
      }
      req.write(chunk);
      timer = setTimeout(next, sent.intervalMs);
    };
    req.flushHeaders();
    next();
  });
}
