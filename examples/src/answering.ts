// answering.ts: answer each call within its 15 s window, or let it go once that is too late.
import { ClientSecretCredential } from '@azure/identity';
import { createCallsClient, GraphError } from '@callgate/calls';
import { createCallWebhook } from '@callgate/core';

const { BOT_APP_ID = '', BOT_APP_SECRET = '', BOT_TENANT_ID = '' } = process.env;
const webhook = createCallWebhook({
  appId: BOT_APP_ID,
  publicUrl: 'https://bot.contoso.com/api/calls',
});
const calls = createCallsClient({
  credential: new ClientSecretCredential(BOT_TENANT_ID, BOT_APP_ID, BOT_APP_SECRET), // any TokenCredential
  webhook, // callbackUri() for answer/redirect/create; each incoming call's deadline
});

webhook.on('incomingCall', async (event, ctx) => {
  try {
    await calls.answer(event.callId, { acceptedModalities: ['audio'] }, { deadline: ctx.deadline });
  } catch (error) {
    if (error instanceof GraphError && error.code === 'deadline_exceeded') return; // too late
    throw error;
  }
});
await Promise.all([webhook.warm(), calls.warm()]); // keys and the access token before the first call
