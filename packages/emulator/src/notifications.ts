/**
 * Notification bodies in the shapes the calling service sends (see the
 * fixtures in fixtures/notifications), filled in for one call.
 */

/** `{ code, subcode, message }` of a terminated call or a completed operation. */
export interface ResultInfo {
  code: number;
  subcode: number;
  message: string;
}

/** The person or app on one end of an emulated call. */
export interface Identity {
  kind: 'user' | 'application';
  id: string;
  displayName: string;
  tenantId: string;
}

const envelope = (notification: Record<string, unknown>) => ({
  '@odata.type': '#microsoft.graph.commsNotifications',
  value: [{ '@odata.type': '#microsoft.graph.commsNotification', ...notification }],
});

export const identitySet = (who: Identity) => ({
  '@odata.type': '#microsoft.graph.identitySet',
  [who.kind]: {
    '@odata.type': '#microsoft.graph.identity',
    id: who.id,
    displayName: who.displayName,
    identityProvider: 'AAD',
    tenantId: who.tenantId,
  },
});

/** The first POST of an incoming call, in the legacy (Skype) format. */
export function legacyIncomingCall(input: { callId: string; appId: string; caller: Identity }) {
  return {
    id: input.callId,
    participants: [
      { identity: `8:orgid:${input.caller.id}`, languageId: 'en', originator: true },
      { identity: `28:${input.appId}`, originator: false },
    ],
    isMultiparty: false,
    presentedModalityTypes: ['audio'],
    callState: 'incoming',
  };
}

/** The incoming call in the Microsoft Graph format (p2p, or an invitation into a meeting). */
export function graphIncomingCall(input: {
  callId: string;
  chainId: string;
  appId: string;
  tenantId: string;
  caller: Identity;
  region: string;
  meeting?: { organizer: Identity; threadId: string } | undefined;
}) {
  const path = `/communications/calls/${input.callId}`;
  return envelope({
    changeType: 'created',
    resource: `/app/calls/${input.callId}`,
    resourceUrl: path,
    resourceData: {
      '@odata.type': '#microsoft.graph.call',
      '@odata.id': path,
      '@odata.etag': 'W/"5445"',
      id: input.callId,
      state: 'incoming',
      direction: 'incoming',
      callChainId: input.chainId,
      tenantId: input.tenantId,
      source: {
        '@odata.type': '#microsoft.graph.participantInfo',
        identity: identitySet(input.caller),
        endpointType: 'default',
        region: input.region,
        languageId: 'en-US',
      },
      targets: [
        {
          '@odata.type': '#microsoft.graph.invitationParticipantInfo',
          identity: identitySet({
            kind: 'application',
            id: input.appId,
            displayName: 'Bot',
            tenantId: input.tenantId,
          }),
          endpointType: 'default',
        },
      ],
      requestedModalities: ['audio'],
      ...(input.meeting ? meetingFields(input.meeting) : {}),
    },
  });
}

export function meetingFields(meeting: { organizer: Identity; threadId: string }) {
  return {
    chatInfo: {
      '@odata.type': '#microsoft.graph.chatInfo',
      threadId: meeting.threadId,
      messageId: '0',
    },
    meetingInfo: {
      '@odata.type': '#microsoft.graph.organizerMeetingInfo',
      organizer: identitySet(meeting.organizer),
      allowConversationWithoutHost: true,
    },
  };
}

/** A call state change (`establishing`, `established`, `transferring`, `terminating`). */
export function callStateChanged(input: {
  callId: string;
  state: string;
  callbackUri?: string | undefined;
  meeting?: { organizer: Identity; threadId: string } | undefined;
}) {
  const path = `/communications/calls/${input.callId}`;
  return envelope({
    changeType: 'updated',
    resourceUrl: path,
    ...(input.callbackUri ? { callbackUri: input.callbackUri } : {}),
    resourceData: {
      '@odata.type': '#microsoft.graph.call',
      '@odata.id': path,
      '@odata.etag': 'W/"5445"',
      id: input.callId,
      state: input.state,
      ...(input.meeting ? meetingFields(input.meeting) : {}),
    },
  });
}

/** The end of a call: `changeType: deleted`, state `terminated`, with why. */
export function callTerminated(input: { callId: string; resultInfo: ResultInfo }) {
  return envelope({
    changeType: 'deleted',
    resourceUrl: `/communications/calls/${input.callId}`,
    resourceData: {
      '@odata.type': '#microsoft.graph.call',
      id: input.callId,
      state: 'terminated',
      resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', ...input.resultInfo },
    },
  });
}

/** One participant of an emulated call. */
export interface RosterEntry {
  participantId: string;
  who: Identity;
  muted: boolean;
}

/** A `participant` resource, as Graph returns it and roster notifications carry it. */
export function participantResource({ participantId, who, muted }: RosterEntry) {
  return {
    '@odata.type': '#microsoft.graph.participant',
    id: participantId,
    info: {
      '@odata.type': '#microsoft.graph.participantInfo',
      identity: identitySet(who),
      endpointType: 'default',
    },
    mediaStreams: [
      {
        '@odata.type': '#microsoft.graph.mediaStream',
        mediaType: 'audio',
        sourceId: '1',
        direction: 'sendReceive',
        serverMuted: false,
      },
    ],
    isMuted: muted,
    isInLobby: false,
  };
}

/**
 * The roster of a call: by default the full list with `changeType: updated`
 * (what Teams sends), or the joined (`created`) / left (`deleted`) items alone.
 */
export function participantsUpdated(input: {
  callId: string;
  participants: RosterEntry[];
  changeType?: 'updated' | 'created' | 'deleted';
}) {
  return envelope({
    changeType: input.changeType ?? 'updated',
    resource: `/app/calls/${input.callId}/participants`,
    resourceUrl: `/communications/calls/${input.callId}/participants`,
    resourceData: input.participants.map(participantResource),
  });
}

/** Graph's form of an id in notification URLs: upper case, without dashes. */
export function compactId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)
    ? id.replaceAll('-', '').toUpperCase()
    : id;
}

/**
 * A `commsOperation` finished: `changeType: deleted` on
 * `/communications/calls/{id}/operations/{id}` (ids in Graph's compact form, as
 * Microsoft's examples show), with `status` and `resultInfo`.
 */
export function operationFinished(input: {
  callId: string;
  operation: Record<string, unknown> & { id: string };
}) {
  const path = `/communications/calls/${compactId(input.callId)}/operations/${compactId(input.operation.id)}`;
  return envelope({
    changeType: 'deleted',
    resourceUrl: path,
    resourceData: { ...input.operation, '@odata.id': path, '@odata.etag': 'W/"54451"' },
  });
}
