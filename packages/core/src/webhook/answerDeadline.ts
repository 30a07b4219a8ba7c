import type { CallEvent } from '../notifications/index';
import { isPolicyBasedRecording } from '../notifications/isPolicyBasedRecording';

/** Microsoft's answer window for policy-based recording calls (`call: answer` reference). */
export const POLICY_RECORDING_ANSWER_MS = 5_000;

/**
 * `ctx.deadline` of an event: for an incoming call, receipt + the answer
 * window (`answerDeadline`, 15 s by default; at most 5 s for a policy-based
 * recording call); undefined for every other event.
 */
export function answerDeadlineOf(
  event: CallEvent,
  receivedAtMs: number,
  answerDeadlineMs: number,
): Date | undefined {
  if (event.type !== 'incomingCall') return undefined;
  const window = isPolicyBasedRecording(event)
    ? Math.min(answerDeadlineMs, POLICY_RECORDING_ANSWER_MS)
    : answerDeadlineMs;
  return new Date(receivedAtMs + window);
}
