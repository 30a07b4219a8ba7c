import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCESS_TOKEN, countingCredential, scriptedFetch } from '../test/fakeGraph';
import { recordingLogger } from '../test/silentLogger';
import type { CallsClient } from './CallsClient';
import { type CallsClientOptions, createCallsClient } from './createCallsClient';
import { GraphError } from './GraphError';

const START = Date.parse('2026-11-27T12:00:00Z');
const CALL = 'c1';

function clientWith(
  replies: Parameters<typeof scriptedFetch>[0],
  options: Partial<CallsClientOptions> = {},
) {
  const scripted = scriptedFetch(replies);
  const log = recordingLogger();
  const credential = countingCredential(() => ({
    token: ACCESS_TOKEN,
    expiresOnTimestamp: Date.now() + 3_600_000,
  }));
  const calls = createCallsClient({
    credential,
    fetch: scripted.fetch,
    logger: log.logger,
    ...options,
  });
  return { calls, seen: scripted.seen, log, credential };
}

const header = (init: RequestInit, name: string) => (init.headers as Record<string, string>)[name];

/** Settles `promise` while fake time advances; returns its error, if any. */
async function failureOf(promise: Promise<unknown>, advanceMs = 120_000): Promise<GraphError> {
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

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('retries honour Retry-After', () => {
  it.each([
    ['Retry-After seconds', { 'retry-after': '2' }, 2000],
    ['Retry-After fractional seconds', { 'retry-after': '0.5' }, 500],
    ['Retry-After HTTP date', { 'retry-after': new Date(START + 3000).toUTCString() }, 3000],
    ['retry-after-ms', { 'retry-after-ms': '250' }, 250],
    ['x-ms-retry-after-ms', { 'x-ms-retry-after-ms': '750' }, 750],
    ['retry-after-ms before Retry-After', { 'retry-after-ms': '100', 'retry-after': '9' }, 100],
  ])('%s', async (_name, headers, waitMs) => {
    const { calls, seen } = clientWith([{ status: 429, headers }, { status: 202 }]);
    const answered = calls.answer(CALL, { acceptedModalities: ['audio'] });
    await vi.advanceTimersByTimeAsync(waitMs - 1);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await answered;
    expect(seen).toHaveLength(2);
    expect(seen[1]!.at - seen[0]!.at).toBe(waitMs);
  });

  it('retries 503 and 504 with exponential backoff and jitter when no Retry-After is given', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { calls, seen } = clientWith([{ status: 503 }, { status: 504 }, { status: 200 }]);
    const done = calls.keepAlive(CALL);
    await vi.advanceTimersByTimeAsync(10_000);
    await done;
    // random 0 → half of 500 ms, then half of 1000 ms
    expect(seen.map((s) => s.at - START)).toEqual([0, 250, 750]);

    vi.spyOn(Math, 'random').mockReturnValue(1);
    const second = clientWith([{ status: 503 }, { status: 503 }, { status: 200 }]);
    const start = Date.now();
    const again = second.calls.keepAlive(CALL);
    await vi.advanceTimersByTimeAsync(10_000);
    await again;
    expect(second.seen.map((s) => s.at - start)).toEqual([0, 500, 1500]);
  });

  it('sends the same client-request-id on every retry, a new one per call, and the caller’s when given', async () => {
    const { calls, seen } = clientWith([
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 202 },
    ]);
    const first = calls.answer(CALL, { acceptedModalities: ['audio'] });
    await vi.advanceTimersByTimeAsync(1000);
    await first;
    const [a, b] = seen.map((s) => header(s.init, 'client-request-id'));
    expect(a).toBe(b);
    await calls.hangUp(CALL);
    expect(header(seen[2]!.init, 'client-request-id')).not.toBe(a);
    await calls.hangUp(CALL, { clientRequestId: 'mine-1' });
    expect(header(seen[3]!.init, 'client-request-id')).toBe('mine-1');
  });

  it('gives up after maxRetries with http_error carrying the last status and retryAfter', async () => {
    const { calls, seen } = clientWith([{ status: 429, headers: { 'retry-after': '1' } }], {
      retry: { maxRetries: 2 },
    });
    const error = await failureOf(calls.answer(CALL, { acceptedModalities: ['audio'] }));
    expect(seen).toHaveLength(3);
    expect(error).toMatchObject({ code: 'http_error', status: 429, retryAfter: 1, attempts: 3 });
  });

  it('does not wait longer than retry.maxDelay: a longer Retry-After fails at once', async () => {
    const { calls, seen } = clientWith([{ status: 503, headers: { 'retry-after': '60' } }], {
      retry: { maxDelay: 30 },
    });
    const error = await failureOf(calls.get(CALL), 0);
    expect(seen).toHaveLength(1);
    expect(error).toMatchObject({ code: 'http_error', status: 503, retryAfter: 60, attempts: 1 });
  });

  it('never retries other statuses', async () => {
    for (const status of [400, 403, 404, 409, 500, 502]) {
      const { calls, seen } = clientWith([{ status }]);
      const error = await failureOf(calls.hangUp(CALL), 0);
      expect(error).toMatchObject({ code: 'http_error', status, attempts: 1 });
      expect(seen).toHaveLength(1);
    }
  });
});

