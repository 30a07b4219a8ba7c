// koa.ts: serve the webhook with Koa 2 or 3.
import { createKoaMiddleware } from '@callgate/koa';
import Koa from 'koa';
import { webhook } from './webhook.js';

const app = new Koa();
// With `path`, every method reaches the webhook (a GET gets 405); other paths go to next().
app.use(createKoaMiddleware(webhook, { path: '/api/calls' }));

await webhook.warm(); // fetch the signing keys now, not at the first call; rejects saying why
const { PORT = '3978', HOST = '0.0.0.0' } = process.env;
const server = app.listen(Number(PORT), HOST, () => console.log(`listening on ${HOST}:${PORT}`));

// Graceful shutdown: stop taking requests, then let the handlers that run after a 202 finish.
const stop = () => server.close(() => void webhook.idle().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
