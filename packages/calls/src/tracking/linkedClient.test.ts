import { ConfigError, createCallWebhook, silentLogger, type TokenVerifier } from '@callgate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGraph } from '../../test/fakeGraph';
import { createCallsClient } from '../createCallsClient';
import {
  callItem,
  incomingItem,
  operationItem,
  rosterItem,
  participant,
} from './trackingTestSupport';

const CALL = '2f1a1100-726f-4705-a6b2-d1a1d4a0e2e9';
const CALL_IN_URL_FORM = '2F1A1100726F4705A6B2D1A1D4A0E2E9';

const verifier: TokenVerifier = {
  verify: async () => ({
    kind: 'botframework',
    tenantId: 't1',
    appId: '',
    issuer: 'test',
    claims: {},
  }),
  warm: async () => {},
  appIds: ['bot'],
};

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

async function linkedBot() {
  const graph = await startFakeGraph((request) => {
    if (request.path.endsWith('/playPrompt'))
      return {
        status: 200,
        body: {
          '@odata.type': '#microsoft.graph.playPromptOperation',
          id: 'op-1',
          status: 'running',
        },
      };
    if (request.path.endsWith('/updateRecordingStatus'))
      return {
        status: 200,
        body: {
          '@odata.type': '#microsoft.graph.updateRecordingStatusOperation',
          id: 'op-rec',
          status: 'completed',
        },
      };
    return { status: 202 };
  });
  closers.push(() => graph.close());
  const webhook = createCallWebhook({
    appId: 'bot',
    auth: { verifier },
    publicUrl: 'https://bot.contoso.com/api/calls',
  });
  const calls = createCallsClient({
    credential: async () => 'token',
    webhook,
    baseUrl: graph.baseUrl,
    logger: silentLogger,
  });
  closers.push(() => calls.close());
  let message = 0;
  const deliver = (...items: unknown[]) =>
    webhook.handle({
      method: 'POST',
      url: '/api/calls',
      headers: { 'x-microsoft-skype-message-id': `m-${++message}` },
      body: JSON.stringify({ value: items }),
    });
  return { graph, webhook, calls, deliver };
}

describe('a calls client linked to a webhook follows its calls', () => {
  it('is current inside the handlers: the snapshot already shows the notification being handled', async () => {
    const { webhook, calls, deliver } = await linkedBot();
    const seenInHandlers: string[] = [];
    webhook.on('incomingCall', async (event) => {
      seenInHandlers.push(calls.tracked(event.callId)?.state ?? 'untracked');
      await calls.answer(event.callId, { acceptedModalities: ['audio'] });
    });
    webhook.on('callStateChanged', (event) => {
      seenInHandlers.push(calls.tracked(event.callId!)?.state ?? 'untracked');
    });
    await deliver(incomingItem(CALL));
    await webhook.idle();
    await deliver(callItem(CALL_IN_URL_FORM, 'established'));
    await webhook.idle();
    expect(seenInHandlers).toEqual(['incoming', 'established']);
    expect(calls.trackedCalls()).toHaveLength(1);
  });

  it('awaits a prompt inside a handler of the same call, even when its completion arrives first', async () => {
    const { webhook, calls, deliver } = await linkedBot();
    const outcomes: string[] = [];
    webhook.on('callStateChanged', async (event) => {
      if (event.state !== 'established' || event.callId === undefined) return;
      const operation = await calls.playPrompt(event.callId, {
        prompts: [{ mediaInfo: { uri: 'https://bot.contoso.com/hello.wav' } }],
      });
      // The completion is delivered (and this call's later handlers queued) before we await it.
      const operationId = operation.id ?? '';
      await deliver(operationItem(CALL_IN_URL_FORM, operationId.toUpperCase(), 'completed'));
      const completion = await calls.completion(event.callId, operationId);
      outcomes.push(`${completion.operationKind} ${completion.status}`);
    });
    await deliver(callItem(CALL, 'established'));
    await webhook.idle();
    expect(outcomes).toEqual(['playPrompt completed']);
  });

  it('resolves an operation whose own response already says completed', async () => {
    const { calls } = await linkedBot();
    const operation = await calls.updateRecordingStatus(CALL, { status: 'recording' });
    await expect(calls.completion(CALL, operation.id ?? '')).resolves.toMatchObject({
      status: 'completed',
      operationKind: 'updateRecordingStatus',
    });
  });

  it('reports roster changes and the end of the call, and rejects what was awaited with call_ended', async () => {
    const { calls, deliver } = await linkedBot();
    const events: string[] = [];
    calls.on('participantsChanged', (_call, { joined, left }) => {
      events.push(`+${joined.length} -${left.length}`);
    });
    calls.on('callEnded', (_call, ending) => {
      events.push(`ended ${ending.reason} ${ending.resultInfo?.code}`);
    });
    await deliver(callItem(CALL, 'established'));
    await deliver(rosterItem(CALL, [participant('a'), participant('b')]));
    await deliver(rosterItem(CALL, [participant('b')]));
    const pending = calls.completion(CALL, 'op-never');
    await deliver(
      callItem(CALL, 'terminated', 'deleted', { resultInfo: { code: 200, subcode: 5001 } }),
    );
    await expect(pending).rejects.toMatchObject({ code: 'call_ended' });
    expect(events).toEqual(['+2 -0', '+0 -1', 'ended terminated 200']);
  });

  it('close() rejects pending completions with aborted and stops following the webhook', async () => {
    const { calls, deliver } = await linkedBot();
    const pending = calls.completion(CALL, 'op-1');
    calls.close();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
    await deliver(callItem(CALL, 'established'));
    expect(calls.tracked(CALL)).toBeUndefined();
  });
});

describe('a calls client without a webhook', () => {
  it('refuses completion() with a ConfigError that says what to link', async () => {
    const calls = createCallsClient({ credential: async () => 'token', logger: silentLogger });
    const error = await calls.completion(CALL, 'op-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/webhook/);
  });

  it('refuses nonsense tracking options at construction', () => {
    const make = (options: object) => () =>
      createCallsClient({ credential: async () => 'token', logger: silentLogger, ...options });
    expect(make({ keepAlive: { interval: 0 } })).toThrow(/keepAlive.interval/);
    expect(make({ maxTrackedCalls: 1.5 })).toThrow(/maxTrackedCalls/);
    expect(make({ retainEnded: -1 })).toThrow(/retainEnded/);
    expect(make({ keepAlive: false })).not.toThrow();
  });
});