describe('failures without a response', () => {
  const retried: [string, (c: CallsClient) => Promise<unknown>][] = [
    ['get', (c) => c.get(CALL)],
    ['hangUp', (c) => c.hangUp(CALL)],
    ['removeParticipant', (c) => c.removeParticipant(CALL, 'p1')],
    ['keepAlive', (c) => c.keepAlive(CALL)],
    ['listParticipants', (c) => c.listParticipants(CALL)],
    ['getParticipant', (c) => c.getParticipant(CALL, 'p1')],
  ];
  const notRetried: [string, (c: CallsClient) => Promise<unknown>][] = [
    ['answer', (c) => c.answer(CALL, { acceptedModalities: ['audio'] })],
    ['reject', (c) => c.reject(CALL)],
    ['redirect', (c) => c.redirect(CALL, { targets: [] })],
    ['transfer', (c) => c.transfer(CALL, { transferTarget: { identity: {} } })],
    ['playPrompt', (c) => c.playPrompt(CALL, { prompts: [] })],
    ['inviteParticipants', (c) => c.inviteParticipants(CALL, { participants: [] })],
    ['create', (c) => c.create({ requestedModalities: ['audio'] })],
    ['mute', (c) => c.mute(CALL)],
  ];

  it.each(retried)('%s is retried after a network failure', async (_name, invoke) => {
    const ok = { status: 200, body: { value: [], id: 'x' } };
    const { calls, seen } = clientWith([new TypeError('fetch failed'), ok]);
    const done = invoke(calls);
    await vi.advanceTimersByTimeAsync(5_000);
    await done;
    expect(seen).toHaveLength(2);
  });

  it.each(notRetried)('%s is not retried: its outcome is unknown', async (_name, invoke) => {
    const { calls, seen, log } = clientWith([new TypeError('fetch failed'), { status: 202 }]);
    const error = await failureOf(invoke(calls), 5_000);
    expect(error.code).toBe('network_error');
    expect(error.status).toBeUndefined();
    expect(error.attempts).toBe(1);
    expect(seen).toHaveLength(1);
    expect(log.lines.some((line) => line.level === 'warn')).toBe(true);
  });

  it('an attempt over `timeout` fails with timeout (and is retried where safe)', async () => {
    const hanging = (_url: unknown, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () =>
          reject(new DOMException('aborted', 'AbortError')),
        ),
      );
    const attempts: number[] = [];
    const calls = createCallsClient({
      credential: countingCredential(),
      fetch: ((url: unknown, init?: RequestInit) => {
        attempts.push(Date.now() - START);
        return hanging(url, init);
      }) as typeof fetch,
      logger: recordingLogger().logger,
      timeout: 2,
      retry: { maxRetries: 1 },
    });
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const answer = await failureOf(calls.answer(CALL, { acceptedModalities: ['audio'] }), 10_000);
    expect(answer).toMatchObject({ code: 'timeout', attempts: 1 });
    attempts.length = 0;
    const start = Date.now() - START;
    const get = await failureOf(calls.get(CALL), 10_000);
    expect(get).toMatchObject({ code: 'timeout', attempts: 2 });
    expect(attempts.map((at) => at - start)).toEqual([0, 2250]);
  });

  it('the caller’s signal aborts an attempt and a retry wait with `aborted`', async () => {
    const { calls } = clientWith([{ status: 429, headers: { 'retry-after': '5' } }]);
    const controller = new AbortController();
    const pending = failureOf(calls.get(CALL, { signal: controller.signal }), 0);
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort();
    const error = await pending;
    expect(error.code).toBe('aborted');
    expect(error.attempts).toBe(1);
    const already = await failureOf(calls.get(CALL, { signal: AbortSignal.abort() }), 0);
    expect(already).toMatchObject({ code: 'aborted', attempts: 0 });
  });
});

