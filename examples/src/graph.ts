// graph.ts: answers a call through Microsoft Graph with a plain fetch.
// (The typed calls client, @callgate/calls, will replace this file.)
import { ClientSecretCredential } from '@azure/identity';

const {
  GRAPH_URL = 'https://graph.microsoft.com/v1.0',
  BOT_APP_ID = '',
  BOT_APP_SECRET,
  BOT_TENANT_ID = '',
} = process.env;
// App-only tokens of the bot's app registration (BOT_TENANT_ID: its tenant). Without a
// secret (the emulator's mock Graph takes any token) a placeholder is sent: real Graph
// answers 401, and the failing handler is logged.
const credential = BOT_APP_SECRET
  ? new ClientSecretCredential(BOT_TENANT_ID, BOT_APP_ID, BOT_APP_SECRET)
  : undefined;

/** `POST /communications/calls/{id}/answer` with service-hosted media; throws unless Graph accepts. */
export async function answerCall(callId: string | undefined, callbackUri: string): Promise<void> {
  if (callId === undefined) throw new Error('the notification names no call to answer');
  const token = credential
    ? (await credential.getToken('https://graph.microsoft.com/.default')).token
    : 'emulator';
  const response = await fetch(`${GRAPH_URL}/communications/calls/${callId}/answer`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      callbackUri,
      acceptedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`Graph answer: ${response.status} ${await response.text()}`);
}
