// webhook.ts: the bot's webhook, and the Graph calls client that answers; every server example serves this one.
import { ClientSecretCredential } from '@azure/identity';
import { createCallsClient } from '@callgate/calls';
import { createCallWebhook, type IssuerProfile } from '@callgate/core';
import { devCredential } from '@callgate/emulator';

const { BOT_APP_ID, BOT_APP_SECRET, BOT_TENANT_ID = '', PUBLIC_URL } = process.env;
// Set in development, for the emulator (`callgate-emulator serve` prints them):
const { GRAPH_URL, CALLGATE_ISSUERS, CALLGATE_EMULATOR_URL } = process.env;
if (!BOT_APP_ID || !PUBLIC_URL) throw new Error('set BOT_APP_ID and PUBLIC_URL');
if (!BOT_APP_SECRET && !CALLGATE_EMULATOR_URL)
  throw new Error(
    'set BOT_APP_SECRET (and BOT_TENANT_ID), or CALLGATE_EMULATOR_URL in development',
  );

export const webhook = createCallWebhook({
  appId: BOT_APP_ID, // the bot's Microsoft App ID: the audience of every token
  publicUrl: PUBLIC_URL, // e.g. https://bot.contoso.com/api/calls: what callbackUri() returns
  // Microsoft's issuers by default; the emulator's in development (`callgate-emulator serve` prints them).
  ...(CALLGATE_ISSUERS
    ? { auth: { issuers: JSON.parse(CALLGATE_ISSUERS) as IssuerProfile[] } }
    : {}),
});

export const calls = createCallsClient({
  // App-only Graph tokens of the bot's app registration; in development, the emulator's dev credential.
  credential: BOT_APP_SECRET
    ? new ClientSecretCredential(BOT_TENANT_ID, BOT_APP_ID, BOT_APP_SECRET)
    : devCredential(CALLGATE_EMULATOR_URL!, { appId: BOT_APP_ID }),
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
