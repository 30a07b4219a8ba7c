import { type Agent, request } from 'node:http';

export interface RawRequest {
  method: string;
  headers: Record<string, string>;
  /** Sent in these chunks; `gapMs` between them (a slow client trickling its body). */
  chunks: Uint8Array[];
  gapMs?: number;
}

export interface RawOutcome {
  /** The HTTP status, or the client-side error code when none arrived. */
  status: number | string;
  headers: Record<string, string | string[] | undefined>;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends one request over `agent` and resolves with what came back; never rejects. */
export function send(url: string, raw: RawRequest, agent?: Agent): Promise<RawOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const headers = { ...raw.headers };
    const size = raw.chunks.reduce((total, chunk) => total + chunk.byteLength, 0);
    // Node's client frames GET/DELETE/OPTIONS bodies neither by length nor by chunks:
    // the bytes would reach the server as a second, garbage request.
    if (size > 0 && !BODY_METHODS.has(raw.method) && headers['content-length'] === undefined) {
      headers['content-length'] = String(size);
    }
    let req: ReturnType<typeof request>;
    try {
      req = request(url, { method: raw.method, headers, ...(agent ? { agent } : {}) });
    } catch (error) {
      done({ status: `client:${(error as { code?: string }).code ?? 'invalid'}`, headers: {} });
      return;
    }
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers }));
      res.on('error', () => done({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      done({ status: error.code ?? 'error', headers: {} }),
    );
    void (async () => {
      for (const [i, chunk] of raw.chunks.entries()) {
        if (i > 0 && raw.gapMs) await sleep(raw.gapMs);
        if (req.destroyed) return;
        req.write(chunk);
      }
      req.end();
    })();
  });
}
