import {
  type Call,
  type CommsOperation,
  callSchema,
  commsOperationSchema,
  type Participant,
  participantSchema,
} from '@callgate/core';
import * as z from 'zod';

/*
 * Tolerant schemas of what Graph answers: unknown properties pass through,
 * a field of the wrong shape reads as undefined, status comes out lower case.
 */

const maybe = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const maybeText = maybe(z.string().nullable());

/** `commsOperation`: `id`, `status` (lower case), `clientContext`, `resultInfo`, and the rest as sent. */
export type { CommsOperation };

/** `playPromptOperation`. */
export const playPromptOperationSchema = commsOperationSchema.extend({
  completionReason: maybeText,
});
export type PlayPromptOperation = z.infer<typeof playPromptOperationSchema>;

/** `recordOperation`: download `recordingLocation` with `recordingAccessToken` promptly. */
export const recordOperationSchema = commsOperationSchema.extend({
  recordingLocation: maybeText,
  recordingAccessToken: maybeText,
  completionReason: maybeText,
});
export type RecordOperation = z.infer<typeof recordOperationSchema>;

/** `sendDtmfTonesOperation`: errors come as `completed` with a `completionReason`. */
export const sendDtmfTonesOperationSchema = commsOperationSchema.extend({
  completionReason: maybeText,
});
export type SendDtmfTonesOperation = z.infer<typeof sendDtmfTonesOperationSchema>;

/** `inviteParticipantsOperation`. */
export const inviteParticipantsOperationSchema = commsOperationSchema.extend({
  participants: maybe(z.array(z.looseObject({}))),
});
export type InviteParticipantsOperation = z.infer<typeof inviteParticipantsOperationSchema>;

/** A collection page: `value` plus `@odata.nextLink`. */
export const participantPageSchema = z.looseObject({
  value: z.array(participantSchema),
  '@odata.nextLink': maybe(z.string()),
});

export { callSchema, commsOperationSchema, participantSchema };
export type { Call, Participant };
