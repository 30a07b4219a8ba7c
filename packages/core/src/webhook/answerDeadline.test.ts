import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/fixtures';
import { BOT_APP_ID, createMemoryIssuer } from '../../test/support/memoryIssuer';
import { isPolicyBasedRecording } from '../notifications/isPolicyBasedRecording';
import { createCallWebhook } from './createCallWebhook';
import type { Logger } from './Logger';

const issuer = await createMemoryIssuer();
const RECEIVED = Date.parse('2026-11-22T10:00:00Z');

function webhookWith(options: { answerDeadline?: number; logger?: Logger } = {}) {
  return createCallWebhook({
    appId: BOT_APP_ID,
    auth: issuer.auth,
    now: () => RECEIVED,
    ...options,
  });
}

async function post(body: unknown) {
  const token = await issuer.token({}, Math.floor(RECEIVED / 1000));
  return { method: 'POST', url: '/api/calls', headers: { authorization: `Bearer ${token}` }, body };
}

describe('ctx.deadline of an incoming call', () => {
  it('is 15 s after receipt for an ordinary call', async () => {
    const webhook = webhookWith();
    const deadlines: (Date | undefined)[] = [];
    webhook.on('incomingCall', (_event, ctx) => {
      deadlines.push(ctx.deadline);
    });
    await webhook.handle(await post(fixture('graph-incoming-call-p2p')));
    await webhook.idle();
    expect(deadlines.map((d) => d?.toISOString())).toEqual(['2026-11-22T10:00:15.000Z']);
  });

  it('is 5 s after receipt for a policy-based recording call (Microsoft answer limit)', async () => {
    const webhook = webhookWith();
    const deadlines: (Date | undefined)[] = [];
    webhook.on('incomingCall', (event, ctx) => {
      expect(isPolicyBasedRecording(event)).toBe(true);
      deadlines.push(ctx.deadline);
    });
    await webhook.handle(await post(fixture('graph-incoming-call-policy-recording-meeting')));
    await webhook.idle();
    expect(deadlines.map((d) => d?.toISOString())).toEqual(['2026-11-22T10:00:05.000Z']);
  });

  it('keeps a shorter configured answerDeadline for policy-based recording calls', async () => {
    const webhook = webhookWith({ answerDeadline: 3 });
    const deadlines: (Date | undefined)[] = [];
    webhook.on('incomingCall', (_event, ctx) => {
      deadlines.push(ctx.deadline);
    });
    await webhook.handle(await post(fixture('graph-incoming-call-policy-recording-meeting')));
    await webhook.idle();
    expect(deadlines.map((d) => d?.toISOString())).toEqual(['2026-11-22T10:00:03.000Z']);
  });
});

describe('isPolicyBasedRecording', () => {
  it('reads botData.inviteReasons in any casing and nothing else', () => {
    const call = (inviteReasons: unknown) => ({
      call: { applicationMetadata: { botData: { inviteReasons } } },
    });
    expect(isPolicyBasedRecording(call(['policyBasedRecording']))).toBe(true);
    expect(isPolicyBasedRecording(call(['Other']))).toBe(false);
    expect(isPolicyBasedRecording(call('PolicyBasedRecording'))).toBe(false);
    expect(isPolicyBasedRecording({ call: {} })).toBe(false);
  });
});
