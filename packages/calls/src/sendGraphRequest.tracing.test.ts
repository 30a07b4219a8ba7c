import { tracingChannel } from 'node:diagnostics_channel';
import type { GraphRequestContext } from '@callgate/core';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGraph } from '../test/fakeGraph';
import { recordingLogger } from '../test/silentLogger';
import { createCallsClient } from './createCallsClient';

const CALL = '2f1a1100-726f-4705-a6b2-d1a1d4a0e2e9';
const channel = tracingChannel('callgate:graph.request');
const closers: Array<() => unknown> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

function listen() {
  const events: Array<{ event: string; context: GraphRequestContext }> = [];
  const on = (event: string) => (context: unknown) =>
    events.push({ event, context: { ...(context as GraphRequestContext) } });
  const subscribers = {
    start: on('start'),
    end: on('end'),
    asyncStart: on('asyncStart'),
    asyncEnd: on('asyncEnd'),
    error: on('error'),
  };
  channel.subscribe(subscribers);
  closers.push(() => channel.unsubscribe(subscribers));
  return events;
}

async function clientAgainst(
  replies: Array<{ status: number; headers?: Record<string, string>; body?: unknown }>,
) {
  const graph = await startFakeGraph(() => replies.shift() ?? { status: 202 });
  closers.push(() => graph.close());
  return createCallsClient({
    credential: async () => 'secret-token-value',
    baseUrl: graph.baseUrl,
    logger: recordingLogger().logger,
    retry: { maxRetries: 2, maxDelay: 1 },
  });
}

describe('callgate:graph.request', () => {
  it('publishes each request with its method, path, call id, status, request-id and attempts', async () => {
    const events = listen();
    const calls = await clientAgainst([
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 202, headers: { 'request-id': 'req-42' } },
    ]);
    await calls.answer(CALL, {
      acceptedModalities: ['audio'],
      callbackUri: 'https://bot.example/api',
    });
    expect(events.map((e) => e.event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    const done = events.at(-1)!.context;
    expect(done).toMatchObject({
      method: 'POST',
      operation: 'answer',
      path: `/v1.0/communications/calls/${CALL}/answer`,
      serverAddress: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      callId: CALL,
      status: 202,
      requestId: 'req-42',
      attempts: 2,
    });
    expect(done.clientRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(events)).not.toContain('secret-token-value');
  });

  it('publishes a failed request with error, Graph status and attempts', async () => {
    const events = listen();
    const calls = await clientAgainst([
      {
        status: 404,
        headers: { 'request-id': 'req-404' },
        body: { error: { code: 'ItemNotFound', message: 'gone' } },
      },
    ]);
    await expect(calls.hangUp(CALL)).rejects.toMatchObject({ code: 'http_error', status: 404 });
    expect(events.map((e) => e.event)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(events.at(-1)!.context).toMatchObject({
      method: 'DELETE',
      operation: 'hangUp',
      status: 404,
      requestId: 'req-404',
      attempts: 1,
    });
  });
});
