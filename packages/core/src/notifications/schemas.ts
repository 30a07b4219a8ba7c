import * as z from 'zod';

/*
 * Tolerant schemas of the Graph communications payloads: they read what the
 * calling service sends today and what it may add tomorrow.
 *
 * - Unknown fields and unknown `@odata.type`s pass through (`z.looseObject`).
 * - Enum-like strings (`state`, `changeType`, `status`, `direction`) arrive in
 *   any casing and come out lower case.
 * - An optional field of the wrong shape becomes `undefined` instead of failing
 *   the whole object (`.catch(undefined)`); the event keeps the raw item.
 */

const lowerCase = z.string().transform((value) => value.toLowerCase());

/** `optional` field that degrades to `undefined` when it has the wrong shape. */
function lenient<T extends z.ZodType>(schema: T) {
  return schema.optional().catch(undefined);
}

const text = lenient(z.string());
const nullableText = lenient(z.string().nullable());
const flag = lenient(z.boolean());

/** An integer code sent as a number or a numeric string (`0`, `"7015"`). */
const numericCode = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^[+-]?\d+$/)
    .transform(Number),
]);

/** The outcome Graph attaches to terminations and operations. */
export interface ResultInfo {
  code: number;
  subcode: number;
  message?: string;
}

/**
 * `resultInfo`: `code` and `subcode` (also spelled `subCode`) as numbers or
 * numeric strings, normalised to numbers. A missing subcode reads as 0; a
 * missing or non-numeric `code` fails (and a lenient parent drops the field).
 */
export const resultInfoSchema = z
  .looseObject({
    code: numericCode,
    subcode: lenient(numericCode),
    subCode: lenient(numericCode),
    message: text,
  })
  .transform((info): ResultInfo => {
    const result: ResultInfo = { code: info.code, subcode: info.subcode ?? info.subCode ?? 0 };
    if (info.message !== undefined) result.message = info.message;
    return result;
  });

/** `identity`: a user, application, device, phone... */
export const identitySchema = z.looseObject({
  '@odata.type': text,
  id: nullableText,
  displayName: nullableText,
  tenantId: nullableText,
  identityProvider: nullableText,
});
export type Identity = z.infer<typeof identitySchema>;

/** `identitySet`: who a participant is, one identity per kind. */
export const identitySetSchema = z.looseObject({
  '@odata.type': text,
  user: lenient(identitySchema),
  application: lenient(identitySchema),
  applicationInstance: lenient(identitySchema),
  device: lenient(identitySchema),
  phone: lenient(identitySchema),
  guest: lenient(identitySchema),
  encrypted: lenient(identitySchema),
  onPremises: lenient(identitySchema),
  acsUser: lenient(identitySchema),
  spoolUser: lenient(identitySchema),
  azureCommunicationServicesUser: lenient(identitySchema),
});
export type IdentitySet = z.infer<typeof identitySetSchema>;

/** `participantInfo` / `invitationParticipantInfo`: the caller, the targets. */
export const participantInfoSchema = z.looseObject({
  '@odata.type': text,
  id: nullableText,
  participantId: nullableText,
  identity: lenient(identitySetSchema),
  endpointType: nullableText,
  region: nullableText,
  languageId: nullableText,
  countryCode: nullableText,
  replacesCallId: nullableText,
});
export type ParticipantInfo = z.infer<typeof participantInfoSchema>;

/** `meetingInfo`: organizer, join token or join URL; kind told by `@odata.type`. */
export const meetingInfoSchema = z.looseObject({ '@odata.type': text });
export type MeetingInfo = z.infer<typeof meetingInfoSchema>;

/** `chatInfo`: the meeting chat thread. */
export const chatInfoSchema = z.looseObject({
  '@odata.type': text,
  threadId: nullableText,
  messageId: nullableText,
  replyChainMessageId: nullableText,
});
export type ChatInfo = z.infer<typeof chatInfoSchema>;

/** `incomingContext`: who the call is really from or for (transfers, delegation, recording). */
export const incomingContextSchema = z.looseObject({
  '@odata.type': text,
  sourceParticipantId: nullableText,
  observedParticipantId: nullableText,
  onBehalfOf: lenient(identitySetSchema.nullable()),
  transferor: lenient(identitySetSchema.nullable()),
});
export type IncomingContext = z.infer<typeof incomingContextSchema>;

/** `toneInfo`: a DTMF tone, delivered as an update of the call. */
export const toneInfoSchema = z.looseObject({
  '@odata.type': text,
  sequenceId: lenient(z.number()),
  tone: text,
});
export type ToneInfo = z.infer<typeof toneInfoSchema>;

/** `call`: the parts of the call resource a bot needs, everything else passed through. */
export const callSchema = z.looseObject({
  '@odata.type': text,
  id: text,
  state: lenient(lowerCase),
  direction: lenient(lowerCase),
  source: lenient(participantInfoSchema),
  targets: lenient(z.array(participantInfoSchema)),
  callbackUri: text,
  meetingInfo: lenient(meetingInfoSchema),
  chatInfo: lenient(chatInfoSchema),
  incomingContext: lenient(incomingContextSchema),
  requestedModalities: lenient(z.array(z.string())),
  callChainId: text,
  tenantId: text,
  myParticipantId: text,
  resultInfo: lenient(resultInfoSchema),
  terminationReason: text,
  toneInfo: lenient(toneInfoSchema),
});
export type Call = z.infer<typeof callSchema>;

/** `participant`: a member of the roster. */
export const participantSchema = z.looseObject({
  '@odata.type': text,
  id: nullableText,
  info: lenient(participantInfoSchema),
  isMuted: flag,
  isInLobby: flag,
  mediaStreams: lenient(z.array(z.looseObject({}))),
  metadata: nullableText,
});
export type Participant = z.infer<typeof participantSchema>;

/** `commsOperation` and its subtypes (`playPromptOperation`, `inviteParticipantsOperation`...). */
export const commsOperationSchema = z.looseObject({
  '@odata.type': text,
  id: text,
  status: lenient(lowerCase),
  clientContext: text,
  resultInfo: lenient(resultInfoSchema),
});
export type CommsOperation = z.infer<typeof commsOperationSchema>;

/**
 * `commsNotification`: one item of `value`. It must name its resource with
 * `resourceUrl` (`/communications/...`) and/or `resource` (`/app/...`);
 * `resourceData` is an object, an array (collections such as participants) or absent.
 */
export const commsNotificationSchema = z
  .looseObject({
    '@odata.type': text,
    changeType: lenient(lowerCase),
    resource: lenient(z.string().min(1)),
    resourceUrl: lenient(z.string().min(1)),
    // Checked, not copied: the event builders read `resourceData` with their own schemas.
    resourceData: lenient(
      z.custom<unknown[] | Record<string, unknown>>(
        (value) => typeof value === 'object' && value !== null,
      ),
    ),
    callbackUri: text,
  })
  .refine((item) => item.resource !== undefined || item.resourceUrl !== undefined, {
    message: 'a commsNotification needs a resourceUrl or a resource',
    path: ['resourceUrl'],
  });
export type CommsNotification = z.infer<typeof commsNotificationSchema>;

/** `commsNotifications`: the envelope of a Graph POST; `@odata.type` is often missing. */
export const commsNotificationsSchema = z.looseObject({
  '@odata.type': text,
  value: z.array(z.unknown()),
});
export type CommsNotifications = z.infer<typeof commsNotificationsSchema>;
