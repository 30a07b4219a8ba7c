import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ACCESS_TOKEN, countingCredential, fakeJwt, scriptedFetch } from '../test/fakeGraph';
import { recordingLogger } from '../test/silentLogger';
import { createCallsClient } from './createCallsClient';
import { TokenCache } from './TokenCache';

const START = Date.parse('2026-11-27T12:00:00Z');
const MINUTE = 60_000;

beforeEach(() => {
  vi.useFakeTimers({ now: START });
});
afterEach(() => {
  vi.useRealTimers();
});

const cacheWith = (credential: ConstructorParameters<typeof TokenCache>[0]) =>
  new TokenCache(credential, Date.now, recordingLogger().logger);

describe('access tokens', () => {
  it('50 concurrent calls cause one getToken, for the cloud’s .default scope', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const credential = countingCredential(async () => {
      await gate;
      return { token: ACCESS_TOKEN, expiresOnTimestamp: Date.now() + 60 * MINUTE };
    });
    const { fetch, seen } = scriptedFetch([{ status: 202 }]);
    const calls = createCallsClient({ credential, fetch, logger: recordingLogger().logger });
    const answers = Array.from({ length: 50 }, (_, i) =>
      calls.answer(`call-${i}`, { acceptedModalities: ['audio'] }),
    );
    await vi.advanceTimersByTimeAsync(10);
    release();
    await Promise.all(answers);
    expect(credential.calls).toBe(1);
    expect(credential.scopes).toEqual([['https://graph.microsoft.com/.default']]);
    expect(seen).toHaveLength(50);
    await calls.hangUp('call-0');
    expect(credential.calls).toBe(1);
  });

  it('is reused until refreshAfterTimestamp, then refreshed in the background once', async () => {
    let n = 0;
    const credential = countingCredential(() => ({
      token: `token-${++n}`,
      expiresOnTimestamp: START + 60 * MINUTE,
      refreshAfterTimestamp: START + 30 * MINUTE,
    }));
    const cache = cacheWith(credential);
    expect(await cache.get('s')).toBe('token-1');
    vi.setSystemTime(START + 30 * MINUTE - 1);
    expect(await cache.get('s')).toBe('token-1');
    expect(credential.calls).toBe(1);
    vi.setSystemTime(START + 30 * MINUTE);
    // Still valid: answered at once with the current token while one refresh runs.
    expect(await Promise.all([cache.get('s'), cache.get('s')])).toEqual(['token-1', 'token-1']);
    await vi.advanceTimersByTimeAsync(0);
    expect(credential.calls).toBe(2);
    expect(await cache.get('s')).toBe('token-2');
  });

  it('without refreshAfterTimestamp, refreshes 2 minutes before expiry; an expired token is waited for', async () => {
    let n = 0;
    const credential = countingCredential(() => ({
      token: `token-${++n}`,
      expiresOnTimestamp: Date.now() + 60 * MINUTE,
    }));
    const cache = cacheWith(credential);
    await cache.get('s');
    vi.setSystemTime(START + 58 * MINUTE - 1);
    await cache.get('s');
    expect(credential.calls).toBe(1);
    vi.setSystemTime(START + 58 * MINUTE);
    await cache.get('s');
    await vi.advanceTimersByTimeAsync(0);
    expect(credential.calls).toBe(2);
    vi.setSystemTime(START + 200 * MINUTE);
    expect(await cache.get('s')).toBe('token-3');
  });

  it('keeps one cache entry per scope', async () => {
    const credential = countingCredential();
    const cache = cacheWith(credential);
    await cache.get('a');
    await cache.get('b');
    await cache.get('a');
    expect(credential.scopes).toEqual([['a'], ['b']]);
  });

  it('a function credential is reused until its JWT exp, an opaque one per burst', async () => {
    const jwt = fakeJwt({ exp: Math.floor(START / 1000) + 3600 });
    const asked: string[] = [];
    const cache = cacheWith(async (scope) => {
      asked.push(scope);
      return jwt;
    });
    await cache.get('s');
    await cache.get('s');
    expect(asked).toEqual(['s']);

    let opaqueCalls = 0;
    const opaque = cacheWith(async () => {
      opaqueCalls++;
      return 'opaque-token';
    });
    await Promise.all([opaque.get('s'), opaque.get('s'), opaque.get('s')]);
    expect(opaqueCalls).toBe(1);
    vi.setSystemTime(START + 1);
    await opaque.get('s');
    expect(opaqueCalls).toBe(2);
  });

  it('a failed background refresh is logged and the valid token keeps working', async () => {
    let n = 0;
    const log = recordingLogger();
    const cache = new TokenCache(
      {
        getToken: async () => {
          if (++n === 2) throw new Error('identity endpoint down');
          return { token: `token-${n}`, expiresOnTimestamp: START + 60 * MINUTE };
        },
      },
      Date.now,
      log.logger,
    );
    await cache.get('s');
    vi.setSystemTime(START + 59 * MINUTE);
    expect(await cache.get('s')).toBe('token-1');
    await vi.advanceTimersByTimeAsync(0);
    expect(log.lines.some((line) => line.level === 'warn')).toBe(true);
    expect(await cache.get('s')).toBe('token-1');
    await vi.advanceTimersByTimeAsync(0);
    expect(await cache.get('s')).toBe('token-3');
  });
});
