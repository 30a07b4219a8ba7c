import { describe, expect, it } from 'vitest';
import { CallgateError, ConfigError } from '../errors';
import { NotificationError, type NotificationErrorCode } from './NotificationError';
import { parseNotifications } from './parseNotifications';

function callNotification(id: string, state: string, extra: Record<string, unknown> = {}) {
  return {
    changeType: 'updated',
    resourceUrl: `/communications/calls/${id}`,
    resourceData: { '@odata.type': '#microsoft.graph.call', state },
    ...extra,
  };
}

function errorOf(run: () => unknown): NotificationError {
  try {
    run();
  } catch (error) {
    if (error instanceof NotificationError) return error;
    throw error;
  }
  throw new Error('expected a NotificationError, nothing was thrown');
}

function nested(depth: number, innermost: unknown = 1): unknown {
  let value = innermost;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('parseNotifications', () => {
  it('normalises every notification of a body, in order', () => {
    const parsed = parseNotifications({
      value: [
        callNotification('a', 'establishing'),
        callNotification('b', 'established'),
        { changeType: 'deleted', resourceUrl: '/communications/calls/c' },
      ],
    });
    if (parsed.format !== 'graph') throw new Error('expected graph');
    expect(parsed.events.map((event) => [event.type, event.callId])).toEqual([
      ['callStateChanged', 'a'],
      ['callStateChanged', 'b'],
      ['callTerminated', 'c'],
    ]);
  });

  it('reads a body without the envelope @odata.type, and an empty value', () => {
    const parsed = parseNotifications('{"value":[]}');
    expect(parsed).toEqual({ format: 'graph', events: [], raw: { value: [] } });
  });

  it('answers a legacy body with its raw object and no events', () => {
    const body = { callState: 'incoming', participants: [{ identity: '8:skype.user' }] };
    expect(parseNotifications(body)).toEqual({ format: 'legacy', raw: body });
  });

  it('reads text, UTF-8 bytes (with a byte order mark) and ArrayBuffers alike', () => {
    const text = JSON.stringify({ value: [callNotification('é', 'established')] });
    const bytes = new TextEncoder().encode(text);
    const expected = parseNotifications(text);
    expect(parseNotifications(bytes)).toEqual(expected);
    expect(parseNotifications(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]))).toEqual(expected);
    expect(parseNotifications(`\uFEFF${text}`)).toEqual(expected);
    expect(parseNotifications(bytes.slice().buffer)).toEqual(expected);
    expect(expected.format === 'graph' && expected.events[0]?.callId).toBe('é');
  });

  describe('refuses what is not a notification, with a code and a JSON path', () => {
    const valid = callNotification('a', 'established');
    it.each<[string, unknown, NotificationErrorCode, string]>([
      [
        'bytes that are not UTF-8',
        new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]),
        'invalid_encoding',
        '$',
      ],
      ['truncated JSON', '{"value":[', 'invalid_json', '$'],
      ['an empty body', '', 'invalid_json', '$'],
      ['JSON text of an array', '[{"value":[]}]', 'not_an_object', '$'],
      ['JSON null', 'null', 'not_an_object', '$'],
      ['a parsed number', 42, 'not_an_object', '$'],
      ['an empty object', '{}', 'not_a_notification', '$'],
      ['an unrelated object', { foo: 1 }, 'not_a_notification', '$'],
      ['value that is an object', { value: {} }, 'invalid_value', '$.value'],
      ['value that is null', '{"value":null}', 'invalid_value', '$.value'],
      ['an item that is not an object', { value: [valid, 42] }, 'invalid_item', '$.value[1]'],
      ['an item that is an array', { value: [[valid]] }, 'invalid_item', '$.value[0]'],
      [
        'an item without resource',
        { value: [valid, valid, { changeType: 'created' }] },
        'missing_resource',
        '$.value[2]',
      ],
      [
        'a resourceUrl that is not a string',
        { value: [{ changeType: 'created', resourceUrl: 42 }] },
        'missing_resource',
        '$.value[0].resourceUrl',
      ],
      [
        'a resource that is not a string',
        { value: [{ changeType: 'created', resource: { path: '/app/calls/a' } }] },
        'missing_resource',
        '$.value[0].resource',
      ],
      [
        'an empty resourceUrl',
        { value: [{ changeType: 'created', resourceUrl: '' }] },
        'missing_resource',
        '$.value[0].resourceUrl',
      ],
    ])('%s: %s at %s', (_, body, code, path) => {
      const error = errorOf(() => parseNotifications(body));
      expect(error.code).toBe(code);
      expect(error.path).toBe(path);
      expect(error.status).toBe(400);
      expect(error).toBeInstanceOf(CallgateError);
      expect(error.name).toBe('NotificationError');
    });

    it('names the likely cause in its messages', () => {
      expect(errorOf(() => parseNotifications('')).message).toMatch(/body parser/);
      expect(errorOf(() => parseNotifications(new Uint8Array([0xff]))).message).toMatch(
        /charset|gzip/,
      );
      expect(errorOf(() => parseNotifications({ foo: 1, bar: 2 })).message).toContain(
        '"foo", "bar"',
      );
      expect(errorOf(() => parseNotifications({ value: 'x' })).message).toContain('a string');
      expect(errorOf(() => parseNotifications({ value: [null] })).message).toContain(
        '$.value[0] is null',
      );
    });
  });

  describe('size limit', () => {
    const body = JSON.stringify({ value: [callNotification('a', 'established')] });
    const size = new TextEncoder().encode(body).byteLength;

    it('accepts a body of exactly maxBytes and refuses one byte more with 413', () => {
      expect(parseNotifications(body, { maxBytes: size }).format).toBe('graph');
      const error = errorOf(() => parseNotifications(body, { maxBytes: size - 1 }));
      expect(error.code).toBe('too_large');
      expect(error.status).toBe(413);
      expect(error.message).toContain(`maxBytes (${size - 1})`);
    });

    it('counts UTF-8 bytes, not characters, for text', () => {
      const wide = JSON.stringify({ value: [], note: '€'.repeat(100) });
      const bytes = new TextEncoder().encode(wide).byteLength;
      expect(bytes).toBe(wide.length + 200);
      expect(parseNotifications(wide, { maxBytes: bytes }).format).toBe('graph');
      expect(errorOf(() => parseNotifications(wide, { maxBytes: bytes - 1 })).code).toBe(
        'too_large',
      );
    });

    it('checks bytes before decoding them', () => {
      const invalid = new Uint8Array(2048).fill(0xff);
      expect(errorOf(() => parseNotifications(invalid, { maxBytes: 1024 })).code).toBe('too_large');
    });

    it('defaults to 1 MiB', () => {
      const padding = 'x'.repeat(1024 * 1024);
      expect(errorOf(() => parseNotifications(`{"value":[],"p":"${padding}"}`)).code).toBe(
        'too_large',
      );
      const fits = `{"value":[],"p":"${'x'.repeat(1024 * 1024 - 30)}"}`;
      expect(parseNotifications(fits).format).toBe('graph');
    });
  });

  describe('depth limit', () => {
    const withDepth = (depth: number) => ({
      // envelope, value, item, resourceData: 4 levels before the nested arrays
      value: [
        { resourceUrl: '/communications/calls/a', resourceData: { deep: nested(depth - 4) } },
      ],
    });

    it('accepts maxDepth levels and refuses one more, as text and as a parsed value', () => {
      expect(parseNotifications(JSON.stringify(withDepth(64))).format).toBe('graph');
      expect(parseNotifications(withDepth(64)).format).toBe('graph');
      for (const body of [JSON.stringify(withDepth(65)), withDepth(65)]) {
        const error = errorOf(() => parseNotifications(body));
        expect(error.code).toBe('too_deep');
        expect(error.path).toBe('$');
        expect(error.message).toContain('maxDepth (64)');
      }
      expect(parseNotifications(withDepth(65), { maxDepth: 65 }).format).toBe('graph');
    });

    it('refuses 100k levels of nesting without overflowing the stack', () => {
      const text = '['.repeat(100_000) + ']'.repeat(100_000);
      expect(errorOf(() => parseNotifications(text)).code).toBe('too_deep');
      expect(errorOf(() => parseNotifications(new TextEncoder().encode(text))).code).toBe(
        'too_deep',
      );
      expect(errorOf(() => parseNotifications({ value: [nested(100_000)] })).code).toBe('too_deep');
      // Unterminated nesting is refused before JSON.parse ever sees it.
      expect(errorOf(() => parseNotifications('{"a":'.repeat(100_000))).code).toBe('too_deep');
    });

    it('accepts a wide body with far more brackets than maxDepth, and refuses deep nesting after them', () => {
      const item = { resourceUrl: '/communications/calls/a', resourceData: { a: [{}], b: {} } };
      const wide = { value: Array.from({ length: 100 }, () => item) };
      expect(parseNotifications(JSON.stringify(wide), { maxDepth: 8 }).format).toBe('graph');
      const deepLast = { value: [...wide.value, withDepth(9).value[0]] };
      expect(
        errorOf(() => parseNotifications(JSON.stringify(deepLast), { maxDepth: 8 })).code,
      ).toBe('too_deep');
    });

    it('does not count brackets inside strings, escaped quotes included', () => {
      const text = JSON.stringify({ value: [], note: `\\"${'[{'.repeat(500)}"` });
      expect(parseNotifications(text).format).toBe('graph');
    });

    it('ends a cyclic parsed value as too_deep instead of looping', () => {
      const cyclic: Record<string, unknown> = { value: [] };
      cyclic.self = cyclic;
      expect(errorOf(() => parseNotifications(cyclic)).code).toBe('too_deep');
    });

    it('walks shared subtrees of a parsed value cheaply', () => {
      let shared: Record<string, unknown> = { leaf: true };
      for (let i = 0; i < 40; i++) shared = { a: shared, b: shared };
      // 2^40 paths, 41 distinct nodes: within the depth limit, and the JSON it stands
      // for is measured only up to maxBytes, so it ends as too_large at once.
      expect(parseNotifications({ value: [], shared }, { maxBytes: Infinity }).format).toBe(
        'graph',
      );
      expect(errorOf(() => parseNotifications({ value: [], shared })).code).toBe('too_large');
    });
  });

  it('refuses limits that cannot work as a configuration error', () => {
    expect(() => parseNotifications('{"value":[]}', { maxBytes: 0 })).toThrow(ConfigError);
    expect(() => parseNotifications('{"value":[]}', { maxDepth: Number.NaN })).toThrow(ConfigError);
    expect(parseNotifications('{"value":[]}', { maxBytes: Number.POSITIVE_INFINITY }).format).toBe(
      'graph',
    );
  });

  describe('prototype pollution', () => {
    const hostile =
      '{"value":[{"resourceUrl":"/communications/calls/x","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"resourceData":{"__proto__":{"polluted":1},"@odata.type":"#microsoft.graph.call","state":"incoming","changeType":"created","source":{"__proto__":{"polluted":1},"region":"westus"},"prototype":{"polluted":1}}}]}';

    it('neither pollutes Object.prototype nor changes the prototype of what it produces', () => {
      const parsed = parseNotifications(hostile);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      if (parsed.format !== 'graph') throw new Error('expected graph');
      const [event] = parsed.events;
      if (event?.type !== 'callStateChanged') throw new Error(`unexpected ${event?.type}`);
      expect(event.state).toBe('incoming');
      for (const object of [event, event.call, event.call.source]) {
        expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
        expect((object as Record<string, unknown>).polluted).toBeUndefined();
      }
    });

    it('keeps the event prototypes intact for the payload of the issue, as text and as bytes', () => {
      const text =
        '{"value":[{"resourceUrl":"/communications/calls/x","__proto__":{"polluted":1},"resourceData":{"__proto__":{"polluted":1},"@odata.type":"#microsoft.graph.call","state":"incoming","changeType":"created"}}]}';
      for (const body of [text, new TextEncoder().encode(text), JSON.parse(text)]) {
        const parsed = parseNotifications(body);
        if (parsed.format !== 'graph') throw new Error('expected graph');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
        for (const event of parsed.events) {
          expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
          expect(event.callId).toBe('x');
          if ('call' in event) expect(Object.getPrototypeOf(event.call)).toBe(Object.prototype);
        }
      }
    });

    it('ignores inherited names such as constructor when reading fields', () => {
      const parsed = parseNotifications(
        '{"value":[{"resourceUrl":"/communications/calls/x","changeType":"created","resourceData":{"@odata.type":"#microsoft.graph.call","state":"incoming","toString":"x"}}]}',
      );
      if (parsed.format !== 'graph') throw new Error('expected graph');
      const [event] = parsed.events;
      if (event?.type !== 'incomingCall') throw new Error(`unexpected ${event?.type}`);
      expect(event.callbackUri).toBeUndefined();
      expect(Object.getPrototypeOf(event.call)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});
