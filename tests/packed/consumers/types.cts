// A CommonJS TypeScript consumer (module node16, skipLibCheck false): resolves
// the packages' `require` types (index.d.cts), which must not import ESM-only jose.
import { createCallsClient } from '@callgate/calls';
import { type CallContext, createCallWebhook, type IncomingCallEvent } from '@callgate/core';
import { createExpressMiddleware } from '@callgate/express';
import { createKoaMiddleware } from '@callgate/koa';
import { createNodeHandler } from '@callgate/node';
import { startDevIssuer } from '@callgate/emulator';

const webhook = createCallWebhook({ appId: 'app', publicUrl: 'https://bot.example.com/api/calls' });
webhook.on('incomingCall', (event: IncomingCallEvent, context: CallContext) => {
  const tenant: string = context.tenantId;
  const claims: Record<string, unknown> = context.caller.claims;
  void [event.callId, tenant, claims, webhook.callbackUri()];
});
const calls = createCallsClient({ credential: async () => 'token', webhook });
export const handlers = [
  calls.answer,
  createExpressMiddleware(webhook),
  createKoaMiddleware(webhook),
  createNodeHandler(webhook),
  startDevIssuer,
];
