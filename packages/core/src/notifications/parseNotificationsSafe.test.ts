import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors';
import { NotificationError } from './NotificationError';
import { parseNotificationsSafe } from './parseNotificationsSafe';

describe('parseNotificationsSafe', () => {
  it('returns the parsed body', () => {
    expect(parseNotificationsSafe('{"value":[]}')).toEqual({
      ok: true,
      value: { format: 'graph', events: [], raw: { value: [] } },
    });
  });

  it('returns the NotificationError instead of throwing it', () => {
    const result = parseNotificationsSafe('{"value":[]}', { maxBytes: 4 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(NotificationError);
    expect(result.error.code).toBe('too_large');
  });

  it('still throws a bug in the caller: an invalid option', () => {
    expect(() => parseNotificationsSafe('{}', { maxDepth: -1 })).toThrow(ConfigError);
  });
});
