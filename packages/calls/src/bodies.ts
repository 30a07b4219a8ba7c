/*
 * Request bodies of the calls API in Graph's documented v1.0 shapes (the
 * reference pages call-answer, call-reject, call-redirect, call-transfer,
 * call-playprompt, call-record, call-subscribetotone, call-senddtmftones,
 * call-mute, call-unmute, call-updaterecordingstatus, call-cancelmediaprocessing,
 * participant-invite, participant-mute, participant-startholdmusic,
 * participant-stopholdmusic, application-post-calls). Every object also takes
 * properties not listed here: they are sent as given.
 */

/** Properties Graph may add tomorrow: sent as given. */
export interface GraphProperties {
  [property: string]: unknown;
}

/** `identity`: a user, application, application instance, phone… */
export interface GraphIdentity extends GraphProperties {
  '@odata.type'?: string;
  id?: string;
  displayName?: string;
  tenantId?: string;
  identityProvider?: string;
}

/** `identitySet`: who a participant is, one identity per kind. */
export interface GraphIdentitySet extends GraphProperties {
  '@odata.type'?: string;
  user?: GraphIdentity;
  application?: GraphIdentity;
  applicationInstance?: GraphIdentity;
  phone?: GraphIdentity;
  guest?: GraphIdentity;
  device?: GraphIdentity;
}

/** `invitationParticipantInfo`: someone to ring, invite, redirect or transfer to. */
export interface InvitationParticipantInfo extends GraphProperties {
  '@odata.type'?: string;
  identity: GraphIdentitySet;
  endpointType?: string;
  replacesCallId?: string;
  hidden?: boolean;
  participantId?: string;
  removeFromDefaultAudioRoutingGroup?: boolean;
}

/** `participantInfo`. */
export interface ParticipantInfoBody extends GraphProperties {
  '@odata.type'?: string;
  identity?: GraphIdentitySet;
  endpointType?: string;
  participantId?: string;
  region?: string | null;
  languageId?: string | null;
  countryCode?: string | null;
}

/** `mediaInfo`: an audio file Graph fetches (https). */
export interface MediaInfo extends GraphProperties {
  uri: string;
  resourceId?: string;
}

/** `mediaPrompt` (Graph requires its `@odata.type`; it is added when missing). */
export interface MediaPrompt extends GraphProperties {
  '@odata.type'?: string;
  mediaInfo: MediaInfo;
}

/** `serviceHostedMediaConfig`: Microsoft plays prompts, records, detects tones. */
export interface ServiceHostedMediaConfig extends GraphProperties {
  '@odata.type'?: string;
  preFetchMedia?: MediaInfo[];
}

/** `appHostedMediaConfig`: real-time media in the bot (Windows/.NET media SDK only). */
export interface AppHostedMediaConfig extends GraphProperties {
  '@odata.type'?: string;
  blob: string;
}

export type MediaConfig = ServiceHostedMediaConfig | AppHostedMediaConfig;

/** `modality`. */
export type Modality = 'audio' | 'video' | 'videoBasedScreenSharing' | (string & {});

/** `incomingCallOptions` / `outgoingCallOptions`. */
export interface CallOptionsBody extends GraphProperties {
  '@odata.type'?: string;
  isContentSharingNotificationEnabled?: boolean;
  isDeltaRosterEnabled?: boolean;
  hideBotAfterEscalation?: boolean;
}

/** Body of `POST /communications/calls/{id}/answer`. */
export interface AnswerBody extends GraphProperties {
  acceptedModalities: Modality[];
  /** Default: the linked webhook's `callbackUri()`. */
  callbackUri?: string;
  /** Default: `serviceHostedMediaConfig`. */
  mediaConfig?: MediaConfig;
  callOptions?: CallOptionsBody;
  participantCapacity?: number;
}

/** Body of `POST /communications/calls/{id}/reject`. */
export interface RejectBody extends GraphProperties {
  reason?: 'none' | 'busy' | 'forbidden' | (string & {});
  callbackUri?: string;
}

