import { describe, expect, it } from 'vitest';
import { unexpectedOutcomes } from '../src/httpBench';
import type { LoadResult } from '../src/load';

const load = (statusCounts: Record<string, number>, errors = 0, timeouts = 0): LoadResult => ({
  requestsPerSec: 1000,
  serverCpuUsPerRequest: 50,
  latencyP50Ms: 1,
  latencyP99Ms: 2,
  total: 1000,
  statusCounts,
  errors,
  timeouts,
});

describe('the HTTP bench voids a run that did not answer 202 throughout', () => {
  it('accepts a run of 202s only', () => {
    expect(unexpectedOutcomes(load({ '202': 1000 }))).toBeUndefined();
  });

  it.each([
    ['a fast 401', { '202': 990, '401': 10 }, 0, 0, '10 x HTTP 401'],
    ['only 401s', { '401': 1000 }, 0, 0, 'no 202 at all'],
    ['a 5xx', { '202': 999, '503': 1 }, 0, 0, '1 x HTTP 503'],
    ['client errors', { '202': 1000 }, 3, 0, '3 errors'],
    ['timeouts', { '202': 1000 }, 0, 2, '2 timeouts'],
  ] as const)('refuses %s', (_name, statuses, errors, timeouts, problem) => {
    expect(unexpectedOutcomes(load(statuses, errors, timeouts))).toContain(problem);
  });
});
