import { describe, expect, it } from 'vitest';
import { fixture } from '../../test/support/fixtures';
import { measureParsedBody } from './measureParsedBody';

const utf8 = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;

describe('measureParsedBody', () => {
  it.each([
    ['an empty object', {}],
    ['an empty array', []],
    ['scalars', { a: 1, b: -2.5, c: true, d: false, e: null, f: 'text' }],
    ['nested arrays', [[], [1, [2, [3]]], { x: [] }]],
    ['multi-byte text', { clé: 'déjà vu €, 😀' }],
  ])('counts %s as the bytes of its compact JSON', (_name, value) => {
    expect(measureParsedBody(value, Number.MAX_SAFE_INTEGER)).toBe(utf8(value));
  });

  it('counts a real notification within a few bytes (escapes are not counted)', () => {
    const notification = fixture('graph-incoming-call-p2p');
    const size = measureParsedBody(notification, Number.MAX_SAFE_INTEGER);
    expect(size).toBeLessThanOrEqual(utf8(notification));
    expect(size).toBeGreaterThan(utf8(notification) - 16);
  });

  it('stops soon after passing the limit, however large, shared or cyclic the value', () => {
    const huge = Array.from({ length: 1_000_000 }, (_, i) => ({ i }));
    const started = performance.now();
    expect(measureParsedBody(huge, 1024)).toBeGreaterThan(1024);
    const cyclic: Record<string, unknown> = { a: 'x' };
    cyclic.self = cyclic;
    expect(measureParsedBody(cyclic, 1024)).toBeGreaterThan(1024);
    let shared: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 40; i++) shared = { a: shared, b: shared };
    expect(measureParsedBody(shared, 1024)).toBeGreaterThan(1024);
    expect(performance.now() - started).toBeLessThan(200);
  });
});