/** Body of `POST /communications/calls/{id}/redirect`. */
export interface RedirectBody extends GraphProperties {
  /** Up to 25 targets ring at once (simultaneous ring). */
  targets: InvitationParticipantInfo[];
  /** Seconds, 15 to 90. */
  timeout?: number;
  /** Default: the linked webhook's `callbackUri()`. */
  callbackUri?: string;
}

/** Body of `POST /communications/calls/{id}/transfer`. */
export interface TransferBody extends GraphProperties {
  transferTarget: InvitationParticipantInfo;
  /** Only when transferring from a group call. */
  transferee?: ParticipantInfoBody;
}

/** Body of `POST /communications/calls/{id}/changeScreenSharingRole`. */
export interface ChangeScreenSharingRoleBody extends GraphProperties {
  role: 'viewer' | 'sharer';
}

/** Body of `POST /communications/calls/{id}/playPrompt`. */
export interface PlayPromptBody extends GraphProperties {
  /** At most 20. */
  prompts: MediaPrompt[];
  /** At most 256 characters. */
  clientContext?: string;
}

/** Body of `POST /communications/calls/{id}/recordResponse`. */
export interface RecordResponseBody extends GraphProperties {
  /** At most 1. */
  prompts?: MediaPrompt[];
  bargeInAllowed?: boolean;
  initialSilenceTimeoutInSeconds?: number;
  maxSilenceTimeoutInSeconds?: number;
  /** 1 to 120 (2 minutes); default 5. */
  maxRecordDurationInSeconds?: number;
  playBeep?: boolean;
  stopTones?: string[];
  clientContext?: string;
}

/** Body of operations that take only a `clientContext` (subscribeToTone, mute, unmute…). */
export interface ClientContextBody extends GraphProperties {
  /** At most 256 characters. */
  clientContext?: string;
}

/** `tone`. */
export type Tone =
  | 'tone0'
  | 'tone1'
  | 'tone2'
  | 'tone3'
  | 'tone4'
  | 'tone5'
  | 'tone6'
  | 'tone7'
  | 'tone8'
  | 'tone9'
  | 'star'
  | 'pound'
  | 'a'
  | 'b'
  | 'c'
  | 'd'
  | 'flash'
  | (string & {});

/** Body of `POST /communications/calls/{id}/sendDtmfTones`. */
export interface SendDtmfTonesBody extends GraphProperties {
  tones: Tone[];
  delayBetweenTonesMs?: number;
  clientContext?: string;
}

/** Body of `POST /communications/calls/{id}/updateRecordingStatus`. */
export interface UpdateRecordingStatusBody extends GraphProperties {
  status: 'notRecording' | 'recording' | 'failed' | (string & {});
  clientContext?: string;
}

/** Body of `POST /communications/calls/{id}/participants/invite`. */
export interface InviteParticipantsBody extends GraphProperties {
  participants: InvitationParticipantInfo[];
  clientContext?: string;
}

/** Body of `POST /communications/calls/{id}/participants/{pid}/startHoldMusic`. */
export interface StartHoldMusicBody extends GraphProperties {
  customPrompt?: MediaPrompt;
  clientContext?: string;
}

/** `chatInfo` of a meeting to join. */
export interface ChatInfoBody extends GraphProperties {
  '@odata.type'?: string;
  threadId: string;
  messageId?: string;
  replyChainMessageId?: string;
}

/** `organizerMeetingInfo`, `joinMeetingIdMeetingInfo`… */
export interface MeetingInfoBody extends GraphProperties {
  '@odata.type'?: string;
}

/** Body of `POST /communications/calls` (a `call`): an outgoing call, or joining a meeting. */
export interface CreateCallBody extends GraphProperties {
  requestedModalities: Modality[];
  /** Default: the linked webhook's `callbackUri()`. */
  callbackUri?: string;
  /** Default: `serviceHostedMediaConfig`. */
  mediaConfig?: MediaConfig;
  targets?: InvitationParticipantInfo[];
  source?: ParticipantInfoBody;
  chatInfo?: ChatInfoBody;
  meetingInfo?: MeetingInfoBody;
  tenantId?: string;
  subject?: string;
  callOptions?: CallOptionsBody;
}
