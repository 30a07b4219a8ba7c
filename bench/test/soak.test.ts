import { describe, expect, it } from 'vitest';
import { runSoak } from '../src/reliability/soak';

describe('soak: mixed traffic against the node adapter on loopback', () => {
  it('answers every request of every kind with its documented status, and no valid one with a 5xx', async () => {
    const result = await runSoak({ framework: 'node', durationMs: 3000, concurrency: 8 });

    expect(result.unexpected).toEqual({});
    expect(result.valid5xx).toBe(0);
    for (const kind of [
      'valid',
      'legacy',
      'forged',
      'noToken',
      'malformedJson',
      'oversize',
      'slowClient',
      'wrongMethod',
    ]) {
      expect(Object.keys(result.outcomes).some((key) => key.startsWith(`${kind} `))).toBe(true);
    }
  });
});
