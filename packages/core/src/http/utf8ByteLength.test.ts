import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from './utf8ByteLength';

describe('utf8ByteLength', () => {
  it.each([
    ['', 0],
    ['abc', 3],
    ['é', 2],
    ['€', 3],
    ['😀', 4],
    ['\ud800', 3],
    ['\udc00x', 4],
    ['a\u00e9\u20ac\ud83d\ude00', 10],
  ])('%j is as long as TextEncoder says', (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
    expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).byteLength);
  });
});
