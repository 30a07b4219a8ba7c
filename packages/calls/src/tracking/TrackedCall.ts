import type {
  MeetingInfo,
  OperationCompletedEvent,
  Participant,
  ParticipantInfo,
  ResultInfo,
} from '@callgate/core';

/** How a tracked call ended. */
export interface CallEnding {
  /** When callgate learned that the call ended. */
  at: Date;
  /** The call's `resultInfo` (e.g. 408/8537 when Graph cleaned up an inactive call). */
  resultInfo: ResultInfo | undefined;
  /**
   * Why: Graph's `terminationReason` when it sent one, else `terminated` (a
   * terminated notification), `deleted` (a deleted notification without a state),
   * `not_found` (Graph answered 404 to keepAlive, get or reconcile: the call is gone).
   */
  reason: string;
}

/**
 * A read-only snapshot of a call that a linked calls client follows
 * (`calls.tracked(callId)`): its state, parties and roster as the webhook's
 * notifications (and `reconcile`) described it.
 */
export interface TrackedCall {
  /** The call id as first seen. */
  readonly callId: string;
  /** Lower case: `incoming`, `establishing`, `established`, `terminating`, `terminated`... */
  readonly state: string;
  /** `incoming` or `outgoing` when known. */
  readonly direction: string | undefined;
  readonly source: ParticipantInfo | undefined;
  readonly targets: readonly ParticipantInfo[];
  readonly meetingInfo: MeetingInfo | undefined;
  /** The roster: every participant Graph reported and did not report gone. */
  readonly participants: readonly Participant[];
  /** The call's `mediaState` (e.g. `{ audio: 'active' }`) when Graph sent one. */
  readonly mediaState?: Readonly<Record<string, unknown>>;
  /** When tracking started (the first notification, or `adopt`). */
  readonly startedAt: Date;
  /** When the last notification of the call arrived. */
  readonly lastNotificationAt: Date;
  /** Set once the call ended; a terminated call never goes back. */
  readonly terminated?: Readonly<CallEnding>;
}

/** What changed in a `callUpdated` event. */
export interface CallUpdate {
  /** The state before this notification (undefined for a call first seen now). */
  previousState: string | undefined;
  state: string;
}

/** What changed in a `participantsChanged` event: participants by their `id`. */
export interface RosterChange {
  joined: readonly Participant[];
  left: readonly Participant[];
  updated: readonly Participant[];
}

/** Events of a linked calls client's tracking, and what each handler receives. */
export interface TrackingEventMap {
  callUpdated: (call: TrackedCall, change: CallUpdate) => void | Promise<void>;
  participantsChanged: (call: TrackedCall, change: RosterChange) => void | Promise<void>;
  callEnded: (call: TrackedCall, ending: Readonly<CallEnding>) => void | Promise<void>;
}

/** The name of a tracking event. */
export type TrackingEventName = keyof TrackingEventMap;

/** What `calls.completion()` resolves with: the `operationCompleted` event (plus `completionReason`). */
export type OperationCompletion = OperationCompletedEvent & {
  /** sendDtmfTones and a few others report how they completed (`completedSuccessfully`...). */
  completionReason?: string | undefined;
};
