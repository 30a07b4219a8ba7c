// workers.ts: Cloudflare Workers. The handlers run after the 202; the request's
// ctx.waitUntil keeps the Worker alive until they finished.
import { createFetchHandler } from '@callgate/core';
import { webhook } from './webhook.js';

interface ExecutionContext {
  waitUntil(work: Promise<unknown>): void;
}

export default {
  fetch(request: Request, _env: unknown, ctx: ExecutionContext): Promise<Response> {
    const handle = createFetchHandler(webhook, { waitUntil: (work) => ctx.waitUntil(work) });
    return handle(request);
  },
};
