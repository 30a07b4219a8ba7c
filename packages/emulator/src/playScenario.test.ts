import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTinyBot, type TinyBot, type TinyBotOptions } from '../test/tinyBot';
import { devCredential } from './devCredential';
import { EmulatorError } from './EmulatorError';
import { type PlayOptions, playScenario } from './playScenario';
import type { ScenarioResult, ScenarioStep } from './scenario';
import { listScenarios, scenarios } from './scenarios';
import { type DevIssuer, startDevIssuer } from './startDevIssuer';
import { type MockGraph, startMockGraph } from './startMockGraph';

let issuer: DevIssuer;
let graph: MockGraph;
const bots: TinyBot[] = [];

beforeAll(async () => {
  issuer = await startDevIssuer();
  graph = await startMockGraph({ issuer, retryDelaysMs: [10, 20, 30], operationDelayMs: 20 });
});
afterAll(async () => {
  await Promise.all([...bots.map((bot) => bot.close()), issuer.close(), graph.close()]);
});

async function bot(options: Partial<TinyBotOptions> = {}): Promise<TinyBot> {
  const credential = devCredential(issuer);
  const started = await startTinyBot({
    graphBaseUrl: graph.baseUrl,
    graphToken: async () =>
      (await credential.getToken('https://graph.microsoft.com/.default')).token,
    appId: issuer.appId,
    issuer,
    ...options,
  });
  bots.push(started);
  return started;
}

// Waits that must elapse are short; waits for a bot that does act are generous,
// since they end as soon as the bot acts.
const fast = (overrides: Partial<PlayOptions> = {}): Omit<PlayOptions, 'webhookUrl'> => ({
  issuer,
  graph,
  appId: issuer.appId,
  answerTimeoutMs: 5000,
  hangUpWaitMs: 50,
  retryDelaysMs: [10, 20, 30],
  requestTimeoutMs: 5000,
  ...overrides,
});

const posts = (result: ScenarioResult) =>
  result.steps.filter((s): s is Extract<ScenarioStep, { kind: 'post' }> => s.kind === 'post');

