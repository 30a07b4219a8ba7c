import { describe, expect, it } from 'vitest';
import { fuzzAdapter, fuzzHandle } from '../src/reliability/fuzz';
import { FRAMEWORKS } from '../src/servers';

describe('fuzz: arbitrary headers and bodies', () => {
  it('webhook.handle always answers a documented status, never echoes a token, never hangs', async () => {
    const result = await fuzzHandle(300);
    expect(result.failure).toBeUndefined();
    expect(Object.values(result.statuses).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(300);
  });

  for (const framework of FRAMEWORKS) {
    it(`the ${framework} adapter over HTTP always answers a documented status`, async () => {
      const result = await fuzzAdapter(framework, 100);
      expect(result.failure).toBeUndefined();
    });
  }
});
