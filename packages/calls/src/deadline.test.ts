import { readFileSync } from 'node:fs';
import { type CallWebhook, createCallWebhook, type TokenVerifier } from '@callgate/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { countingCredential, scriptedFetch } from '../test/fakeGraph';
import { recordingLogger } from '../test/silentLogger';
import { createCallsClient } from './createCallsClient';
import { GraphError } from './GraphError';
import { InvalidInputError } from './InvalidInputError';

const START = Date.parse('2026-11-27T12:00:00Z');

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});
afterEach(() => {
  vi.useRealTimers();
});

async function failure(promise: Promise<unknown>, advanceMs = 60_000): Promise<GraphError> {
  const settled = promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
  await vi.advanceTimersByTimeAsync(advanceMs);
  const error = await settled;
  expect(error).toBeInstanceOf(GraphError);
  return error as GraphError;
}

function client(replies: Parameters<typeof scriptedFetch>[0], webhook?: CallWebhook) {
  const scripted = scriptedFetch(replies);
  const calls = createCallsClient({
    credential: countingCredential(),
    fetch: scripted.fetch,
    logger: recordingLogger().logger,
    ...(webhook === undefined ? {} : { webhook }),
  });
  return { calls, seen: scripted.seen };
}

describe('deadlines', () => {
  it('starts no attempt past the deadline (Date or epoch ms)', async () => {
    const { calls, seen } = client([{ status: 202 }]);
    for (const deadline of [new Date(START), START - 1]) {
      const error = await failure(
        calls.answer('c1', { acceptedModalities: ['audio'] }, { deadline }),
        0,
      );
      expect(error).toMatchObject({ code: 'deadline_exceeded', attempts: 0, status: undefined });
    }
    expect(seen).toHaveLength(0);
  });

  it('fails before the deadline instead of sleeping past it for a Retry-After', async () => {
    const { calls, seen } = client([
      { status: 429, headers: { 'retry-after': '10' } },
      { status: 202 },
    ]);
    const deadline = new Date(START + 5_000);
    const pending = calls.answer('c1', { acceptedModalities: ['audio'] }, { deadline });
    let failedAt = 0;
    pending.catch(() => {
      failedAt = Date.now();
    });
    const error = await failure(pending);
    expect(error).toMatchObject({
      code: 'deadline_exceeded',
      status: 429,
      retryAfter: 10,
      attempts: 1,
    });
    expect(failedAt).toBeLessThan(deadline.getTime());
    expect(seen).toHaveLength(1);
  });

  it('retries within the deadline when the wait fits', async () => {
    const { calls, seen } = client([
      { status: 503, headers: { 'retry-after': '2' } },
      { status: 202 },
    ]);
    const done = calls.answer('c1', { acceptedModalities: ['audio'] }, { deadline: START + 5_000 });
    await vi.advanceTimersByTimeAsync(2_000);
    await done;
    expect(seen).toHaveLength(2);
  });

  it('bounds an attempt in flight by the deadline, not only by `timeout`', async () => {
    const calls = createCallsClient({
      credential: countingCredential(),
      fetch: ((_url: unknown, init?: RequestInit) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () =>
            reject(new DOMException('aborted', 'AbortError')),
          ),
        )) as typeof fetch,
      logger: recordingLogger().logger,
      timeout: 10,
    });
    const pending = calls.answer(
      'c1',
      { acceptedModalities: ['audio'] },
      { deadline: START + 3_000 },
    );
    let failedAt = 0;
    pending.catch(() => {
      failedAt = Date.now();
    });
    const error = await failure(pending);
    expect(error.code).toBe('deadline_exceeded');
    expect(failedAt - START).toBe(3_000);
  });

  it('gives up waiting for a slow credential at the deadline', async () => {
    const calls = createCallsClient({
      credential: { getToken: () => new Promise(() => {}) },
      fetch: scriptedFetch([{ status: 202 }]).fetch,
      logger: recordingLogger().logger,
    });
    const error = await failure(
      calls.answer('c1', { acceptedModalities: ['audio'] }, { deadline: START + 1_000 }),
    );
    expect(error).toMatchObject({ code: 'deadline_exceeded', attempts: 0 });
  });

  it('refuses a deadline that is not a Date or epoch ms (seconds are a likely mistake)', async () => {
    const { calls } = client([{ status: 202 }]);
    for (const deadline of [Math.floor(START / 1000), new Date('nope'), Number.NaN]) {
      await expect(calls.hangUp('c1', { deadline })).rejects.toBeInstanceOf(InvalidInputError);
    }
  });
});

