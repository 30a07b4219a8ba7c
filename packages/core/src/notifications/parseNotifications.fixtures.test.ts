import { describe, expect, it } from 'vitest';
import { classifyNotification } from './classifyNotification';
import type { CallEvent, CallEventMap, CallEventType } from './events';
import { fixtureNames as listFixtures, fixtureText } from '../../test/support/fixtures';
import { parseNotifications } from './parseNotifications';

/** The one event of a single-notification Graph fixture, checked to be of `type`. */
function onlyEvent<K extends CallEventType>(name: string, type: K): CallEventMap[K] {
  const parsed = parseNotifications(fixtureText(name));
  if (parsed.format !== 'graph') throw new Error(`${name} is ${parsed.format}, expected graph`);
  expect(parsed.events).toHaveLength(1);
  const event = parsed.events[0] as CallEvent;
  expect(event.type).toBe(type);
  return event as CallEventMap[K];
}

const expectations: Record<string, () => void> = {
  'graph-incoming-call-p2p': () => {
    const event = onlyEvent('graph-incoming-call-p2p', 'incomingCall');
    expect(event.callId).toBe('57DAB8B1894C409AB240BD8BEAE78896');
    expect(event.changeType).toBe('created');
    expect(event.resource).toBe('/communications/calls/57DAB8B1894C409AB240BD8BEAE78896');
    expect(event.direction).toBe('incoming');
    expect(event.source?.region).toBe('westus');
    expect(event.source?.languageId).toBe('en-US');
    expect(event.source?.identity?.user?.displayName).toBe('Test User');
    expect(event.targets).toHaveLength(1);
    expect(event.targets[0]?.identity?.application?.displayName).toBe('Test BOT');
    expect(event.requestedModalities).toEqual(['audio']);
    expect(event.tenantId).toBeUndefined();
    expect(event.callbackUri).toBeUndefined();
    expect(event.call.state).toBe('incoming');
    expect(event.call['@odata.etag']).toBe('W/"5445"');
  },
  'graph-incoming-call-policy-recording-meeting': () => {
    const event = onlyEvent('graph-incoming-call-policy-recording-meeting', 'incomingCall');
    expect(event.callId).toBe('e71f0300-9c1f-4d99-b5f4-2722e877d497');
    expect(event.resource).toBe('/communications/calls/e71f0300-9c1f-4d99-b5f4-2722e877d497');
    expect(event.tenantId).toBe('932899f8-2ea1-4604-8413-27bd2892079f');
    expect(event.callChainId).toBe('05f2f70f-3a9c-47c1-80a9-cc79e91d8cec');
    expect(event.source?.region).toBe('amer');
    expect(event.source?.identity?.user?.id).toBe('8A34A46B-3D17-4ADC-8DCE-DC4E7D572698');
    expect(event.targets).toHaveLength(1);
    expect(event.targets[0]?.region).toBeNull();
    expect(event.targets[0]?.identity?.applicationInstance?.id).toBe(
      '832899f8-2ea1-4604-8413-27bd2892079f',
    );
    expect(event.meetingInfo?.['@odata.type']).toBe('#microsoft.graph.tokenMeetingInfo');
    expect(event.meetingInfo?.token).toBe('join token');
    expect(event.incomingContext?.sourceParticipantId).toBe('30fad2ce-8989-41a1-8a66-f6636e629a2a');
    expect(event.incomingContext?.observedParticipantId).toBe(
      '30fad2ce-8989-41a1-8a66-f6636e629a2a',
    );
    expect(event.requestedModalities).toEqual([]);
    expect(event.call.myParticipantId).toBe('1520a1a5-5394-4a41-aa72-9ee6fa18cfc8');
    expect(event.call.id).toBe('e71f0300-9c1f-4d99-b5f4-2722e877d497');
    // Unknown fields pass through untouched.
    expect(event.call.applicationMetadata).toMatchObject({
      botData: { policyIdentifier: 'Test Policy', inviteReasons: ['PolicyBasedRecording'] },
    });
  },
  'graph-call-establishing': () => {
    const event = onlyEvent('graph-call-establishing', 'callStateChanged');
    expect(event.callId).toBe('57DAB8B1894C409AB240BD8BEAE78896');
    expect(event.changeType).toBe('updated');
    expect(event.state).toBe('establishing');
    expect(event.toneInfo).toBeUndefined();
  },
  'graph-call-established': () => {
    const event = onlyEvent('graph-call-established', 'callStateChanged');
    expect(event.callId).toBe('57DAB8B1894C409AB240BD8BEAE78896');
    expect(event.state).toBe('established');
    expect(event.toneInfo).toBeUndefined();
  },
  'graph-call-terminating': () => {
    const event = onlyEvent('graph-call-terminating', 'callStateChanged');
    expect(event.callId).toBe('57dab8b1-894c-409a-b240-bd8beae78896');
    expect(event.state).toBe('terminating');
  },
  'graph-call-transferring': () => {
    const event = onlyEvent('graph-call-transferring', 'callStateChanged');
    expect(event.callId).toBe('341a0500-d4bf-4224-8b19-1581168d328b');
    expect(event.state).toBe('transferring');
  },
  'graph-call-terminated-resultinfo-transfer-completed': () => {
    const event = onlyEvent(
      'graph-call-terminated-resultinfo-transfer-completed',
      'callTerminated',
    );
    expect(event.callId).toBe('341a0500-d4bf-4224-8b19-1581168d328b');
    expect(event.changeType).toBe('deleted');
    expect(event.resultInfo).toEqual({
      code: 0,
      subcode: 7015,
      message: 'GracefulTransferCompleted',
    });
    expect(event.terminationReason).toBeUndefined();
    expect(event.call.state).toBe('terminated');
  },
  'graph-call-updated-toneinfo': () => {
    const event = onlyEvent('graph-call-updated-toneinfo', 'callStateChanged');
    expect(event.callId).toBe('57dab8b1-894c-409a-b240-bd8beae78896');
    expect(event.state).toBe('established');
    expect(event.toneInfo?.tone).toBe('tone1');
    expect(event.toneInfo?.sequenceId).toBe(1);
  },
  'graph-meeting-join-established-chatinfo-meetinginfo': () => {
    const event = onlyEvent(
      'graph-meeting-join-established-chatinfo-meetinginfo',
      'callStateChanged',
    );
    expect(event.callId).toBe('2f1a1100-b174-40a0-aba7-0b405e01ed92');
    expect(event.state).toBe('established');
    expect(event.callbackUri).toBe('https://bot.contoso.com/callback');
    expect(event.call.chatInfo?.threadId).toBe(
      '19:meeting_Win6Ydo4wsMijFjZS00ZGVjLTk5MGUtOTRjNWY2NmNkYTFm@thread.v2',
    );
    expect(event.call.meetingInfo?.['@odata.type']).toBe('#microsoft.graph.organizerMeetingInfo');
    expect(event.call.meetingInfo?.organizer).toMatchObject({ user: { displayName: 'Bob' } });
  },
  'graph-participants-updated-roster-added': () => {
    const event = onlyEvent('graph-participants-updated-roster-added', 'participantsUpdated');
    expect(event.callId).toBe('ab6233a5-20b7-4c5e-bea2-ce56c9776429');
    expect(event.changeType).toBe('updated');
    expect(event.resource).toBe(
      '/communications/calls/ab6233a5-20b7-4c5e-bea2-ce56c9776429/participants',
    );
    expect(event.participants).toHaveLength(1);
    const [participant] = event.participants;
    expect(participant?.id).toBeNull();
    expect(participant?.isMuted).toBe(false);
    expect(participant?.isInLobby).toBe(false);
    expect(participant?.info?.identity?.application?.id).toBe(
      '278405a3-f568-4b3e-b684-009193463064',
    );
    expect(participant?.info?.identity?.application?.tenantId).toBe(
      '72f988bf-86f1-41af-91ab-2d7cd011db47',
    );
    expect(participant?.mediaStreams?.[0]).toMatchObject({ mediaType: 'audio', sourceId: '1' });
  },
  'graph-commsoperation-playprompt-completed': () => {
    const event = onlyEvent('graph-commsoperation-playprompt-completed', 'operationCompleted');
    expect(event.callId).toBe('57DAB8B1894C409AB240BD8BEAE78896');
    expect(event.changeType).toBe('deleted');
    expect(event.operationId).toBe('0FE0623FD62842EDB4BD8AC290072CC5');
    expect(event.operationKind).toBe('playPrompt');
    expect(event.status).toBe('completed');
    expect(event.resultInfo).toEqual({
      code: 200,
      subcode: 0,
      message: 'Action completed successfully.',
    });
    expect(event.clientContext).toBe('d45324c1-fcb5-430a-902c-f20af696537c');
  },
  'graph-commsoperation-inviteparticipants-completed': () => {
    const event = onlyEvent(
      'graph-commsoperation-inviteparticipants-completed',
      'operationCompleted',
    );
    expect(event.callId).toBe('ab6233a5-20b7-4c5e-bea2-ce56c9776429');
    expect(event.resource).toBe(
      '/communications/calls/ab6233a5-20b7-4c5e-bea2-ce56c9776429/operations/eec3812a-fdc3-4fb4-825c-a06c9f35414e',
    );
    expect(event.operationId).toBe('eec3812a-fdc3-4fb4-825c-a06c9f35414e');
    expect(event.operationKind).toBe('inviteParticipants');
    expect(event.status).toBe('completed');
    expect(event.resultInfo).toBeUndefined();
    expect(event.clientContext).toBe('f2fa86af-3c51-4bc2-8fc0-475452d9764f');
  },
  'graph-contentsharingsession-created-no-resourcedata': () => {
    const event = onlyEvent('graph-contentsharingsession-created-no-resourcedata', 'unknown');
    expect(event.callId).toBe('421f4c00-4436-4c3a-9d9a-c4924cf98e67');
    expect(event.changeType).toBe('created');
    expect(event.resource).toBe(
      '/communications/calls/421f4c00-4436-4c3a-9d9a-c4924cf98e67/contentsharingsessions/2765eb15-01f8-47c6-b12b-c32111a4a86f',
    );
    expect(event.resourceData).toBeUndefined();
  },
  'legacy-rtm-notification-callstatechange-terminated': () =>
    expectLegacy('legacy-rtm-notification-callstatechange-terminated'),
  'legacy-skype-conversationresult-answer-docs': () =>
    expectLegacy('legacy-skype-conversationresult-answer-docs'),
  'legacy-skype-incoming-call-conversation-docs': () =>
    expectLegacy('legacy-skype-incoming-call-conversation-docs'),
};