describe('errors say what Graph said, never the token', () => {
  it('http_error carries status, graphCode, message, requestId, clientRequestId, date, attempts', async () => {
    const { calls, seen, log } = clientWith([
      {
        status: 404,
        headers: { 'request-id': 'req-header', date: 'Fri, 27 Nov 2026 12:00:00 GMT' },
        body: {
          error: {
            code: 'NotFound',
            message: 'Call not found',
            innerError: { 'request-id': 'req-body', date: '2026-11-27T12:00:00' },
          },
        },
      },
    ]);
    const error = await failureOf(calls.playPrompt(CALL, { prompts: [] }), 0);
    expect(error).toMatchObject({
      name: 'GraphError',
      code: 'http_error',
      status: 404,
      graphCode: 'NotFound',
      graphMessage: 'Call not found',
      requestId: 'req-header',
      clientRequestId: header(seen[0]!.init, 'client-request-id'),
      date: '2026-11-27T12:00:00',
      attempts: 1,
      operation: 'playPrompt',
      method: 'POST',
      path: `/communications/calls/${CALL}/playPrompt`,
    });
    expect(error.message).toContain('404 NotFound: Call not found');
    expect(error.message).toContain('req-header');
    const everything = JSON.stringify({
      error,
      message: error.message,
      stack: error.stack,
      logs: log.lines,
    });
    expect(everything).not.toContain(ACCESS_TOKEN);
    expect(log.lines.find((line) => line.level === 'warn')?.fields.requestId).toBe('req-header');
  });

  it('logs request-id of successful requests', async () => {
    const { calls, log } = clientWith([{ status: 202, headers: { 'request-id': 'req-ok' } }]);
    await calls.answer(CALL, { acceptedModalities: ['audio'] });
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        fields: expect.objectContaining({ requestId: 'req-ok' }),
      }),
    );
    expect(JSON.stringify(log.lines)).not.toContain(ACCESS_TOKEN);
  });

  it('invalid_response for a 2xx body that is not what the method returns', async () => {
    const notJson = clientWith([{ status: 200, body: undefined, headers: {} }]);
    const error = await failureOf(notJson.calls.get(CALL), 0);
    expect(error).toMatchObject({ code: 'invalid_response', status: 200 });
    const list = clientWith([{ status: 200, body: [1, 2] }]);
    expect((await failureOf(list.calls.listParticipants(CALL), 0)).code).toBe('invalid_response');
  });

  it('invalid_response counts the attempts it took to get the 2xx', async () => {
    const retried = clientWith([{ status: 503 }, { status: 200, body: [1, 2] }]);
    const error = await failureOf(retried.calls.get(CALL));
    expect(error).toMatchObject({ code: 'invalid_response', status: 200, attempts: 2 });
  });

  it('credential_failed when the credential throws or returns null, with its message', async () => {
    const throwing = createCallsClient({
      credential: {
        getToken: async () => {
          throw new Error('AADSTS7000215: Invalid client secret provided.');
        },
      },
      fetch: scriptedFetch([{ status: 202 }]).fetch,
      logger: recordingLogger().logger,
    });
    const error = await failureOf(throwing.answer(CALL, { acceptedModalities: ['audio'] }), 0);
    expect(error).toMatchObject({ code: 'credential_failed', attempts: 0 });
    expect(error.message).toContain('AADSTS7000215');
    const nothing = createCallsClient({
      credential: { getToken: async () => null },
      fetch: scriptedFetch([{ status: 202 }]).fetch,
      logger: recordingLogger().logger,
    });
    expect((await failureOf(nothing.hangUp(CALL), 0)).code).toBe('credential_failed');
  });

  it('forgets the token after a 401, so the next request fetches a new one', async () => {
    const { calls, credential } = clientWith([{ status: 401 }, { status: 204 }]);
    await failureOf(calls.hangUp(CALL), 0);
    await calls.hangUp(CALL);
    expect(credential.calls).toBe(2);
  });
});
