// hono.ts: serve the webhook through the Fetch API (here Hono on Node; the same
// handler serves Next.js route handlers, Bun, Deno and Workers).
import { createFetchHandler } from '@callgate/core';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { webhook } from './webhook.js';

const handle = createFetchHandler(webhook);
const app = new Hono();
app.all('/api/calls', (c) => handle(c.req.raw)); // every method: a GET gets 405

await webhook.warm(); // fetch the signing keys now, not at the first call; rejects saying why
const { PORT = '3978', HOST = '0.0.0.0' } = process.env;
const server = serve({ fetch: app.fetch, port: Number(PORT), hostname: HOST }, () =>
  console.log(`listening on ${HOST}:${PORT}`),
);

// Graceful shutdown: stop taking requests, then let the handlers that run after a 202 finish.
const stop = () => server.close(() => void webhook.idle().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
