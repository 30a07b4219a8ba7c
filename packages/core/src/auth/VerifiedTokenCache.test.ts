import { describe, expect, it } from 'vitest';
import { VerifiedTokenCache } from './VerifiedTokenCache';

describe('VerifiedTokenCache', () => {
  it('keeps at most maxEntries, dropping the least recently used first', () => {
    const cache = new VerifiedTokenCache<number>(8);
    for (let i = 0; i < 8; i++) cache.set(`t${i}`, i);
    expect(cache.get('t0')).toBe(0); // t0 is now the most recent; t1 the oldest
    cache.set('t8', 8);
    expect(cache.size).toBeLessThanOrEqual(8);
    expect(cache.has('t1')).toBe(false);
    expect(cache.get('t0')).toBe(0);
    expect(cache.get('t8')).toBe(8);
  });

  it('never holds more than maxEntries under a stream of new tokens, and keeps the newest', () => {
    const cache = new VerifiedTokenCache<number>(100);
    for (let i = 0; i < 10_000; i++) {
      cache.set(`token-${i}`, i);
      expect(cache.size).toBeLessThanOrEqual(100);
      expect(cache.get(`token-${i}`)).toBe(i);
    }
    expect(cache.size).toBeGreaterThanOrEqual(100 - 100 / 8);
    expect(cache.has('token-0')).toBe(false);
  });

  it('answers an equal string that is not the same object (a new request, the same token)', () => {
    const cache = new VerifiedTokenCache<string>(4);
    const token = `${'a'.repeat(600)}.${'b'.repeat(600)}`;
    cache.set(token, 'caller');
    const again = ['a'.repeat(600), 'b'.repeat(600)].join('.');
    expect(cache.has(again)).toBe(true);
    expect(cache.get(again)).toBe('caller');
  });

  it('forgets a deleted token, the newest one included', () => {
    const cache = new VerifiedTokenCache<number>(4);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.delete('b');
    expect(cache.has('b')).toBe(false);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stores nothing with maxEntries 0', () => {
    const cache = new VerifiedTokenCache<number>(0);
    cache.set('a', 1);
    expect(cache.has('a')).toBe(false);
    expect(cache.get('a')).toBeUndefined();
  });
});
