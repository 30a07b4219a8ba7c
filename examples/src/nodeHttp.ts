// nodeHttp.ts: serve the webhook with node:http alone.
import { createServer } from 'node:http';
import { createNodeHandler } from '@callgate/node';
import { webhook } from './webhook.js';

// With `path`, every method reaches the webhook (a GET gets 405); other paths get 404.
const handler = createNodeHandler(webhook, { path: '/api/calls' });

await webhook.warm(); // fetch the signing keys now, not at the first call; rejects saying why
const server = createServer(handler);
const { PORT = '3978', HOST = '0.0.0.0' } = process.env;
server.listen(Number(PORT), HOST, () => console.log(`listening on ${HOST}:${PORT}`));

// Graceful shutdown: stop taking requests, then let the handlers that run after a 202 finish.
const stop = () => server.close(() => void webhook.idle().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
