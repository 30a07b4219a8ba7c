// following.ts: a linked calls client follows each call; play a welcome once it is established.
import { createServer } from 'node:http';
import { ClientSecretCredential } from '@azure/identity';
import { createCallsClient } from '@callgate/calls';
import { createCallWebhook } from '@callgate/core';
import { createNodeHandler } from '@callgate/node';

const { BOT_APP_ID = '', BOT_APP_SECRET = '', BOT_TENANT_ID = '' } = process.env;
const webhook = createCallWebhook({
  appId: BOT_APP_ID,
  publicUrl: 'https://bot.contoso.com/api/calls',
});
const credential = new ClientSecretCredential(BOT_TENANT_ID, BOT_APP_ID, BOT_APP_SECRET);
const calls = createCallsClient({ credential, webhook });
const welcome = { mediaInfo: { uri: 'https://cdn.contoso.com/welcome.wav' } };

webhook.on('incomingCall', async (event) => {
  await calls.answer(event.callId, { acceptedModalities: ['audio'] });
});
webhook.on('callStateChanged', async (event) => {
  if (event.state !== 'established' || event.callId === undefined) return;
  const operation = await calls.playPrompt(event.callId, { prompts: [welcome] });
  if (operation.id) await calls.completion(event.callId, operation.id); // resolves when Graph reports it completed
  console.log(calls.tracked(event.callId)); // { state, direction, source, targets, participants, ... }
});
calls.on('participantsChanged', (call, { joined, left }) => console.log(call.callId, joined, left));
calls.on('callEnded', (call, { reason, resultInfo }) =>
  console.log(call.callId, reason, resultInfo),
);

const server = createServer(createNodeHandler(webhook, { path: '/api/calls' })).listen(3978);
// Graceful shutdown: stop taking requests, let running handlers finish, then stop timers.
process.on('SIGTERM', () => {
  server.close(async () => {
    await webhook.idle();
    calls.close();
  });
});
