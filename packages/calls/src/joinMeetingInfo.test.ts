import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './InvalidInputError';
import { joinMeetingInfo } from './joinMeetingInfo';

const context = encodeURIComponent(
  JSON.stringify({
    Tid: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    Oid: '550fae72-d251-43ec-868c-373732c2704f',
  }),
);
const LINK = `https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjE1ZDRh%40thread.v2/0?context=${context}`;

describe('joinMeetingInfo', () => {
  it('turns a meetup-join link into chatInfo, organizerMeetingInfo and tenantId', () => {
    expect(joinMeetingInfo(LINK)).toEqual({
      chatInfo: {
        '@odata.type': '#microsoft.graph.chatInfo',
        threadId: '19:meeting_NjE1ZDRh@thread.v2',
        messageId: '0',
      },
      meetingInfo: {
        '@odata.type': '#microsoft.graph.organizerMeetingInfo',
        organizer: {
          '@odata.type': '#microsoft.graph.identitySet',
          user: {
            '@odata.type': '#microsoft.graph.identity',
            id: '550fae72-d251-43ec-868c-373732c2704f',
            tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
          },
        },
      },
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    });
  });

  it('reads GCC High links and meeting-id links', () => {
    expect(
      joinMeetingInfo(LINK.replace('teams.microsoft.com', 'gov.teams.microsoft.us')).chatInfo,
    ).toBeDefined();
    expect(joinMeetingInfo('https://teams.microsoft.com/meet/2345678901234?p=Ab12Cd')).toEqual({
      meetingInfo: {
        '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
        joinMeetingId: '2345678901234',
        passcode: 'Ab12Cd',
      },
    });
  });

  it.each([
    ['not a URL', 'teams meeting'],
    ['another host', LINK.replace('teams.microsoft.com', 'teams.evil.example')],
    ['http', LINK.replace('https:', 'http:')],
    ['no context', LINK.split('?')[0]!],
    [
      'a context without organizer',
      LINK.replace(/context=.*/, `context=${encodeURIComponent('{"Tid":"t"}')}`),
    ],
    ['a context that is not JSON', LINK.replace(/context=.*/, 'context=%7Bnope')],
    ['a link to something else', 'https://teams.microsoft.com/l/chat/0/0'],
  ])('refuses %s with invalid_join_url', (_name, link) => {
    expect(() => joinMeetingInfo(link)).toThrow(InvalidInputError);
    try {
      joinMeetingInfo(link);
    } catch (error) {
      expect((error as InvalidInputError).code).toBe('invalid_join_url');
    }
  });
});
