import { describe, expect, it } from 'vitest';
import { pathMatches } from './pathMatches';

describe('pathMatches', () => {
  it('matches the exact path, ignoring the query string and fragment', () => {
    expect(pathMatches('/api/calls', '/api/calls')).toBe(true);
    expect(pathMatches('/api/calls?a=1&b=2', '/api/calls')).toBe(true);
    expect(pathMatches('/api/calls#x', '/api/calls')).toBe(true);
  });

  it('does not match prefixes, extensions, trailing slashes or other case', () => {
    expect(pathMatches('/api/calls/', '/api/calls')).toBe(false);
    expect(pathMatches('/api/calls/1', '/api/calls')).toBe(false);
    expect(pathMatches('/api/call', '/api/calls')).toBe(false);
    expect(pathMatches('/API/calls', '/api/calls')).toBe(false);
  });

  it('treats a missing url as the root', () => {
    expect(pathMatches(undefined, '/')).toBe(true);
    expect(pathMatches(undefined, '/api/calls')).toBe(false);
  });
});
