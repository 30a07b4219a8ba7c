import { describe, expect, it } from 'vitest';
import { classifyNotification } from './classifyNotification';

describe('classifyNotification', () => {
  it('calls an object with a top-level value array graph, whatever else it has', () => {
    expect(classifyNotification({ value: [] })).toBe('graph');
    expect(classifyNotification('{"value":[{"resourceUrl":"/communications/calls/x"}]}')).toBe(
      'graph',
    );
    expect(classifyNotification({ value: [], callState: 'incoming', participants: [] })).toBe(
      'graph',
    );
  });

  it.each([
    ['participants', { participants: [] }],
    ['presentedModalityTypes', { presentedModalityTypes: ['audio'] }],
    ['callState', { callState: 'incoming' }],
    ['operationOutcome', { operationOutcome: { type: 'answerOutcome' } }],
    ['type and currentState', { type: 'callStateChange', currentState: 'terminated' }],
  ])('calls an object without value but with %s legacy', (_, body) => {
    expect(classifyNotification(body)).toBe('legacy');
    expect(classifyNotification(JSON.stringify(body))).toBe('legacy');
  });

  it('needs both type and currentState for the RTM form', () => {
    expect(classifyNotification({ type: 'callStateChange' })).toBe('unknown');
    expect(classifyNotification({ currentState: 'terminated' })).toBe('unknown');
  });

  it('calls value that is not an array unknown, even beside legacy keys', () => {
    expect(classifyNotification({ value: {} })).toBe('unknown');
    expect(classifyNotification({ value: null, callState: 'incoming' })).toBe('unknown');
    expect(classifyNotification('{"value":"[]"}')).toBe('unknown');
  });

  it.each([
    ['an empty object', {}],
    ['an unrelated object', { foo: 1 }],
    ['an array', [{ value: [] }]],
    ['null', null],
    ['a number', 42],
    ['undefined', undefined],
    ['invalid JSON text', '{"value":'],
    ['an empty string', ''],
    ['JSON text of an array', '[]'],
    ['bytes that are not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d])],
  ])('calls %s unknown', (_, body) => {
    expect(classifyNotification(body)).toBe('unknown');
  });

  it('reads UTF-8 bytes, with or without a byte order mark, and ArrayBuffers', () => {
    const bytes = new TextEncoder().encode('{"value":[]}');
    expect(classifyNotification(bytes)).toBe('graph');
    expect(classifyNotification(new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]))).toBe('graph');
    expect(classifyNotification(bytes.slice().buffer)).toBe('graph');
  });

  it('ignores inherited keys: only what the body itself carries counts', () => {
    const body = Object.create({ value: [] }) as object;
    expect(classifyNotification(body)).toBe('unknown');
  });

  it('never throws, even for a value whose properties throw', () => {
    const hostile = new Proxy(
      {},
      {
        has: () => {
          throw new Error('boom');
        },
        getOwnPropertyDescriptor: () => {
          throw new Error('boom');
        },
      },
    );
    expect(classifyNotification(hostile)).toBe('unknown');
  });
});
