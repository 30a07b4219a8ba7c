import type { MeetingJoinInfo } from './CallsClient';
import { InvalidInputError } from './InvalidInputError';

/** Teams hosts of meeting links: commercial, GCC High, DoD. */
const TEAMS_HOSTS = new Set([
  'teams.microsoft.com',
  'gov.teams.microsoft.us',
  'dod.teams.microsoft.us',
]);

/**
 * Turns a Teams meeting join link into the `chatInfo` and `meetingInfo` (and
 * `tenantId`) that `create` needs to join that meeting — what the .NET SDK's
 * `JoinInfo.ParseJoinURL` does:
 *
 * - `https://teams.microsoft.com/l/meetup-join/{thread}/{message}?context={"Tid":…,"Oid":…}`
 *   → `chatInfo { threadId, messageId }` + `organizerMeetingInfo` (organizer `Oid` in tenant `Tid`);
 * - `https://teams.microsoft.com/meet/{id}?p={passcode}` → `joinMeetingIdMeetingInfo`.
 *
 * Throws {@link InvalidInputError} (`invalid_join_url`) for anything else.
 *
 * @example
 * ```ts
 * import { joinMeetingInfo } from '@callgate/calls';
 *
 * const call = await calls.create({ requestedModalities: ['audio'], ...joinMeetingInfo(joinWebUrl) });
 * ```
 */
export function joinMeetingInfo(joinWebUrl: string): MeetingJoinInfo {
  let url: URL;
  try {
    url = new URL(typeof joinWebUrl === 'string' ? joinWebUrl.trim() : '');
  } catch {
    throw invalid('it is not a URL');
  }
  if (url.protocol !== 'https:' || !TEAMS_HOSTS.has(url.hostname.toLowerCase()))
    throw invalid(`expected https://teams.microsoft.com/…, got host ${url.hostname || 'none'}`);

  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const meetupAt = segments.findIndex((segment) => segment.toLowerCase() === 'meetup-join');
  if (meetupAt >= 0) {
    const thread = segments[meetupAt + 1];
    const message = segments[meetupAt + 2];
    if (thread === undefined || message === undefined)
      throw invalid(
        'a meetup-join link names a thread and a message: /l/meetup-join/{thread}/{message}',
      );
    const context = parseContext(url.searchParams.get('context'));
    const organizerId = context.Oid;
    if (organizerId === undefined) throw invalid('its context names no organizer ("Oid")');
    const tenantId = context.Tid;
    return {
      chatInfo: {
        '@odata.type': '#microsoft.graph.chatInfo',
        threadId: decodeURIComponent(thread),
        messageId: decodeURIComponent(message),
      },
      meetingInfo: {
        '@odata.type': '#microsoft.graph.organizerMeetingInfo',
        organizer: {
          '@odata.type': '#microsoft.graph.identitySet',
          user: {
            '@odata.type': '#microsoft.graph.identity',
            id: organizerId,
            ...(tenantId === undefined ? {} : { tenantId }),
          },
        },
      },
      ...(tenantId === undefined ? {} : { tenantId }),
    };
  }
  if (segments[0]?.toLowerCase() === 'meet' && segments[1] !== undefined) {
    const passcode = url.searchParams.get('p');
    return {
      meetingInfo: {
        '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
        joinMeetingId: decodeURIComponent(segments[1]),
        ...(passcode === null || passcode === '' ? {} : { passcode }),
      },
    };
  }
  throw invalid('expected /l/meetup-join/{thread}/{message}?context=… or /meet/{id}?p=…');
}

function parseContext(raw: string | null): { Tid?: string; Oid?: string } {
  if (raw === null) throw invalid('it has no "context" parameter naming the organizer');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw invalid('its "context" parameter is not JSON');
  }
  if (typeof value !== 'object' || value === null) throw invalid('its "context" is not an object');
  const record = value as Record<string, unknown>;
  const text = (key: string) =>
    typeof record[key] === 'string' ? (record[key] as string) : undefined;
  const result: { Tid?: string; Oid?: string } = {};
  const tid = text('Tid');
  const oid = text('Oid');
  if (tid !== undefined) result.Tid = tid;
  if (oid !== undefined) result.Oid = oid;
  return result;
}

function invalid(reason: string): InvalidInputError {
  return new InvalidInputError(
    'invalid_join_url',
    `joinMeetingInfo: not a Teams meeting join link: ${reason}`,
  );
}
