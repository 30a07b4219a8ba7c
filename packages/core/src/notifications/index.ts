// Public surface of the notification model.
export { classifyNotification } from './classify-notification';
export type { NotificationFormat } from './classify-notification';
export {
  DEFAULT_MAX_NOTIFICATION_BYTES,
  DEFAULT_MAX_NOTIFICATION_DEPTH,
  parseNotifications,
} from './parse-notifications';
export type { ParsedNotifications, ParseNotificationsOptions } from './parse-notifications';
export { parseNotificationsSafe } from './parse-notifications-safe';
export type { ParseNotificationsResult } from './parse-notifications-safe';
export { normalizeNotification } from './normalize-notification';
export { NotificationError } from './notification-error';
export type { NotificationErrorCode } from './notification-error';
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
