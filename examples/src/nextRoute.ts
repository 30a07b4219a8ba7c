// app/api/calls/route.ts: a Next.js route handler (and any runtime that freezes
// after the response: answer only once the handlers ran).
import { ClientSecretCredential } from '@azure/identity';
import { createCallsClient } from '@callgate/calls';
import { createCallWebhook, createFetchHandler } from '@callgate/core';

const { BOT_APP_ID = '', BOT_APP_SECRET = '', BOT_TENANT_ID = '' } = process.env;

const webhook = createCallWebhook({
  appId: BOT_APP_ID,
  publicUrl: 'https://bot.contoso.com/api/calls', // what webhook.callbackUri() returns
  awaitHandlers: true, // 202 after the handlers finished (500 if one failed)
});
const calls = createCallsClient({
  credential: new ClientSecretCredential(BOT_TENANT_ID, BOT_APP_ID, BOT_APP_SECRET),
  webhook,
});
webhook.on('incomingCall', async (event) => {
  await calls.answer(event.callId, { acceptedModalities: ['audio'] });
});

export const POST = createFetchHandler(webhook);
export const GET = POST; // a GET gets the webhook's 405, not the framework's
