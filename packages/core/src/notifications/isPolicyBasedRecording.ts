import type { IncomingCallEvent } from './events';
import { isJsonObject, ownValue } from './jsonKind';

/**
 * Whether an incoming call invites the bot as a Teams policy-based recorder:
 * `applicationMetadata.botData.inviteReasons` of the call contains
 * `PolicyBasedRecording` (any casing). Such calls must be answered within
 * 5 seconds, not 15 (Microsoft's `call: answer` reference).
 *
 * @example
 * ```ts
 * import { isPolicyBasedRecording } from '@callgate/core';
 *
 * webhook.on('incomingCall', (event) => {
 *   if (isPolicyBasedRecording(event)) startRecorder(event.callId);
 * });
 * ```
 */
export function isPolicyBasedRecording(event: Pick<IncomingCallEvent, 'call'>): boolean {
  const metadata = ownValue(event.call, 'applicationMetadata');
  const botData = isJsonObject(metadata) ? ownValue(metadata, 'botData') : undefined;
  const reasons = isJsonObject(botData) ? ownValue(botData, 'inviteReasons') : undefined;
  return (
    Array.isArray(reasons) &&
    reasons.some(
      (reason) => typeof reason === 'string' && reason.toLowerCase() === 'policybasedrecording',
    )
  );
}
