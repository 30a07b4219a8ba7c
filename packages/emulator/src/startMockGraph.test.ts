import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMockGraph } from './connectMockGraph';
import { type MockGraph, startMockGraph } from './startMockGraph';

let graph: MockGraph;
beforeAll(async () => {
  graph = await startMockGraph();
});
afterAll(() => graph.close());

const bearer = { authorization: 'Bearer anything', 'content-type': 'application/json' };
const call = (
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) =>
  fetch(`${graph.baseUrl}/communications/calls/${path}`, {
    method: init.method ?? 'POST',
    headers: init.headers ?? bearer,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
const answer = {
  callbackUri: 'https://bot.example/callback',
  acceptedModalities: ['audio'],
  mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
};

describe('startMockGraph', () => {
  it('serves the Graph calls API under /v1.0 on 127.0.0.1', () => {
    expect(graph.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
  });

  it('answers like Graph and records each request in order', async () => {
    expect((await call('c1/answer', { body: answer })).status).toBe(202);
    const prompt = await call('c1/playPrompt', { body: { prompts: [], clientContext: 'ctx' } });
    expect(prompt.status).toBe(200);
    const operation = (await prompt.json()) as Record<string, unknown>;
    expect(operation).toMatchObject({
      '@odata.type': '#microsoft.graph.playPromptOperation',
      status: 'running',
      clientContext: 'ctx',
    });
    expect((await call('c1', { method: 'DELETE' })).status).toBe(204);
    expect(graph.actions('c1').map((a) => [a.kind, a.status])).toEqual([
      ['answer', 202],
      ['playPrompt', 200],
      ['hangUp', 204],
    ]);
    expect(graph.actions('c1')[1]?.operationId).toBe(operation.id);
    expect(graph.actions('c1')[0]?.body).toEqual(answer);
  });

  it('accepts reject with or without a body, redirect with targets, transfer with a transferTarget', async () => {
    expect((await call('c2/reject')).status).toBe(202);
    expect((await call('c2/redirect', { body: { targets: [] } })).status).toBe(202);
    expect((await call('c2/transfer', { body: { transferTarget: {} } })).status).toBe(202);
    expect(graph.actions('c2').map((a) => a.kind)).toEqual(['reject', 'redirect', 'transfer']);
  });

  it('refuses a request without a Bearer token, naming the cause, and records it', async () => {
    const response = await call('c3/answer', {
      body: answer,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
    expect(graph.actions('c3')[0]).toMatchObject({
      status: 401,
      problem: expect.stringContaining('Bearer'),
    });
  });

  it.each([
    ['a callbackUri', { ...answer, callbackUri: undefined }, 'callbackUri'],
    ['an absolute callbackUri', { ...answer, callbackUri: '/callback' }, 'callbackUri'],
    ['acceptedModalities', { ...answer, acceptedModalities: [] }, 'acceptedModalities'],
    ['a mediaConfig', { ...answer, mediaConfig: undefined }, 'mediaConfig'],
  ])('refuses an answer without %s', async (_what, body, field) => {
    const response = await call('c4/answer', { body });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain(field);
  });

  it('answers 404 for paths it does not mock', async () => {
    expect((await fetch(`${graph.baseUrl}/me`)).status).toBe(404);
  });

  it('waits for the next request of a call, or gives up after the timeout', async () => {
    const waiting = graph.nextAction('c5', 0, 5000);
    await call('c5/answer', { body: answer });
    expect(await waiting).toMatchObject({ kind: 'answer', callId: 'c5' });
    expect(await graph.nextAction('c5', 1, 10)).toBeUndefined();
  });

  it('lets another process follow a call through connectMockGraph', async () => {
    const remote = connectMockGraph(graph.baseUrl);
    expect(remote.baseUrl).toBe(graph.baseUrl);
    const waiting = remote.nextAction('c6', 0, 5000);
    await call('c6/reject', { body: { reason: 'busy' } });
    expect(await waiting).toMatchObject({ kind: 'reject', body: { reason: 'busy' } });
    expect(await remote.nextAction('c6', 1, 10)).toBeUndefined();
  });
});
