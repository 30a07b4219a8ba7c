export { createCallsClient } from './createCallsClient';
export type { CallsClientOptions, CallsWebhookLink } from './createCallsClient';
export type {
  CallsClient,
  CallsMethodName,
  MeetingJoinInfo,
  RequestOptions,
  WarmResult,
} from './CallsClient';
export { joinMeetingInfo } from './joinMeetingInfo';
export { GraphError } from './GraphError';
export type { GraphErrorCode, GraphErrorDetails } from './GraphError';
export { InvalidInputError } from './InvalidInputError';
export type { InvalidInputErrorCode } from './InvalidInputError';
export { CALLS_CLOUDS } from './clouds';
export type { CallsCloud } from './clouds';
export type { AccessTokenLike, CallsCredential, TokenCredentialLike } from './credential';
export type * from './bodies';
export type {
  Call,
  CommsOperation,
  InviteParticipantsOperation,
  Participant,
  PlayPromptOperation,
  RecordOperation,
  SendDtmfTonesOperation,
} from './results';
export { CallOperationError } from './tracking/CallOperationError';
export type { CallOperationErrorCode } from './tracking/CallOperationError';
export type {
  CallEnding,
  CallUpdate,
  OperationCompletion,
  RosterChange,
  TrackedCall,
  TrackingEventMap,
  TrackingEventName,
} from './tracking/TrackedCall';