describe('linked to a webhook that saw the call arrive', () => {
  const fixture = (name: string) =>
    readFileSync(new URL(`../../../fixtures/notifications/${name}.json`, import.meta.url), 'utf8');
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

  async function webhookThatSaw(name: string) {
    const webhook = createCallWebhook({
      appId: 'bot',
      auth: { verifier },
      publicUrl: 'https://bot.contoso.com/api/calls',
    });
    return {
      webhook,
      deliver: () =>
        webhook.handle({ method: 'POST', url: '/api/calls', headers: {}, body: fixture(name) }),
    };
  }

  it('answer, reject and redirect use that call’s 15 s deadline by themselves', async () => {
    const { webhook, deliver } = await webhookThatSaw('graph-incoming-call-p2p');
    const { calls, seen } = client([{ status: 429, headers: { 'retry-after': '20' } }], webhook);
    await deliver();
    // The fixture writes the id in upper case without dashes; any spelling matches.
    expect(calls.deadlineOf('57dab8b1-894c-409a-b240-bd8beae78896')?.getTime()).toBe(
      START + 15_000,
    );
    for (const invoke of [
      () => calls.answer('57DAB8B1894C409AB240BD8BEAE78896', { acceptedModalities: ['audio'] }),
      () => calls.reject('57DAB8B1894C409AB240BD8BEAE78896', { reason: 'busy' }),
      () => calls.redirect('57DAB8B1894C409AB240BD8BEAE78896', { targets: [] }),
    ]) {
      const error = await failure(invoke(), 0);
      expect(error.code).toBe('deadline_exceeded');
    }
    expect(seen).toHaveLength(3);
    // Other methods have no answer window.
    const other = await failure(calls.get('57DAB8B1894C409AB240BD8BEAE78896'), 100_000);
    expect(other).toMatchObject({ code: 'http_error', attempts: 4 });
    calls.close();
  });

  it('a policy-based recording call has 5 s', async () => {
    const { webhook, deliver } = await webhookThatSaw(
      'graph-incoming-call-policy-recording-meeting',
    );
    const { calls } = client([{ status: 202 }], webhook);
    await deliver();
    expect(calls.deadlineOf('e71f0300-9c1f-4d99-b5f4-2722e877d497')?.getTime()).toBe(START + 5_000);
    vi.setSystemTime(START + 5_000);
    const late = await failure(
      calls.answer('e71f0300-9c1f-4d99-b5f4-2722e877d497', { acceptedModalities: ['audio'] }),
      0,
    );
    expect(late).toMatchObject({ code: 'deadline_exceeded', attempts: 0 });
  });

  it('a deadline given explicitly wins over the recorded one', async () => {
    const { webhook, deliver } = await webhookThatSaw('graph-incoming-call-p2p');
    const { calls, seen } = client([{ status: 202 }], webhook);
    await deliver();
    vi.setSystemTime(START + 20_000);
    await calls.answer(
      '57DAB8B1894C409AB240BD8BEAE78896',
      { acceptedModalities: ['audio'] },
      { deadline: START + 30_000 },
    );
    expect(seen).toHaveLength(1);
  });

  it('stops following the webhook after close()', async () => {
    const { webhook, deliver } = await webhookThatSaw('graph-incoming-call-p2p');
    const { calls } = client([{ status: 202 }], webhook);
    calls.close();
    await deliver();
    expect(calls.deadlineOf('57DAB8B1894C409AB240BD8BEAE78896')).toBeUndefined();
  });
});
