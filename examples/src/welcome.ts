// welcome.ts: answer every call, then play a welcome prompt.
import { ClientSecretCredential } from '@azure/identity';
import { createCallsClient } from '@callgate/calls';
import { createCallWebhook } from '@callgate/core';

const { BOT_APP_ID = '', BOT_APP_SECRET = '', BOT_TENANT_ID = '' } = process.env;
const webhook = createCallWebhook({
  appId: BOT_APP_ID,
  publicUrl: 'https://bot.contoso.com/api/calls',
});
const calls = createCallsClient({
  credential: new ClientSecretCredential(BOT_TENANT_ID, BOT_APP_ID, BOT_APP_SECRET),
  webhook, // answer/redirect/create default to webhook.callbackUri(); incoming calls' deadlines apply
});
webhook.on('incomingCall', async (event, ctx) => {
  await calls.answer(event.callId, { acceptedModalities: ['audio'] }, { deadline: ctx.deadline });
  await calls.playPrompt(event.callId, {
    prompts: [{ mediaInfo: { uri: 'https://cdn.contoso.com/welcome.wav' } }],
  });
});
await Promise.all([webhook.warm(), calls.warm()]); // keys and the access token before the first call
