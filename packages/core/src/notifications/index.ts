// Public surface of the notification model.
export { classifyNotification } from './classifyNotification';
export type { NotificationFormat } from './classifyNotification';
export {
  DEFAULT_MAX_NOTIFICATION_BYTES,
  DEFAULT_MAX_NOTIFICATION_DEPTH,
  DEFAULT_MAX_NOTIFICATIONS,
  parseNotifications,
} from './parseNotifications';
export type { ParsedNotifications, ParseNotificationsOptions } from './parseNotifications';
export { parseNotificationsSafe } from './parseNotificationsSafe';
export type { ParseNotificationsResult } from './parseNotificationsSafe';
export { normalizeNotification } from './normalizeNotification';
export { NotificationError } from './NotificationError';
export type { NotificationErrorCode } from './NotificationError';
export { CALL_EVENT_TYPES } from './events';
export type {
  CallEvent,
  CallEventBase,
  CallEventMap,
  CallEventType,
  CallStateChangedEvent,
  CallTerminatedEvent,
  ChangeType,
  IncomingCallEvent,
  OperationCompletedEvent,
  ParticipantsUpdatedEvent,
  UnknownCallEvent,
} from './events';
export {
  callSchema,
  chatInfoSchema,
  commsNotificationSchema,
  commsNotificationsSchema,
  commsOperationSchema,
  identitySchema,
  identitySetSchema,
  incomingContextSchema,
  meetingInfoSchema,
  participantInfoSchema,
  participantSchema,
  resultInfoSchema,
  toneInfoSchema,
} from './schemas';
export type {
  Call,
  ChatInfo,
  CommsNotification,
  CommsNotifications,
  CommsOperation,
  Identity,
  IdentitySet,
  IncomingContext,
  MeetingInfo,
  Participant,
  ParticipantInfo,
  ResultInfo,
  ToneInfo,
} from './schemas';
