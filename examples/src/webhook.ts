// webhook.ts: the bot's webhook, and the Graph calls client that answers; every server example serves this one.
import { ClientSecretCredential } from '@azure/identity';
import { createCallsClient } from '@callgate/calls';
import { createCallWebhook, type IssuerProfile } from '@callgate/core';

const { BOT_APP_ID, BOT_APP_SECRET, BOT_TENANT_ID = '', PUBLIC_URL } = process.env;
const { GRAPH_URL, CALLGATE_ISSUERS } = process.env; // set in development, for the emulator
if (!BOT_APP_ID || !PUBLIC_URL) throw new Error('set BOT_APP_ID and PUBLIC_URL');

export const webhook = createCallWebhook({
  appId: BOT_APP_ID, // the bot's Microsoft App ID: the audience of every token
  publicUrl: PUBLIC_URL, // e.g. https://bot.contoso.com/api/calls: what callbackUri() returns
  // Microsoft's issuers by default; the emulator's in development (`callgate-emulator serve` prints them).
  ...(CALLGATE_ISSUERS
    ? { auth: { issuers: JSON.parse(CALLGATE_ISSUERS) as IssuerProfile[] } }
    : {}),
});

export const calls = createCallsClient({
  // App-only Graph tokens of the bot's app registration; the emulator's mock Graph takes any token.
  credential: BOT_APP_SECRET
    ? new ClientSecretCredential(BOT_TENANT_ID, BOT_APP_ID, BOT_APP_SECRET)
    : async () => 'emulator',
  webhook, // answer() uses webhook.callbackUri() and each incoming call's 15 s deadline
  ...(GRAPH_URL ? { baseUrl: GRAPH_URL } : {}), // Microsoft Graph by default; the emulator's mock Graph
});

webhook.on('incomingCall', async (event, ctx) => {
  // ctx.tenantId is the verified caller tenant; ctx.deadline, when the 15 s answer window closes.
  console.log(`incoming call ${event.callId} from tenant ${ctx.tenantId}`);
  await calls.answer(event.callId, { acceptedModalities: ['audio'] });
});
webhook.on('callTerminated', (event) =>
  console.log(`call ${event.callId} ended`, event.resultInfo),
);
