import { describe, expect, it } from 'vitest';
import type { CallEvent, CallEventMap, CallEventType } from './events';
import { normalizeNotification } from './normalizeNotification';
import { NotificationError } from './NotificationError';

function as<K extends CallEventType>(type: K, event: CallEvent): CallEventMap[K] {
  expect(event.type).toBe(type);
  return event as CallEventMap[K];
}

const callType = '#microsoft.graph.call';

describe('normalizeNotification', () => {
  describe('reads enum values in any casing', () => {
    it('Updated / Established is a callStateChanged in lower case', () => {
      const event = as(
        'callStateChanged',
        normalizeNotification({
          changeType: 'Updated',
          resourceUrl: '/communications/calls/abc',
          resourceData: { '@odata.type': callType, state: 'Established' },
        }),
      );
      expect(event.changeType).toBe('updated');
      expect(event.state).toBe('established');
      expect(event.call.state).toBe('established');
    });

    it('Created / Incoming is an incomingCall', () => {
      const event = as(
        'incomingCall',
        normalizeNotification({
          changeType: 'Created',
          resourceUrl: '/communications/calls/abc',
          resourceData: { '@odata.type': callType, state: 'INCOMING', direction: 'Incoming' },
        }),
      );
      expect(event.changeType).toBe('created');
      expect(event.direction).toBe('incoming');
      expect(event.targets).toEqual([]);
      expect(event.requestedModalities).toEqual([]);
    });

    it('an incomingCall always names its call: from the path, else resourceData.id', () => {
      const fromData = normalizeNotification({
        changeType: 'created',
        resource: '/app/calls/',
        resourceData: { '@odata.type': callType, state: 'incoming', id: 'from-data' },
      });
      expect(fromData).toMatchObject({ type: 'incomingCall', callId: 'from-data' });
      const nameless = normalizeNotification({
        changeType: 'created',
        resource: '/app/calls/',
        resourceData: { '@odata.type': callType, state: 'incoming' },
      });
      expect(nameless.type).toBe('callStateChanged');
    });

    it('an incoming state that is only updated is a state change, not a new call', () => {
      const event = normalizeNotification({
        changeType: 'updated',
        resourceUrl: '/communications/calls/abc',
        resourceData: { '@odata.type': callType, state: 'incoming' },
      });
      expect(event.type).toBe('callStateChanged');
    });

    it('operation status Completed is completed', () => {
      const event = as(
        'operationCompleted',
        normalizeNotification({
          changeType: 'Deleted',
          resourceUrl: '/communications/calls/abc/operations/op1',
          resourceData: { '@odata.type': '#microsoft.graph.recordOperation', status: 'Failed' },
        }),
      );
      expect(event.status).toBe('failed');
      expect(event.operationKind).toBe('record');
    });
  });

  describe('finds the call id', () => {
    it.each([
      [{ resourceUrl: '/communications/calls/57DAB8B1' }, '57DAB8B1'],
      [{ resource: '/app/calls/e71f0300-9c1f' }, 'e71f0300-9c1f'],
      [{ resourceUrl: '/Communications/Calls/AbC/participants' }, 'AbC'],
      [{ resource: '/APP/calls/x1/operations/o' }, 'x1'],
      [{ resourceUrl: '/communications/calls/q?x=1' }, 'q'],
      [{ resourceUrl: '/communications/onlineMeetings/m1' }, undefined],
      [{ resourceUrl: '/communications/calls/', resource: '/app/calls/fallback' }, 'fallback'],
    ])('in %j: %s', (item, callId) => {
      expect(normalizeNotification({ changeType: 'updated', ...item }).callId).toBe(callId);
    });
  });

  it('takes resourceUrl as the resource when both are given, else resource', () => {
    const both = normalizeNotification({
      resource: '/app/calls/a',
      resourceUrl: '/communications/calls/a',
      resourceData: { '@odata.type': callType, state: 'established' },
    });
    expect(both.resource).toBe('/communications/calls/a');
    const resourceOnly = normalizeNotification({
      resource: '/app/calls/a',
      resourceData: { '@odata.type': callType, state: 'established' },
    });
    expect(resourceOnly.resource).toBe('/app/calls/a');
    expect(resourceOnly.type).toBe('callStateChanged');
    expect(resourceOnly.callId).toBe('a');
  });

  it('takes the item callbackUri, else the one in resourceData', () => {
    const data = { '@odata.type': callType, state: 'established', callbackUri: 'https://b/data' };
    const own = normalizeNotification({
      resourceUrl: '/communications/calls/a',
      callbackUri: 'https://b/item',
      resourceData: data,
    });
    expect(own.callbackUri).toBe('https://b/item');
    const fromData = normalizeNotification({
      resourceUrl: '/communications/calls/a',
      resourceData: data,
    });
    expect(fromData.callbackUri).toBe('https://b/data');
  });

  describe('resultInfo', () => {
    const terminated = (resultInfo: unknown) =>
      as(
        'callTerminated',
        normalizeNotification({
          changeType: 'deleted',
          resourceUrl: '/communications/calls/a',
          resourceData: { '@odata.type': callType, state: 'Terminated', resultInfo },
        }),
      ).resultInfo;

    it('reads numeric strings and the subCode spelling as numbers', () => {
      expect(terminated({ code: '500', subCode: '8510', message: 'x' })).toEqual({
        code: 500,
        subcode: 8510,
        message: 'x',
      });
      expect(terminated({ code: 0, subcode: '7015' })).toEqual({ code: 0, subcode: 7015 });
    });

    it('degrades a resultInfo without a numeric code to undefined, keeping the raw item', () => {
      const resultInfo = { code: 'oops', subcode: 1 };
      expect(terminated(resultInfo)).toBeUndefined();
      expect(terminated('not an object')).toBeUndefined();
    });

    it('exposes terminationReason', () => {
      const event = as(
        'callTerminated',
        normalizeNotification({
          changeType: 'deleted',
          resourceUrl: '/communications/calls/a',
          resourceData: { state: 'terminated', terminationReason: 'AppHangUp' },
        }),
      );
      expect(event.terminationReason).toBe('AppHangUp');
    });
  });

  it('treats a call deleted without any data as terminated', () => {
    const event = as(
      'callTerminated',
      normalizeNotification({ changeType: 'deleted', resourceUrl: '/communications/calls/a' }),
    );
    expect(event.resultInfo).toBeUndefined();
    expect(event.call).toEqual({});
  });

  it('degrades optional sub-objects of the wrong shape instead of refusing the call', () => {
    const item = {
      changeType: 'created',
      resourceUrl: '/communications/calls/a',
      resourceData: {
        '@odata.type': callType,
        state: 'incoming',
        source: 'someone',
        targets: { not: 'an array' },
        requestedModalities: 'audio',
        tenantId: 42,
        chatInfo: { threadId: 7 },
      },
    };
    const event = as('incomingCall', normalizeNotification(item));
    expect(event.source).toBeUndefined();
    expect(event.targets).toEqual([]);
    expect(event.requestedModalities).toEqual([]);
    expect(event.tenantId).toBeUndefined();
    expect(event.chatInfo).toEqual({ threadId: undefined });
    expect(event.raw).toBe(item);
    expect(event.raw.resourceData).toMatchObject({ source: 'someone', tenantId: 42 });
  });

  describe('participants', () => {
    const participant = { '@odata.type': '#microsoft.graph.participant', id: 'p1', isMuted: true };

    it('reads one participant object as a roster of one', () => {
      const event = as(
        'participantsUpdated',
        normalizeNotification({
          changeType: 'updated',
          resourceUrl: '/communications/calls/a/participants/p1',
          resourceData: participant,
        }),
      );
      expect(event.participants).toEqual([participant]);
    });

    it('keeps the roster entries that are objects', () => {
      const event = as(
        'participantsUpdated',
        normalizeNotification({
          changeType: 'deleted',
          resourceUrl: '/communications/calls/a/participants',
          resourceData: [participant, 'junk', { id: 'p2', isMuted: 'maybe' }],
        }),
      );
      expect(event.participants.map((p) => p.id)).toEqual(['p1', 'p2']);
      expect(event.participants[1]?.isMuted).toBeUndefined();
    });

    it('reads a roster without resourceData as empty', () => {
      const event = as(
        'participantsUpdated',
        normalizeNotification({ resource: '/app/calls/a/participants' }),
      );
      expect(event.participants).toEqual([]);
    });
  });

  describe('operations', () => {
    it('takes the operation id from resourceData.id, else from the path', () => {
      const withId = as(
        'operationCompleted',
        normalizeNotification({
          resourceUrl: '/communications/calls/a/operations/from-path',
          resourceData: { '@odata.type': '#microsoft.graph.playPromptOperation', id: 'from-data' },
        }),
      );
      expect(withId.operationId).toBe('from-data');
      const fromPath = as(
        'operationCompleted',
        normalizeNotification({ resourceUrl: '/communications/calls/a/operations/OP?x=1' }),
      );
      expect(fromPath.operationId).toBe('OP');
      expect(fromPath.operationKind).toBeUndefined();
      expect(fromPath.status).toBeUndefined();
    });

    it('recognises an operation by its @odata.type alone', () => {
      const event = as(
        'operationCompleted',
        normalizeNotification({
          resourceUrl: '/communications/calls/a',
          resourceData: {
            '@odata.type': '#microsoft.graph.SubscribeToToneOperation',
            status: 'completed',
            resultInfo: { code: '200', subcode: '0' },
          },
        }),
      );
      expect(event.operationKind).toBe('subscribeToTone');
      expect(event.operationId).toBeUndefined();
      expect(event.resultInfo).toEqual({ code: 200, subcode: 0 });
    });

    it('gives no kind for the base commsOperation', () => {
      const event = as(
        'operationCompleted',
        normalizeNotification({
          resourceUrl: '/communications/calls/a/operations/o',
          resourceData: { '@odata.type': '#microsoft.graph.commsOperation', status: 'running' },
        }),
      );
      expect(event.operationKind).toBeUndefined();
      expect(event.status).toBe('running');
    });
  });

  it('keeps what it has no model for as unknown, with its resourceData', () => {
    const resourceData = { '@odata.type': '#microsoft.graph.somethingNew', answer: 42 };
    const event = as(
      'unknown',
      normalizeNotification({
        changeType: 'created',
        resourceUrl: '/communications/calls/a/audioRoutingGroups/g',
        resourceData,
      }),
    );
    expect(event.callId).toBe('a');
    expect(event.resourceData).toBe(resourceData);
    const arrayOnCall = normalizeNotification({
      resourceUrl: '/communications/calls/a',
      resourceData: [1, 2],
    });
    expect(arrayOnCall.type).toBe('unknown');
  });

  it('leaves changeType undefined when it is missing or not a string', () => {
    expect(normalizeNotification({ resourceUrl: '/x' }).changeType).toBeUndefined();
    expect(normalizeNotification({ resourceUrl: '/x', changeType: 3 }).changeType).toBeUndefined();
  });

  it('refuses an item that is not an object, or names no resource, with the given path', () => {
    expect(() => normalizeNotification('x', '$.value[3]')).toThrow(NotificationError);
    try {
      normalizeNotification({ changeType: 'created' }, '$.value[3]');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(NotificationError);
      expect((error as NotificationError).code).toBe('missing_resource');
      expect((error as NotificationError).path).toBe('$.value[3]');
    }
  });

  it('uses a valid resource when the other one is malformed', () => {
    const event = normalizeNotification({ resourceUrl: 42, resource: '/app/calls/z' });
    expect(event.resource).toBe('/app/calls/z');
    expect(event.callId).toBe('z');
  });
});
