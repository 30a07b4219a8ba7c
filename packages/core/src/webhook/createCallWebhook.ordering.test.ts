import { describe, expect, it } from 'vitest';
import { BOT_APP_ID, createMemoryIssuer } from '../../test/support/memoryIssuer';
import type { WebhookRequest } from '../http/types';
import { type CallWebhookOptions, createCallWebhook } from './createCallWebhook';
import type { Logger } from './Logger';

const issuer = await createMemoryIssuer();

function webhookWith(options: Partial<CallWebhookOptions> = {}) {
  return createCallWebhook({ appId: BOT_APP_ID, auth: issuer.auth, ...options });
}

/** A Graph body with one state update per entry: [callId, state]. */
function stateBody(...updates: Array<[string, string]>): string {
  return JSON.stringify({
    value: updates.map(([callId, state]) => ({
      changeType: 'updated',
      resourceUrl: `/communications/calls/${callId}`,
      resourceData: { '@odata.type': '#microsoft.graph.call', state },
    })),
  });
}

async function post(body: string, messageId?: string): Promise<WebhookRequest> {
  const headers: Record<string, string> = { authorization: `Bearer ${await issuer.token()}` };
  if (messageId !== undefined) headers['x-microsoft-skype-message-id'] = messageId;
  return { method: 'POST', url: '/api/calls', headers, body };
}

const CALL = '2f1a1100-726f-4705-a6b2-d1a1d4a0e2e9';
const CALL_NO_DASHES = '2F1A1100726F4705A6B2D1A1D4A0E2E9';
const OTHER = '57dab8b1-894c-409a-b240-bd8beae78896';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('createCallWebhook: one call at a time, in arrival order', () => {
  it("runs a call's handlers one at a time across requests, and does not hold other calls back", async () => {
    const webhook = webhookWith();
    const log: string[] = [];
    const first = gate();
    webhook.on('callStateChanged', async (event) => {
      log.push(`${event.callId?.slice(0, 4)} ${event.state} start`);
      if (event.state === 'establishing') await first.opened;
      log.push(`${event.callId?.slice(0, 4)} ${event.state} end`);
    });
    await webhook.handle(await post(stateBody([CALL, 'establishing'])));
    // The same call, its id spelt as notification URLs do: still the same queue.
    await webhook.handle(await post(stateBody([CALL_NO_DASHES, 'established'])));
    await webhook.handle(await post(stateBody([OTHER, 'established'])));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log).toEqual([
      '2f1a establishing start',
      '57da established start',
      '57da established end',
    ]);
    first.open();
    await webhook.idle();
    expect(log.slice(3)).toEqual([
      '2f1a establishing end',
      '2F1A established start',
      '2F1A established end',
    ]);
  });

  it("keeps a body's events in order even across calls", async () => {
    const webhook = webhookWith();
    const log: string[] = [];
    webhook.on('callStateChanged', async (event) => {
      await new Promise((resolve) => setTimeout(resolve, event.callId === CALL ? 10 : 0));
      log.push(`${event.callId}:${event.state}`);
    });
    await webhook.handle(
      await post(stateBody([CALL, 'establishing'], [OTHER, 'establishing'], [CALL, 'established'])),
    );
    await webhook.idle();
    expect(log).toEqual([`${CALL}:establishing`, `${OTHER}:establishing`, `${CALL}:established`]);
  });
});

describe('createCallWebhook: observers', () => {
  it('see every accepted event synchronously, before the 202 and before any handler', async () => {
    const webhook = webhookWith();
    const log: string[] = [];
    webhook.observe((event, context) => log.push(`observed ${event.type} ${context.callId}`));
    webhook.on('callStateChanged', () => {
      log.push('handler');
    });
    const response = await webhook.handle(await post(stateBody([CALL, 'established'])));
    expect(response.status).toBe(202);
    expect(log).toEqual([`observed callStateChanged ${CALL}`]);
    await webhook.idle();
    expect(log).toEqual([`observed callStateChanged ${CALL}`, 'handler']);
  });

  it('see events even when no handler is registered, and a removed observer sees no more', async () => {
    const webhook = webhookWith();
    const seen: string[] = [];
    const stop = webhook.observe((event) => seen.push(event.type));
    await webhook.handle(await post(stateBody([CALL, 'established'])));
    stop();
    await webhook.handle(await post(stateBody([CALL, 'terminated'])));
    expect(seen).toEqual(['callStateChanged']);
  });

  it('see a later notification of a call while a handler of that call still runs', async () => {
    const webhook = webhookWith();
    const observed: string[] = [];
    const released = gate();
    webhook.observe((event) => {
      if (event.type === 'callStateChanged') observed.push(event.state ?? '');
    });
    webhook.on('callStateChanged', async (event) => {
      if (event.state === 'establishing') await released.opened;
    });
    await webhook.handle(await post(stateBody([CALL, 'establishing'])));
    await webhook.handle(await post(stateBody([CALL, 'established'])));
    expect(observed).toEqual(['establishing', 'established']);
    released.open();
    await webhook.idle();
  });

  it('never break the pipeline when they throw: logged, handlers still run', async () => {
    const errors: unknown[] = [];
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: () => {},
      error: (fields) => errors.push(fields.err),
    };
    const webhook = webhookWith({ logger });
    let handled = false;
    webhook.observe(() => {
      throw new Error('observer bug');
    });
    webhook.on('notification', () => {
      handled = true;
    });
    expect((await webhook.handle(await post(stateBody([CALL, 'established'])))).status).toBe(202);
    await webhook.idle();
    expect(handled).toBe(true);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('observer bug');
  });
});

describe('createCallWebhook: redelivered notifications', () => {
  it('dispatches a notification redelivered with the same message id once, and answers 202 both times', async () => {
    const webhook = webhookWith();
    let calls = 0;
    webhook.on('notification', () => {
      calls += 1;
    });
    const body = stateBody([CALL, 'established']);
    expect((await webhook.handle(await post(body, 'msg-1'))).status).toBe(202);
    expect((await webhook.handle(await post(body, 'msg-1'))).status).toBe(202);
    expect((await webhook.handle(await post(body, 'msg-2'))).status).toBe(202);
    await webhook.idle();
    expect(calls).toBe(2);
  });

  it('dispatches the redelivery of a notification whose handlers failed under awaitHandlers', async () => {
    const webhook = webhookWith({ awaitHandlers: true });
    let attempts = 0;
    webhook.on('notification', () => {
      attempts += 1;
      if (attempts === 1) throw new Error('graph was down');
    });
    const body = stateBody([CALL, 'established']);
    expect((await webhook.handle(await post(body, 'msg-1'))).status).toBe(500);
    expect((await webhook.handle(await post(body, 'msg-1'))).status).toBe(202);
    expect(attempts).toBe(2);
  });

  it('dispatches every delivery with redelivery: false, and refuses a nonsense window', async () => {
    const webhook = webhookWith({ redelivery: false });
    let calls = 0;
    webhook.on('notification', () => {
      calls += 1;
    });
    const body = stateBody([CALL, 'established']);
    await webhook.handle(await post(body, 'msg-1'));
    await webhook.handle(await post(body, 'msg-1'));
    await webhook.idle();
    expect(calls).toBe(2);
    expect(() => webhookWith({ redelivery: { window: -1 } })).toThrow(/redelivery.window/);
  });
});
