import { type Agent, request } from 'node:http';

export interface RawRequest {
  method: string;
  headers: Record<string, string>;
  /** Sent in these chunks; `gapMs` between them (a slow client trickling its body). */
  chunks: Uint8Array[];
  gapMs?: number;
  /** Gives up after this long and resolves with status `client:timeout` (default 10 s). */
  timeoutMs?: number;
}

export interface RawOutcome {
  /** The HTTP status, or the client-side error code when none arrived. */
  status: number | string;
  headers: Record<string, string | string[] | undefined>;
  /** The response body (problem details carry a `code`); empty when none arrived. */
  body: string;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends one request over `agent` and resolves with what came back; never
 * rejects, and never waits longer than `raw.timeoutMs` (a hung request is an
 * outcome, `client:timeout`, not a stalled run).
 */
export function send(url: string, raw: RawRequest, agent?: Agent): Promise<RawOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const timer = setTimeout(() => {
      done({ status: 'client:timeout', headers: {}, body: '' });
      req?.destroy();
    }, raw.timeoutMs ?? 10_000);
    const headers = { ...raw.headers };
    const size = raw.chunks.reduce((total, chunk) => total + chunk.byteLength, 0);
    // Node's client frames GET/DELETE/OPTIONS bodies neither by length nor by chunks:
    // the bytes would reach the server as a second, garbage request.
    if (size > 0 && !BODY_METHODS.has(raw.method) && headers['content-length'] === undefined) {
      headers['content-length'] = String(size);
    }
    let req: ReturnType<typeof request> | undefined;
    try {
      req = request(url, { method: raw.method, headers, ...(agent ? { agent } : {}) });
    } catch (error) {
      done({
        status: `client:${(error as { code?: string }).code ?? 'invalid'}`,
        headers: {},
        body: '',
      });
      return;
    }
    const sending = req;
    sending.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => {
        if (body.length < 4096) body += text;
      });
      const answered = () => done({ status: res.statusCode ?? 0, headers: res.headers, body });
      res.on('end', answered);
      res.on('error', answered);
    });
    sending.on('error', (error: NodeJS.ErrnoException) =>
      done({ status: error.code ?? 'error', headers: {}, body: '' }),
    );
    void (async () => {
      for (const [i, chunk] of raw.chunks.entries()) {
        if (i > 0 && raw.gapMs) await sleep(raw.gapMs);
        if (sending.destroyed) return;
        sending.write(chunk);
      }
      sending.end();
    })();
  });
}
