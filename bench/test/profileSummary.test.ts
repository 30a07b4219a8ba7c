import { describe, expect, it } from 'vitest';
import { summarize } from '../src/profileSummary';

// root → handle → verify (2 samples), root → handle (1), root → handle → handle (recursion, 1), root → idle (4)
const frame = (id: number, functionName: string, children: number[] = []) => ({
  id,
  callFrame: { functionName, url: 'file:///x/dist/index.js', lineNumber: id },
  children,
});
const profile = {
  nodes: [
    frame(1, '(root)', [2, 5]),
    frame(2, 'handle', [3, 4]),
    frame(3, 'verify'),
    frame(4, 'handle'),
    frame(5, '(idle)'),
  ],
  samples: [3, 3, 2, 4, 5, 5, 5, 5],
  startTime: 0,
  endTime: 8000, // 1000 µs per sample
};

describe('profileSummary', () => {
  it('gives µs per request of each function, callees included, recursion counted once', () => {
    const totals = new Map(summarize(profile, 2));
    expect(totals.get('handle dist/index.js:2')).toBe(2000); // 4 samples × 1000 µs ÷ 2 requests
    expect(totals.get('verify dist/index.js:3')).toBe(1000);
    expect(totals.get('(idle) dist/index.js:5')).toBe(2000);
    expect(totals.has('handle dist/index.js:4')).toBe(true);
  });

  it('splits the time under the outermost frame of a function by its direct callees', () => {
    const split = summarize(profile, 1, 'handle');
    expect(split[0]).toEqual(['verify dist/index.js:3', 2000]);
    expect(new Map(split)).toEqual(
      new Map([
        ['verify dist/index.js:3', 2000],
        ['handle dist/index.js:4', 1000],
        ['(self)', 1000],
      ]),
    );
  });
});
