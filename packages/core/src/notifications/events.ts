import type {
  Call,
  ChatInfo,
  IncomingContext,
  MeetingInfo,
  Participant,
  ParticipantInfo,
  ResultInfo,
  ToneInfo,
} from './schemas';

/** `changeType` of a notification, lower case. */
export type ChangeType = 'created' | 'updated' | 'deleted' | (string & {});

/** What every event carries, whatever its type. */
export interface CallEventBase<Type extends string> {
  type: Type;
  /**
   * The call the notification is about, from `/communications/calls/{id}` in
   * `resourceUrl` or `/app/calls/{id}` in `resource`, as given (casing kept).
   */
  callId: string | undefined;
  /** The item's `changeType` in lower case; undefined when missing. */
  changeType: ChangeType | undefined;
  /** `resourceUrl` if present, else `resource`. */
  resource: string;
  /** The item's own `callbackUri`, else `resourceData.callbackUri`. */
  callbackUri: string | undefined;
  /** The notification item exactly as received. */
  raw: Record<string, unknown>;
}

/** A call is ringing the bot: answer, reject or redirect it. */
export interface IncomingCallEvent extends CallEventBase<'incomingCall'> {
  /** The call to answer: always known (from the resource path, else `resourceData.id`). */
  callId: string;
  tenantId: string | undefined;
  source: ParticipantInfo | undefined;
  targets: ParticipantInfo[];
  meetingInfo: MeetingInfo | undefined;
  chatInfo: ChatInfo | undefined;
  incomingContext: IncomingContext | undefined;
  requestedModalities: string[];
  callChainId: string | undefined;
  direction: string | undefined;
  call: Call;
}

/** The call ended; `resultInfo` says why (e.g. code 0 / subcode 7015: transfer completed). */
export interface CallTerminatedEvent extends CallEventBase<'callTerminated'> {
  resultInfo: ResultInfo | undefined;
  terminationReason: string | undefined;
  call: Call;
}

/** Any other update of the call itself: establishing, established, transferring, a DTMF tone... */
export interface CallStateChangedEvent extends CallEventBase<'callStateChanged'> {
  /** Lower case, e.g. `established`; undefined when the update carries no state. */
  state: string | undefined;
  /** The DTMF tone when the update is a tone notification. */
  toneInfo: ToneInfo | undefined;
  call: Call;
}

/** The roster changed: participants added, removed or updated. */
export interface ParticipantsUpdatedEvent extends CallEventBase<'participantsUpdated'> {
  participants: Participant[];
}

/** An operation the bot started (playPrompt, inviteParticipants, recordResponse...) reports its outcome. */
export interface OperationCompletedEvent extends CallEventBase<'operationCompleted'> {
  /** `resourceData.id`, else the last segment of the resource path. */
  operationId: string | undefined;
  /** From `@odata.type`, lower camel: `playPrompt`, `inviteParticipants`...; undefined if absent. */
  operationKind: string | undefined;
  /** Lower case: `completed`, `failed`, `running`, `notstarted`. */
  status: string | undefined;
  resultInfo: ResultInfo | undefined;
  clientContext: string | undefined;
}

/** A notification callgate has no model for; kept so nothing is lost. */
export interface UnknownCallEvent extends CallEventBase<'unknown'> {
  resourceData: unknown;
}

/** Events by type, for typed handlers: `on<K extends CallEventType>(type: K, h: (e: CallEventMap[K]) => void)`. */
export interface CallEventMap {
  incomingCall: IncomingCallEvent;
  callTerminated: CallTerminatedEvent;
  callStateChanged: CallStateChangedEvent;
  participantsUpdated: ParticipantsUpdatedEvent;
  operationCompleted: OperationCompletedEvent;
  unknown: UnknownCallEvent;
}

/** The `type` of a {@link CallEvent}. */
export type CallEventType = keyof CallEventMap;

/** One normalised notification, discriminated by `type`. */
export type CallEvent = CallEventMap[CallEventType];

/** Every {@link CallEventType}, for exhaustive checks and validation. */
export const CALL_EVENT_TYPES: readonly CallEventType[] = [
  'incomingCall',
  'callTerminated',
  'callStateChanged',
  'participantsUpdated',
  'operationCompleted',
  'unknown',
];
