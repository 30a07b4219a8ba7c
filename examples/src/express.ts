// express.ts: serve the webhook with Express 4 or 5.
import { createExpressMiddleware } from '@callgate/express';
import express from 'express';
import { webhook } from './webhook.js';

const app = express();
// Every method, so a GET gets the webhook's 405 (with app.post it would get Express's 404).
app.all('/api/calls', createExpressMiddleware(webhook));
// A body parser in front is fine, but mind express.json()'s own 100 kB limit:
// app.use(express.json({ limit: '1mb' })); // >= the webhook's maxBodyBytes (1 MiB)
app.get('/healthz', (_req, res) => {
  res.send('ok'); // liveness: a route of its own, never the webhook's
});

await webhook.warm(); // fetch the signing keys now, not at the first call; rejects saying why
const { PORT = '3978', HOST = '0.0.0.0' } = process.env;
const server = app.listen(Number(PORT), HOST, () => console.log(`listening on ${HOST}:${PORT}`));

// Graceful shutdown: stop taking requests, then let the handlers that run after a 202 finish.
const stop = () => server.close(() => void webhook.idle().then(() => process.exit(0)));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
