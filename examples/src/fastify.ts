// fastify.ts: serve the webhook with Fastify 5.
import fastifyCallgate from '@callgate/fastify';
import Fastify from 'fastify';
import { webhook } from './webhook.js';

const app = Fastify();
// In its own scope the plugin hands the raw body to the webhook (no JSON parser runs before
// the token check) and every method reaches it (a GET gets 405); other routes keep Fastify's parsers.
await app.register(fastifyCallgate, { webhook, path: '/api/calls' });
app.get('/healthz', async () => 'ok'); // liveness: a route of its own, never the webhook's

await webhook.warm(); // fetch the signing keys now, not at the first call; rejects saying why
const { PORT = '3978', HOST = '0.0.0.0' } = process.env;
await app.listen({ port: Number(PORT), host: HOST });
console.log(`listening on ${HOST}:${PORT}`);

// Graceful shutdown: stop taking requests, then let the handlers that run after a 202 finish.
const stop = () => void app.close().then(() => webhook.idle().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
