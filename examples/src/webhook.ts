// webhook.ts: the bot's webhook; every server example serves this one.
import { createCallWebhook, type IssuerProfile } from '@callgate/core';
import { answerCall } from './graph.js';

const { BOT_APP_ID, PUBLIC_URL, CALLGATE_ISSUERS } = process.env;
if (!BOT_APP_ID || !PUBLIC_URL) throw new Error('set BOT_APP_ID and PUBLIC_URL');

export const webhook = createCallWebhook({
  appId: BOT_APP_ID, // the bot's Microsoft App ID: the audience of every token
  publicUrl: PUBLIC_URL, // e.g. https://bot.contoso.com/api/calls: what callbackUri() returns
  // Microsoft's issuers by default; in development, the emulator's (`callgate-emulator serve` prints them).
  ...(CALLGATE_ISSUERS
    ? { auth: { issuers: JSON.parse(CALLGATE_ISSUERS) as IssuerProfile[] } }
    : {}),
});

webhook.on('incomingCall', async (event, ctx) => {
  // ctx.tenantId is the verified caller tenant; ctx.deadline, when the 15 s answer window closes.
  console.log(`incoming call ${event.callId} from tenant ${ctx.tenantId}`);
  await answerCall(event.callId, webhook.callbackUri());
});
webhook.on('callTerminated', (event) =>
  console.log(`call ${event.callId} ended`, event.resultInfo),
);
