// tracing.ts: the webhook's spans and metrics through OpenTelemetry.
import { createCallWebhook } from '@callgate/core';
import { instrumentCallgate } from '@callgate/opentelemetry';

// Once your OpenTelemetry SDK started (NodeSDK, useAzureMonitor() ...): it uses the global providers.
const telemetry = instrumentCallgate();

const { BOT_APP_ID = '', PUBLIC_URL = 'https://bot.contoso.com/api/calls' } = process.env;
export const webhook = createCallWebhook({
  appId: BOT_APP_ID,
  publicUrl: PUBLIC_URL,
  instrument: telemetry.instrument, // callgate.webhook and callgate.dispatch become the active spans
});

webhook.on('incomingCall', async (event) => {
  // A span started here (or a Graph request made here) is a child of `callgate.dispatch incomingCall`.
  console.log(`incoming call ${event.callId}`);
});
process.once('SIGTERM', () => telemetry.disable());
