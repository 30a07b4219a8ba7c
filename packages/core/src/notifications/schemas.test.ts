import { describe, expect, it } from 'vitest';
import {
  callSchema,
  commsNotificationSchema,
  commsNotificationsSchema,
  commsOperationSchema,
  participantSchema,
  resultInfoSchema,
} from './schemas';

describe('resultInfoSchema', () => {
  it.each([
    [
      { code: 200, subcode: 0 },
      { code: 200, subcode: 0 },
    ],
    [
      { code: '404', subcode: '5012', message: 'm' },
      { code: 404, subcode: 5012, message: 'm' },
    ],
    [
      { code: ' 0 ', subCode: 7015 },
      { code: 0, subcode: 7015 },
    ],
    [{ code: 500 }, { code: 500, subcode: 0 }],
    [
      { code: 500, subcode: 'n/a', message: 7 },
      { code: 500, subcode: 0 },
    ],
  ])('reads %j as %j', (input, expected) => {
    expect(resultInfoSchema.parse(input)).toEqual(expected);
  });

  it.each([
    [{}],
    [{ code: 'x' }],
    [{ code: '1.5' }],
    [{ code: Number.POSITIVE_INFINITY }],
    ['200'],
  ])('refuses %j: there is no code to read', (input) => {
    expect(resultInfoSchema.safeParse(input).success).toBe(false);
  });
});

describe('callSchema', () => {
  it('lower-cases state and direction and passes unknown fields through', () => {
    const call = callSchema.parse({
      '@odata.type': '#microsoft.graph.call',
      state: 'TransferAccepted',
      direction: 'Outgoing',
      mediaState: { audio: 'active' },
    });
    expect(call).toEqual({
      '@odata.type': '#microsoft.graph.call',
      state: 'transferaccepted',
      direction: 'outgoing',
      mediaState: { audio: 'active' },
    });
  });

  it('never fails for an object: wrong shapes become undefined', () => {
    const call = callSchema.parse({ state: 1, targets: 'x', resultInfo: { code: 'x' }, id: {} });
    expect(call.state).toBeUndefined();
    expect(call.targets).toBeUndefined();
    expect(call.resultInfo).toBeUndefined();
    expect(call.id).toBeUndefined();
  });
});

describe('participantSchema and commsOperationSchema', () => {
  it('read a participant with a null id', () => {
    expect(participantSchema.parse({ id: null, isInLobby: true })).toEqual({
      id: null,
      isInLobby: true,
    });
  });

  it('read an operation status in lower case', () => {
    expect(commsOperationSchema.parse({ status: 'NotStarted', clientContext: 'c' })).toEqual({
      status: 'notstarted',
      clientContext: 'c',
    });
  });
});

describe('commsNotificationSchema', () => {
  it('needs resource or resourceUrl', () => {
    expect(commsNotificationSchema.safeParse({ changeType: 'created' }).success).toBe(false);
    expect(commsNotificationSchema.safeParse({ resource: '/app/calls/a' }).success).toBe(true);
    expect(
      commsNotificationSchema.safeParse({ resourceUrl: '/communications/calls/a' }).success,
    ).toBe(true);
  });

  it('accepts resourceData as an object, an array or absent, and lower-cases changeType', () => {
    for (const resourceData of [{ a: 1 }, [{ a: 1 }], undefined]) {
      const parsed = commsNotificationSchema.parse({
        resourceUrl: '/x',
        changeType: 'Deleted',
        resourceData,
      });
      expect(parsed.changeType).toBe('deleted');
      expect(parsed.resourceData).toEqual(resourceData);
    }
  });
});

describe('commsNotificationsSchema', () => {
  it('reads an envelope with or without @odata.type, and needs a value array', () => {
    expect(commsNotificationsSchema.parse({ value: [] })).toEqual({ value: [] });
    expect(commsNotificationsSchema.safeParse({ value: {} }).success).toBe(false);
  });
});
