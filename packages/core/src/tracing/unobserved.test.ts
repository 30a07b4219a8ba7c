import { describe, expect, it, vi } from 'vitest';
import { BOT_APP_ID, createMemoryIssuer } from '../../test/support/memoryIssuer';
import { createCallWebhook } from '../webhook/createCallWebhook';
import {
  authVerifyChannel,
  dispatchChannel,
  keysFetchChannel,
  webhookHandleChannel,
} from './coreChannels';
import * as contexts from './webhookHandleContext';

vi.mock('./webhookHandleContext', async (importOriginal) => {
  const real = await importOriginal<typeof import('./webhookHandleContext')>();
  return { ...real, webhookHandleContextOf: vi.fn(real.webhookHandleContextOf) };
});

const body = JSON.stringify({
  value: [
    {
      changeType: 'created',
      resourceUrl: '/communications/calls/c1',
      resourceData: { '@odata.type': '#microsoft.graph.call', state: 'incoming' },
    },
  ],
});

describe('tracing with nobody listening', () => {
  it('builds no context object and calls no channel: the pipeline runs as if untraced', async () => {
    const traces = [webhookHandleChannel, authVerifyChannel, keysFetchChannel, dispatchChannel].map(
      (channel) => vi.spyOn(channel, 'tracePromise'),
    );
    const issuer = await createMemoryIssuer();
    const webhook = createCallWebhook({
      appId: BOT_APP_ID,
      publicUrl: 'https://bot.example/api/calls',
      auth: issuer.auth,
    });
    const handled = vi.fn();
    webhook.on('incomingCall', handled);
    const response = await webhook.handle({
      method: 'POST',
      url: '/api/calls',
      headers: { authorization: `Bearer ${await issuer.token()}` },
      body,
    });
    await webhook.idle();
    expect(response.status).toBe(202);
    expect(handled).toHaveBeenCalledOnce();
    expect(contexts.webhookHandleContextOf).not.toHaveBeenCalled();
    for (const trace of traces) expect(trace).not.toHaveBeenCalled();
  });
});
