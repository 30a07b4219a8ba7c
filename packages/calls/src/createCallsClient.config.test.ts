import { ConfigError, createCallWebhook } from '@callgate/core';
import { describe, expect, it } from 'vitest';
import { ACCESS_TOKEN, countingCredential, fakeJwt, scriptedFetch } from '../test/fakeGraph';
import { recordingLogger } from '../test/silentLogger';
import { CALLS_CLOUDS } from './clouds';
import { type CallsClientOptions, createCallsClient } from './createCallsClient';
import { InvalidInputError } from './InvalidInputError';

const quiet = () => recordingLogger().logger;

function clientWith(options: Partial<CallsClientOptions>) {
  const scripted = scriptedFetch([{ status: 200, body: { id: 'op' } }]);
  const credential = countingCredential();
  const calls = createCallsClient({
    credential,
    fetch: scripted.fetch,
    logger: quiet(),
    ...options,
  });
  return { calls, seen: scripted.seen, credential };
}

describe('clouds', () => {
  it.each([
    ['public', 'https://graph.microsoft.com'],
    ['gcch', 'https://graph.microsoft.us'],
    ['dod', 'https://dod-graph.microsoft.us'],
  ] as const)('%s sends to %s/v1.0 with the <root>/.default scope', async (cloud, root) => {
    const { calls, seen, credential } = clientWith({ cloud });
    expect(calls.baseUrl).toBe(`${root}/v1.0`);
    expect(calls.scope).toBe(`${root}/.default`);
    await calls.hangUp('c1');
    expect(seen[0]?.url).toBe(`${root}/v1.0/communications/calls/c1`);
    expect(credential.scopes).toEqual([[`${root}/.default`]]);
  });

  it('refuses sendDtmfTones in the US Government clouds, saying why, and sends nothing', async () => {
    for (const cloud of ['gcch', 'dod'] as const) {
      const { calls, seen } = clientWith({ cloud });
      const refusal = calls.sendDtmfTones('c1', { tones: ['tone1'] });
      await expect(refusal).rejects.toBeInstanceOf(ConfigError);
      await expect(refusal).rejects.toThrow(
        /not available in US Government L[45].*global service only/,
      );
      expect(seen).toHaveLength(0);
      await calls.playPrompt('c1', { prompts: [] });
      expect(seen).toHaveLength(1);
    }
    const { calls } = clientWith({ cloud: 'public' });
    await expect(calls.sendDtmfTones('c1', { tones: ['tone1'] })).resolves.toMatchObject({
      id: 'op',
    });
  });

  it('refuses China at construction (no calls API is offered there), unless given a baseUrl', () => {
    expect(() => clientWith({ cloud: 'china' })).toThrow(ConfigError);
    expect(() => clientWith({ cloud: 'china' })).toThrow(
      /not available in China operated by 21Vianet/,
    );
    const { calls } = clientWith({
      cloud: 'china',
      baseUrl: 'https://graph.example.cn/v1.0',
      scope: 'https://graph.example.cn/.default',
    });
    expect(calls.baseUrl).toBe('https://graph.example.cn/v1.0');
    expect(CALLS_CLOUDS.china.unavailable).toBe('all');
  });

  it('takes baseUrl + scope (the emulator on loopback), scope defaulting to the origin', () => {
    const { calls } = clientWith({ baseUrl: 'http://127.0.0.1:4000/v1.0/' });
    expect(calls.baseUrl).toBe('http://127.0.0.1:4000/v1.0');
    expect(calls.scope).toBe('http://127.0.0.1:4000/.default');
  });
});

describe('configuration is refused at construction', () => {
  it.each([
    ['no credential', { credential: undefined as never }],
    ['a credential without getToken', { credential: {} as never }],
    ['an unknown cloud', { cloud: 'mars' as never }],
    ['an http baseUrl off loopback', { baseUrl: 'http://graph.contoso.com/v1.0' }],
    ['an empty scope', { scope: '' }],
    ['a zero timeout', { timeout: 0 }],
    ['negative retries', { retry: { maxRetries: -1 } }],
    ['a logger without warn', { logger: { debug() {}, info() {}, error() {} } as never }],
  ])('%s', (_name, options) => {
    expect(() => createCallsClient({ credential: countingCredential(), ...options })).toThrow(
      ConfigError,
    );
  });

  it('refuses a webhook that cannot build a callbackUri (no publicUrl, no partitions)', () => {
    const webhook = createCallWebhook({ appId: 'bot' });
    expect(() => createCallsClient({ credential: countingCredential(), webhook })).toThrow(
      /cannot build a callbackUri.*publicUrl/,
    );
    const ready = createCallWebhook({
      appId: 'bot',
      publicUrl: 'https://bot.contoso.com/api/calls',
    });
    expect(() =>
      createCallsClient({ credential: countingCredential(), webhook: ready, logger: quiet() }),
    ).not.toThrow();
  });

  it('rejects (never throws synchronously) bad arguments, before sending anything', async () => {
    const { calls, seen } = clientWith({});
    await expect(calls.hangUp('')).rejects.toBeInstanceOf(InvalidInputError);
    await expect(calls.answer('c1', null as never)).rejects.toThrow(/body must be an object/);
    await expect(calls.playPrompt('c1', [] as never)).rejects.toBeInstanceOf(InvalidInputError);
    expect(seen).toHaveLength(0);
  });
});

describe('warm()', () => {
  it('fetches the token once and warns, naming them, about missing Calls.* roles', async () => {
    const log = recordingLogger();
    const token = fakeJwt({ roles: ['Calls.JoinGroupCall.All'] });
    const credential = countingCredential(() => ({
      token,
      expiresOnTimestamp: Date.now() + 3_600_000,
    }));
    const calls = createCallsClient({
      credential,
      logger: log.logger,
      requiredRoles: ['Calls.Initiate.All', 'Calls.AccessMedia.All'],
      fetch: scriptedFetch([{ status: 204 }]).fetch,
    });
    const result = await calls.warm();
    expect(result).toEqual({
      roles: ['Calls.JoinGroupCall.All'],
      missingRoles: ['Calls.Initiate.All', 'Calls.AccessMedia.All'],
    });
    const warning = log.lines.find((line) => line.level === 'warn');
    expect(warning?.message).toContain('Calls.Initiate.All, Calls.AccessMedia.All');
    await calls.hangUp('c1');
    expect(credential.calls).toBe(1);
    expect(JSON.stringify(log.lines)).not.toContain(token);
  });

  it('says nothing when the roles are there, and reports unreadable tokens as unknown', async () => {
    const log = recordingLogger();
    const good = createCallsClient({ credential: countingCredential(), logger: log.logger });
    expect(await good.warm()).toEqual({
      roles: ['Calls.Initiate.All', 'Calls.AccessMedia.All'],
      missingRoles: [],
    });
    expect(log.lines.filter((line) => line.level === 'warn')).toEqual([]);
    const opaque = createCallsClient({ credential: async () => 'opaque', logger: log.logger });
    expect(await opaque.warm()).toEqual({ roles: undefined, missingRoles: [] });
    expect(ACCESS_TOKEN.split('.')).toHaveLength(3);
  });

  it('rejects with credential_failed when the credential fails', async () => {
    const calls = createCallsClient({
      credential: async () => {
        throw new Error('no managed identity here');
      },
      logger: quiet(),
    });
    await expect(calls.warm()).rejects.toMatchObject({ code: 'credential_failed' });
  });
});