function expectLegacy(name: string): void {
  const text = fixtureText(name);
  expect(classifyNotification(text)).toBe('legacy');
  expect(parseNotifications(text)).toEqual({ format: 'legacy', raw: JSON.parse(text) });
}

const fixtureNames = listFixtures();

describe('the notification fixtures', () => {
  it('are all covered by an expectation, and every expectation has its fixture', () => {
    expect(fixtureNames.length).toBeGreaterThan(0);
    expect(Object.keys(expectations).sort()).toEqual(fixtureNames);
  });

  it.each(fixtureNames)('%s: classified and normalised as expected', (name) => {
    const text = fixtureText(name);
    expect(classifyNotification(text)).toBe(name.startsWith('legacy-') ? 'legacy' : 'graph');
    const check = expectations[name];
    if (!check) throw new Error(`no expectation for fixture ${name}`);
    check();
  });

  it.each(fixtureNames)('%s: reads the same from text, bytes and a parsed value', (name) => {
    const text = fixtureText(name);
    const fromText = parseNotifications(text);
    expect(parseNotifications(new TextEncoder().encode(text))).toEqual(fromText);
    expect(parseNotifications(JSON.parse(text))).toEqual(fromText);
  });

  it.each(fixtureNames.filter((name) => name.startsWith('graph-')))(
    '%s: each event keeps its item as received in raw',
    (name) => {
      const body = JSON.parse(fixtureText(name));
      const parsed = parseNotifications(body);
      if (parsed.format !== 'graph') throw new Error('expected graph');
      expect(parsed.raw).toBe(body);
      for (const [index, event] of parsed.events.entries()) {
        expect(event.raw).toBe(body.value[index]);
      }
    },
  );
});
