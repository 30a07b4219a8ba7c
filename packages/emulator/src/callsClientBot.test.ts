import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCallsClient } from '@callgate/calls';
import { createCallWebhook, type IncomingCallEvent, silentLogger } from '@callgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devCredential } from './devCredential';
import { playScenario } from './playScenario';
import { suites } from './scenarios';
import { type DevIssuer, startDevIssuer } from './startDevIssuer';
import { type MockGraph, startMockGraph } from './startMockGraph';

// A bot on callgate and @callgate/calls, nothing hand-written: the emulator's
// suites for a Graph client and for call tracking pass only if the client and
// its tracking do what they promise, against the mock Graph.
let issuer: DevIssuer;
let graph: MockGraph;
let server: Server;
let webhookUrl = '';
let close: () => void = () => {};

beforeAll(async () => {
  issuer = await startDevIssuer();
  graph = await startMockGraph({ issuer, operationDelayMs: 20, retryDelaysMs: [20, 40] });
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`;
  const webhook = createCallWebhook({
    appId: issuer.appId,
    publicUrl: webhookUrl,
    auth: { issuers: issuer.issuers },
    logger: silentLogger,
  });
  const calls = createCallsClient({
    credential: devCredential(issuer),
    webhook,
    baseUrl: graph.baseUrl,
    scope: 'https://graph.microsoft.com/.default',
    keepAlive: { interval: 0.3 },
    logger: silentLogger,
  });
  const scenarioOf = new Map<string, string>();
  webhook.on('incomingCall', async (event: IncomingCallEvent) => {
    const name = (event.source?.identity as { user?: { displayName?: string } } | undefined)?.user
      ?.displayName;
    scenarioOf.set(event.callId, String(name).replace('Emulator caller: ', ''));
    await calls.answer(event.callId, { acceptedModalities: ['audio'] });
  });
  webhook.on('callStateChanged', async (event) => {
    if (event.state !== 'established' || event.callId === undefined) return;
    if (scenarioOf.get(event.callId) !== 'early-completion') return;
    const prompt = await calls.playPrompt(event.callId, {
      prompts: [{ mediaInfo: { uri: 'https://bot.example/hello.wav', resourceId: 'hello' } }],
    });
    await calls.completion(event.callId, prompt.id ?? '');
    await calls.hangUp(event.callId);
  });
  // The few lines of an adapter (the emulator does not depend on @callgate/node).
  server.on('request', (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const answer = await webhook.handle({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(answer.status, answer.headers).end(answer.body);
    });
  });
  close = () => calls.close();
});
afterAll(async () => {
  close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await graph.close();
  await issuer.close();
});

describe('a bot on @callgate/calls against the emulator', () => {
  it.each([
    ...new Set([
      ...(suites['well-behaved'] ?? []),
      ...(suites['calls-client'] ?? []),
      ...(suites.tracking ?? []),
    ]),
  ])('passes %s', async (name) => {
    const result = await playScenario(name, {
      webhookUrl,
      issuer,
      graph,
      appId: issuer.appId,
      answerTimeoutMs: 8000,
      hangUpWaitMs: 2000,
      keepAliveTimeout: 1,
      retryDelaysMs: [20, 40],
    });
    expect(result.failures).toEqual([]);
  });
});
