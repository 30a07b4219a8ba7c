import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EmulatorError } from './EmulatorError';

/** A request as the emulator's own servers see it. */
export interface ServerRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What an emulator server answers. */
export interface ServerReply {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless it is a string. */
  body?: unknown;
}

export interface LoopbackServer {
  /** `http://host:port`, without a trailing slash. */
  url: string;
  close(): Promise<void>;
}

const maxBodyBytes = 1024 * 1024;

/**
 * Starts a node:http server that hands each request, body read, to `route`.
 * A route that throws answers 500 instead of taking the process down.
 */
export async function startLoopbackServer(
  route: (request: ServerRequest) => Promise<ServerReply> | ServerReply,
  options: { host?: string | undefined; port?: number | undefined },
): Promise<LoopbackServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    void serve(req, res, route);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? new EmulatorError(
              'invalid_options',
              `cannot listen on ${host}:${options.port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}; pick another port`,
              { cause: error },
            )
          : error,
      );
    });
    server.listen(options.port ?? 0, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Long-polls and keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  route: (request: ServerRequest) => Promise<ServerReply> | ServerReply,
): Promise<void> {
  let reply: ServerReply;
  try {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://loopback');
    reply = await route({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    });
  } catch (error) {
    reply = {
      status: error instanceof BodyTooLarge ? 413 : 500,
      body: { error: { code: 'emulatorError', message: String(error) } },
    };
  }
  if (res.destroyed) return;
  const text =
    reply.body === undefined
      ? ''
      : typeof reply.body === 'string'
        ? reply.body
        : JSON.stringify(reply.body);
  const headers: Record<string, string> = { ...reply.headers };
  if (text !== '' && typeof reply.body !== 'string') headers['content-type'] ??= 'application/json';
  res.writeHead(reply.status, headers);
  res.end(text);
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new BodyTooLarge(`request body larger than ${maxBodyBytes} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Parses a JSON body, or returns undefined for an empty or malformed one. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