describe('playScenario against a well-behaved bot', () => {
  it.each(listScenarios().map((s) => s.name))('passes %s', async (name) => {
    const target = await bot({
      hangUp: name === 'p2p-call',
      retryAnswer: name === 'answer-throttled' || name === 'graph-unavailable',
      hangUpAfterCompletion: name === 'early-completion',
      ...(name === 'keepalive' || name === 'vanishing-call' ? { keepAliveMs: 300 } : {}),
    });
    const webhookUrl =
      name === 'region-redirect'
        ? (await bot({ redirectTo: target.webhookUrl })).webhookUrl
        : target.webhookUrl;
    const answerTimeoutMs = name === 'never-answers' ? 100 : 5000;
    const result = await playScenario(name, {
      webhookUrl,
      ...fast({ answerTimeoutMs, keepAliveTimeout: 1 }),
    });
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('sends the incoming call in the legacy format first, then in the Graph format, then to the callbackUri', async () => {
    const target = await bot({ hangUp: true });
    const result = await playScenario('p2p-call', { webhookUrl: target.webhookUrl, ...fast() });
    const bodies = target.received.map((r) => r.body);
    expect(bodies[0]).toMatchObject({ callState: 'incoming', id: result.callId });
    expect(bodies[0]).not.toHaveProperty('value');
    expect(bodies[1]).toMatchObject({
      value: [{ changeType: 'created', resourceData: { state: 'incoming', id: result.callId } }],
    });
    expect(target.received.map((r) => r.path)).toEqual([
      '/api/calls',
      '/api/calls',
      '/callback?scenario=p2p-call',
      '/callback?scenario=p2p-call',
      '/callback?scenario=p2p-call',
      '/callback?scenario=p2p-call',
    ]);
    const values = target.received
      .slice(2)
      .map((r) => (r.body.value as { resourceUrl: string; resourceData: unknown }[])[0]);
    expect(values.map((v) => (v?.resourceData as { state?: string } | undefined)?.state)).toEqual([
      'establishing',
      'established',
      undefined,
      'terminated',
    ]);
    // After established, the roster: the bot and the caller.
    expect(values[2]?.resourceUrl).toBe(`/communications/calls/${result.callId}/participants`);
    expect(values[2]?.resourceData).toHaveLength(2);
    expect(result.graphActions.map((a) => a.kind)).toEqual(['answer', 'hangUp']);
  });

  it('carries the calling service headers: one chain id per call, one message id per notification', async () => {
    const target = await bot();
    const result = await playScenario('p2p-call', { webhookUrl: target.webhookUrl, ...fast() });
    const headers = target.received.map((r) => r.headers);
    expect(new Set(headers.map((h) => h['x-microsoft-skype-chain-id']))).toEqual(
      new Set([result.chainId]),
    );
    expect(new Set(headers.map((h) => h['x-microsoft-skype-message-id'])).size).toBe(
      headers.length,
    );
    expect(new Set(headers.map((h) => h['client-request-id'])).size).toBe(headers.length);
    expect(new Set(headers.map((h) => h['scenario-id'])).size).toBe(1);
    for (const h of headers) {
      expect(h['user-agent']).toBe('Microsoft-Skype/3.0,(Calling/1.0)');
      expect(h.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      expect(h['content-type']).toMatch(/^application\/json/);
    }
  });

  it('uses a fresh call id on every run', async () => {
    const target = await bot();
    const first = await playScenario('p2p-call', { webhookUrl: target.webhookUrl, ...fast() });
    const second = await playScenario('p2p-call', { webhookUrl: target.webhookUrl, ...fast() });
    expect(first.callId).not.toBe(second.callId);
  });

  it('echoes the clientContext of playPrompt in the operation completed notification', async () => {
    const target = await bot();
    await playScenario('play-prompt', { webhookUrl: target.webhookUrl, ...fast() });
    const completed = target.received
      .map(
        (r) =>
          (r.body.value as { resourceData: Record<string, unknown> }[] | undefined)?.[0]
            ?.resourceData,
      )
      .find((data) => data?.['@odata.type'] === '#microsoft.graph.playPromptOperation');
    expect(completed).toMatchObject({ status: 'completed', clientContext: 'prompt-context-1' });
  });

  it('ends a transferred call with resultInfo 0/7015', async () => {
    const target = await bot();
    await playScenario('transfer', { webhookUrl: target.webhookUrl, ...fast() });
    const last = target.received.at(-1)?.body.value as {
      changeType: string;
      resourceData: unknown;
    }[];
    expect(last[0]).toMatchObject({
      changeType: 'deleted',
      resourceData: { state: 'terminated', resultInfo: { code: 0, subcode: 7015 } },
    });
  });
});

describe('302 to another deployment', () => {
  it('follows Location with the same notification and sends the rest of the call there', async () => {
    const there = await bot();
    const here = await bot({ redirectTo: there.webhookUrl });
    const result = await playScenario('region-redirect', {
      webhookUrl: here.webhookUrl,
      ...fast(),
    });
    expect(result.passed).toBe(true);
    const redirected = posts(result).find((p) => p.status === 302);
    expect(redirected).toMatchObject({ url: here.webhookUrl, location: there.webhookUrl });
    const followed = posts(result)[posts(result).indexOf(redirected!) + 1];
    expect(followed).toMatchObject({
      url: there.webhookUrl,
      messageId: redirected?.messageId,
      status: 202,
    });
    expect(here.received).toHaveLength(2);
    expect(there.received[0]?.headers['x-microsoft-skype-message-id']).toBe(
      here.received[1]?.headers['x-microsoft-skype-message-id'],
    );
  });

  it('fails region-redirect when the bot takes the call itself', async () => {
    const target = await bot();
    const result = await playScenario('region-redirect', {
      webhookUrl: target.webhookUrl,
      ...fast(),
    });
    expect(result.passed).toBe(false);
    expect(result.failures).toContain(
      'Expected the bot to answer 302 with Location: another deployment; it took the call',
    );
  });
});

describe('retries', () => {
  it('retries a 5xx with the same message id and a new client request id', async () => {
    // The Graph incoming call (the 2nd request) fails twice, then succeeds.
    const target = await bot({
      override: (_r, index) => (index === 1 || index === 2 ? 503 : undefined),
    });
    const result = await playScenario('p2p-call', { webhookUrl: target.webhookUrl, ...fast() });
    expect(result.passed).toBe(true);
    const [, first, second, third] = target.received;
    const messageId = first?.headers['x-microsoft-skype-message-id'];
    expect(second?.headers['x-microsoft-skype-message-id']).toBe(messageId);
    expect(third?.headers['x-microsoft-skype-message-id']).toBe(messageId);
    expect(new Set([first, second, third].map((r) => r?.headers['client-request-id'])).size).toBe(
      3,
    );
    expect(
      posts(result)
        .filter((p) => p.messageId === messageId)
        .map((p) => [p.attempt, p.status]),
    ).toEqual([
      [1, 503],
      [2, 503],
      [3, 202],
    ]);
  });

  it('gives up after the retries on a bot that always answers 500, and fails the scenario', async () => {
    const target = await bot({ override: () => 500 });
    const result = await playScenario('p2p-call', { webhookUrl: target.webhookUrl, ...fast() });
    expect(result.passed).toBe(false);
    expect(result.failures[0]).toMatch(
      /"incoming call, legacy format" got 500 .* after 4 attempts; the service gave up and ended the call/,
    );
    // 4 tries of the legacy notification, then one terminated, never retried.
    expect(target.received).toHaveLength(5);
    expect(
      new Set(target.received.slice(0, 4).map((r) => r.headers['x-microsoft-skype-message-id']))
        .size,
    ).toBe(1);
    expect(target.received[4]?.body).toMatchObject({
      value: [{ resourceData: { state: 'terminated' } }],
    });
    expect(result.graphActions).toEqual([]);
  });

  it('retries a POST that gets no answer in time', async () => {
    // status 0: the bot never responds to the first try of the legacy notification.
    const target = await bot({
      issuer: undefined,
      override: (_r, index) => (index === 0 ? 0 : undefined),
    });
    const result = await playScenario('p2p-call', {
      webhookUrl: target.webhookUrl,
      ...fast({ requestTimeoutMs: 1000 }),
    });
    expect(result.failures).toEqual([]);
    expect(posts(result)[0]).toMatchObject({
      status: null,
      error: 'no answer within 1000 ms',
      attempt: 1,
    });
    expect(posts(result)[1]).toMatchObject({
      status: 204,
      attempt: 2,
      messageId: posts(result)[0]?.messageId,
    });
  });

  it('does not retry a 4xx', async () => {
    const target = await bot({ override: (_r, index) => (index === 1 ? 400 : undefined) });
    const result = await playScenario('p2p-call', { webhookUrl: target.webhookUrl, ...fast() });
    expect(target.received).toHaveLength(2);
    expect(result.failures).toEqual([
      expect.stringContaining('"incoming call, Graph format" got 400'),
      'Expected the bot to call Graph answer, it did not',
    ]);
  });
});

describe('misbehaving bots fail with a reason', () => {
  it('a bot that never answers: the service ends the call after the answer timeout', async () => {
    const target = await bot({ neverAnswer: true });
    const result = await playScenario('p2p-call', {
      webhookUrl: target.webhookUrl,
      ...fast({ answerTimeoutMs: 100 }),
    });
    expect(result.passed).toBe(false);
    expect(result.failures[0]).toBe(
      'The bot did not answer the call within 100 ms; the service ended it',
    );
    expect(target.received.at(-1)?.body).toMatchObject({
      value: [{ changeType: 'deleted', resourceData: { state: 'terminated' } }],
    });
    expect(target.received.at(-1)?.path).toBe('/api/calls');
  });

  it('a bot that accepts forged, expired and foreign tokens fails forged-token', async () => {
    const target = await bot({ issuer: undefined });
    const result = await playScenario('forged-token', { webhookUrl: target.webhookUrl, ...fast() });
    expect(result.passed).toBe(false);
    expect(result.failures).toEqual(
      expect.arrayContaining([
        '"legacy incoming call, token signed by an unknown key" got 204 from ' +
          target.webhookUrl +
          ', expected 401',
        '"Graph incoming call, token signed by an unknown key" got 202 from ' +
          target.webhookUrl +
          ', expected 401',
        '"Graph incoming call, expired token" got 202 from ' + target.webhookUrl + ', expected 401',
        'The bot called Graph answer, which it must not here',
      ]),
    );
  });

  it('a bot that answers a call it should leave ringing fails never-answers', async () => {
    const target = await bot();
    // Renamed, the caller no longer tells the tiny bot to leave the call ringing.
    const wrong = await playScenario(
      { ...scenarios['never-answers']!, name: 'p2p-call' },
      { webhookUrl: target.webhookUrl, ...fast() },
    );
    expect(wrong.failures).toEqual(
      expect.arrayContaining(['The bot called Graph answer, which it must not here']),
    );
  });

  it('a bot whose Graph requests carry no Bearer token fails, naming the cause', async () => {
    const target = await bot({ graphWithoutToken: true });
    const result = await playScenario('p2p-call', { webhookUrl: target.webhookUrl, ...fast() });
    expect(result.passed).toBe(false);
    expect(result.failures[0]).toMatch(
      /answer request was refused by Graph: Access token is empty/,
    );
  });

  it('a bot that answers without a callbackUri fails, naming the cause', async () => {
    const target = await bot({ answerWithoutCallback: true });
    const result = await playScenario('p2p-call', { webhookUrl: target.webhookUrl, ...fast() });
    expect(result.failures[0]).toMatch(
      /answer request was refused by Graph: answer needs `callbackUri`/,
    );
  });

  it('a bot that is not listening fails after retries', async () => {
    const gone = await bot();
    await gone.close();
    const result = await playScenario('p2p-call', { webhookUrl: gone.webhookUrl, ...fast() });
    expect(result.passed).toBe(false);
    expect(posts(result)[0]).toMatchObject({ status: null });
    expect(result.failures[0]).toMatch(/got no answer .* after 4 attempts/);
  });
});

describe('the Graph client and tracking scenarios fail a bot that lacks the behaviour', () => {
  it('keepalive: a bot that sends no keepAlive gets its call ended with 408/8537', async () => {
    const target = await bot();
    const result = await playScenario('keepalive', {
      webhookUrl: target.webhookUrl,
      ...fast({ keepAliveTimeout: 0.5 }),
    });
    expect(result.failures).toEqual([
      'The call was ended with 408/8537: no keepAlive came within 0.5 s',
      'Expected the bot to call Graph keepAlive, it did not',
    ]);
    const last = target.received.at(-1)?.body.value as { resourceData: unknown }[];
    expect(last[0]?.resourceData).toMatchObject({
      state: 'terminated',
      resultInfo: {
        code: 408,
        subcode: 8537,
        message: 'Keep Alive timeout, cleaned up inactive call',
      },
    });
  });

  it('answer-throttled: a bot that does not retry the 429 leaves the call unanswered', async () => {
    const target = await bot();
    const result = await playScenario('answer-throttled', {
      webhookUrl: target.webhookUrl,
      ...fast({ answerTimeoutMs: 2000 }),
    });
    expect(result.failures[0]).toBe(
      'The bot did not answer the call within 2000 ms; the service ended it',
    );
    expect(result.steps).toContainEqual(
      expect.objectContaining({ kind: 'graph', action: 'answer', status: 429, injected: true }),
    );
  });

  it('answer-throttled: a bot that ignores Retry-After fails, saying so', async () => {
    const target = await bot({ retryAnswerAtOnce: true });
    const result = await playScenario('answer-throttled', {
      webhookUrl: target.webhookUrl,
      ...fast(),
    });
    expect(result.failures).toEqual([
      expect.stringMatching(
        /^The bot answered again \d+ ms after the 429; Retry-After asked for 1 s$/,
      ),
    ]);
  });

  it('vanishing-call: a bot that keeps sending keepAlive after the 404 fails', async () => {
    const target = await bot({ keepAliveMs: 200, keepAliveAfter404: true });
    const result = await playScenario('vanishing-call', {
      webhookUrl: target.webhookUrl,
      ...fast({ keepAliveTimeout: 1 }),
    });
    expect(result.failures).toEqual([
      'The bot kept sending keepAlive after the 404: it still tracks a call that is gone',
    ]);
  });

  it('early-completion: a bot that does not act on the early completion never hangs up', async () => {
    const target = await bot();
    const result = await playScenario('early-completion', {
      webhookUrl: target.webhookUrl,
      ...fast(),
    });
    expect(result.failures).toEqual(['Expected the bot to call Graph hangUp, it did not']);
    const completed = posts(result).findIndex((p) => p.why === 'playPrompt operation completed');
    const prompt = result.steps.findIndex((s) => s.kind === 'graph' && s.action === 'playPrompt');
    // The completion reached the bot before the playPrompt request was answered.
    expect(completed).toBeGreaterThanOrEqual(0);
    expect(result.steps.indexOf(posts(result)[completed]!)).toBeLessThan(prompt);
  });
});

describe('the transcript', () => {
  it('says a followed 302 is a redirect, not a failed expectation', async () => {
    const lines: string[] = [];
    const there = await bot();
    const here = await bot({ redirectTo: there.webhookUrl });
    const result = await playScenario('region-redirect', {
      webhookUrl: here.webhookUrl,
      ...fast({ log: (line) => lines.push(line) }),
    });
    expect(result.passed).toBe(true);
    expect(lines).toContain(
      '  POST   incoming call, Graph format -> 302, a redirect: following Location',
    );
    expect(lines.join('\n')).not.toContain('302 (expected 2xx)');
  });

  it('prints the expectation first and gives it in the result', async () => {
    const lines: string[] = [];
    const target = await bot();
    const result = await playScenario('p2p-call', {
      webhookUrl: target.webhookUrl,
      ...fast({ log: (line) => lines.push(line) }),
    });
    expect(lines[1]).toBe(`  expect ${scenarios['p2p-call']!.botShould}`);
    expect(result.expectation).toBe(scenarios['p2p-call']!.botShould);
  });
});

describe('playScenario misuse', () => {
  it('refuses a mock Graph that signs with another issuer than the scenario', async () => {
    const own = await startMockGraph();
    try {
      await expect(
        playScenario('p2p-call', { webhookUrl: 'http://127.0.0.1:1/', ...fast({ graph: own }) }),
      ).rejects.toMatchObject({
        code: 'invalid_options',
        message: expect.stringContaining('startMockGraph({ issuer })'),
      });
    } finally {
      await own.close();
    }
  });

  it('throws for an unknown scenario name', async () => {
    await expect(
      playScenario('nope', { webhookUrl: 'http://127.0.0.1:1/', ...fast() }),
    ).rejects.toMatchObject({
      code: 'unknown_scenario',
      constructor: EmulatorError,
    });
  });

  it('throws for a webhook URL that is not a URL', async () => {
    await expect(
      playScenario('p2p-call', { webhookUrl: 'not a url', ...fast() }),
    ).rejects.toMatchObject({
      code: 'invalid_options',
    });
  });
});
