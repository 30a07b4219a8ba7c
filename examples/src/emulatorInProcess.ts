// emulatorInProcess.ts: the emulator as a library: a dev issuer, a mock Graph and a scenario,
// played against a bot served in the same process.
import { createServer } from 'node:http';
import { createCallsClient } from '@callgate/calls';
import { createCallWebhook } from '@callgate/core';
import { devCredential, playScenario, startDevIssuer, startMockGraph } from '@callgate/emulator';
import { createNodeHandler } from '@callgate/node';

const issuer = await startDevIssuer(); // 127.0.0.1, ephemeral port
const graph = await startMockGraph({ issuer }); // signs with, and trusts tokens of, that issuer

// The bot: its webhook trusts the dev issuer; its calls client asks the mock Graph, with devCredential.
const { PORT = '3978' } = process.env;
const webhookUrl = `http://127.0.0.1:${PORT}/api/calls`;
const webhook = createCallWebhook({
  appId: issuer.appId,
  publicUrl: webhookUrl,
  auth: { issuers: issuer.issuers },
});
const calls = createCallsClient({
  credential: devCredential(issuer),
  baseUrl: graph.baseUrl,
  webhook,
});
webhook.on('incomingCall', async (event) => {
  await calls.answer(event.callId, { acceptedModalities: ['audio'] });
});
const server = createServer(createNodeHandler(webhook, { path: '/api/calls' }));
await new Promise<void>((resolve) => server.listen(Number(PORT), '127.0.0.1', resolve));

const result = await playScenario('p2p-call', {
  webhookUrl,
  issuer,
  graph,
  appId: issuer.appId,
  log: console.log,
  answerTimeoutMs: 2000, // default 15000, as the service
  hangUpWaitMs: 500, // how long the caller waits for the bot to hang up; default 3000
});
if (!result.passed) console.error(result.failures);
process.exitCode = result.passed ? 0 : 1;

await new Promise((resolve) => server.close(resolve));
await webhook.idle();
calls.close();
await Promise.all([issuer.close(), graph.close()]);
