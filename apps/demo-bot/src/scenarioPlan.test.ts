import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { planFor } from './scenarioPlan';

describe('planFor', () => {
  it('answers real callers and does nothing special once established', () => {
    expect(planFor('Alice')).toEqual({ onIncoming: 'answer', onEstablished: 'nothing' });
    expect(planFor(undefined)).toEqual({ onIncoming: 'answer', onEstablished: 'nothing' });
  });

  it("follows the emulator's scenario named in the caller", () => {
    expect(planFor('Emulator caller: rejected-call').onIncoming).toBe('reject');
    expect(planFor('Emulator caller: never-answers').onIncoming).toBe('ignore');
    expect(planFor('Emulator caller: transfer').onEstablished).toBe('transfer');
    expect(planFor('Emulator caller: play-prompt').onEstablished).toBe('playPrompt');
  });
});

describe('loadConfig', () => {
  it('needs the app id and the public URL, and says which variable is missing', () => {
    expect(() => loadConfig({})).toThrow(/CALLGATE_APP_ID/);
    expect(() => loadConfig({ CALLGATE_APP_ID: 'a' })).toThrow(/CALLGATE_PUBLIC_URL/);
  });

  it('reads a real-tenant configuration from the environment', () => {
    const config = loadConfig({
      CALLGATE_APP_ID: 'app',
      CALLGATE_PUBLIC_URL: 'https://bot.example.com/api/calls',
      CALLGATE_CLOUD: 'gcch',
      PORT: '8080',
      CALLGATE_DEPLOYMENTS: '{"amer":"https://amer.example/api/calls"}',
    });
    expect(config).toMatchObject({
      appId: 'app',
      cloud: 'gcch',
      port: 8080,
      graphUrl: 'https://graph.microsoft.com/v1.0',
      deployment: 'main',
      deployments: { amer: 'https://amer.example/api/calls' },
      partitions: { p1: 'https://bot.example.com/api/calls' },
      issuers: undefined,
    });
  });

  it('refuses an unknown cloud and malformed JSON', () => {
    const base = { CALLGATE_APP_ID: 'a', CALLGATE_PUBLIC_URL: 'https://x.example/api' };
    expect(() => loadConfig({ ...base, CALLGATE_CLOUD: 'mars' })).toThrow(/CALLGATE_CLOUD/);
    expect(() => loadConfig({ ...base, CALLGATE_REGION_MAP: '{' })).toThrow(
      /CALLGATE_REGION_MAP must be JSON/,
    );
  });
});
