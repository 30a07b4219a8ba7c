// app/api/calls/route.ts: a Next.js route handler (and any runtime that freezes
// after the response: answer only once the handlers ran).
import { createCallWebhook, createFetchHandler } from '@callgate/core';
import { answerCall } from './graph.js';

const webhook = createCallWebhook({
  appId: process.env.BOT_APP_ID ?? '',
  publicUrl: 'https://bot.contoso.com/api/calls', // what webhook.callbackUri() returns
  awaitHandlers: true, // 202 after the handlers finished (500 if one failed)
});
webhook.on('incomingCall', async (event) => {
  await answerCall(event.callId, webhook.callbackUri());
});

export const POST = createFetchHandler(webhook);
export const GET = POST; // a GET gets the webhook's 405, not the framework's
