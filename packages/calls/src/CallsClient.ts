import type { Call, Participant } from '@callgate/core';
import type {
  OperationCompletion,
  TrackedCall,
  TrackingEventMap,
  TrackingEventName,
} from './tracking/TrackedCall';
import type {
  AnswerBody,
  ChangeScreenSharingRoleBody,
  ClientContextBody,
  CreateCallBody,
  InviteParticipantsBody,
  PlayPromptBody,
  RecordResponseBody,
  RedirectBody,
  RejectBody,
  SendDtmfTonesBody,
  StartHoldMusicBody,
  TransferBody,
  UpdateRecordingStatusBody,
} from './bodies';
import type {
  CommsOperation,
  InviteParticipantsOperation,
  PlayPromptOperation,
  RecordOperation,
  SendDtmfTonesOperation,
} from './results';

/** The last argument of every method. */
export interface RequestOptions {
  /** Aborts the request and any retry wait (`aborted`). */
  signal?: AbortSignal | undefined;
  /**
   * When the method must be done: a `Date` or epoch ms, e.g. `ctx.deadline` of
   * an incoming call. No attempt starts and no retry waits past it; the method
   * fails with `deadline_exceeded` before the deadline instead. For `answer`,
   * `reject` and `redirect` of a call the linked webhook saw arrive, that
   * call's deadline applies when none is given.
   */
  deadline?: Date | number | undefined;
  /** The `client-request-id` to send (default: a new UUID; the same on every retry). */
  clientRequestId?: string | undefined;
}

/** What {@link CallsClient.warm} found. */
export interface WarmResult {
  /** The `roles` (application permissions) in the token; undefined when it is not a readable JWT. */
  roles: string[] | undefined;
  /** Roles of `requiredRoles` the token lacks (warned about). */
  missingRoles: string[];
}

/** A Teams meeting to join, as `create` wants it. */
export interface MeetingJoinInfo {
  /** The meeting chat (absent for `/meet/{id}` links, which carry none). */
  chatInfo?: { '@odata.type': '#microsoft.graph.chatInfo'; threadId: string; messageId: string };
  meetingInfo:
    | {
        '@odata.type': '#microsoft.graph.organizerMeetingInfo';
        organizer: {
          '@odata.type': '#microsoft.graph.identitySet';
          user: { '@odata.type': '#microsoft.graph.identity'; id: string; tenantId?: string };
        };
      }
    | {
        '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo';
        joinMeetingId: string;
        passcode?: string;
      };
  /** The organizer's tenant, when the link says (`create` takes it as `tenantId`). */
  tenantId?: string;
}

/** Names of the Graph methods of a {@link CallsClient} (for cloud availability). */
export type CallsMethodName =
  | 'answer'
  | 'reject'
  | 'redirect'
  | 'transfer'
  | 'changeScreenSharingRole'
  | 'playPrompt'
  | 'recordResponse'
  | 'subscribeToTone'
  | 'sendDtmfTones'
  | 'mute'
  | 'unmute'
  | 'updateRecordingStatus'
  | 'cancelMediaProcessing'
  | 'inviteParticipants'
  | 'muteParticipant'
  | 'removeParticipant'
  | 'keepAlive'
  | 'hangUp'
  | 'get'
  | 'listParticipants'
  | 'getParticipant'
  | 'startHoldMusic'
  | 'stopHoldMusic'
  | 'create';

/**
 * A typed Microsoft Graph calls client: every method sends its body in
 * Graph's v1.0 shape, as given (adding only what Graph requires and the caller
 * left out), with a cached token, a `client-request-id`, retries and the
 * deadline. Failures reject with a `GraphError`. Create it with
 * `createCallsClient`.
 */
export interface CallsClient {
  /**
   * Answers an incoming call (`POST /communications/calls/{id}/answer`, 202).
   * Microsoft's limit: within **15 s** of the incoming call, **5 s** for a
   * policy-based recording call — pass `ctx.deadline`, or link the webhook and
   * it applies by itself. Adds `mediaConfig: serviceHostedMediaConfig` and the
   * webhook's `callbackUri` when missing.
   *
   * @example
   * ```ts
   * await calls.answer(event.callId, { acceptedModalities: ['audio'] }, { deadline: ctx.deadline });
   * ```
   */
  answer(callId: string, body: AnswerBody, options?: RequestOptions): Promise<void>;
  /**
   * Rejects an incoming call (`POST .../reject`, 202); within **15 s** (5 s for
   * policy-based recording). Does not end a call already answered (use `hangUp`).
   *
   * @example
   * ```ts
   * await calls.reject(event.callId, { reason: 'busy' });
   * ```
   */
  reject(callId: string, body?: RejectBody, options?: RequestOptions): Promise<void>;
  /**
   * Forwards an incoming call not yet answered (`POST .../redirect`, 202);
   * within **15 s** of its arrival. `timeout` is 15–90 s; up to 25 targets ring
   * at once.
   *
   * @example
   * ```ts
   * await calls.redirect(event.callId, {
   *   targets: [{ identity: { user: { id: userId } } }],
   *   timeout: 30,
   * });
   * ```
   */
  redirect(callId: string, body: RedirectBody, options?: RequestOptions): Promise<void>;
  /**
   * Transfers an established call (`POST .../transfer`, 202): both sides Teams
   * users of one tenant, or PSTN from an application instance. Completion comes
   * as a `callTerminated` with resultInfo 0/7015.
   *
   * @example
   * ```ts
   * await calls.transfer(callId, { transferTarget: { identity: { user: { id: userId } } } });
   * ```
   */
  transfer(callId: string, body: TransferBody, options?: RequestOptions): Promise<void>;
  /**
   * Shares or stops sharing the bot's screen in a group call (`POST
   * .../changeScreenSharingRole`, 202). Application-hosted media only: needs
   * Microsoft's Windows/.NET media SDK, so a Node bot cannot use it.
   *
   * @example
   * ```ts
   * await calls.changeScreenSharingRole(callId, { role: 'viewer' });
   * ```
   */
  changeScreenSharingRole(
    callId: string,
    body: ChangeScreenSharingRoleBody,
    options?: RequestOptions,
  ): Promise<void>;
  /**
   * Plays prompts (`POST .../playPrompt`, 200 + `playPromptOperation`): at most
   * **20** prompts; service-hosted media only. The outcome arrives later as an
   * `operationCompleted` event.
   *
   * @example
   * ```ts
   * const operation = await calls.playPrompt(callId, {
   *   prompts: [{ mediaInfo: { uri: 'https://cdn.contoso.com/welcome.wav' } }],
   *   clientContext: 'welcome',
   * });
   * ```
   */
  playPrompt(
    callId: string,
    body: PlayPromptBody,
    options?: RequestOptions,
  ): Promise<PlayPromptOperation>;
  /**
   * Records a short answer (`POST .../recordResponse`, 200 + `recordOperation`):
   * at most **one** prompt, at most **2 minutes** (`maxRecordDurationInSeconds`
   * ≤ 120). Download `recordingLocation` promptly when it completes.
   *
   * @example
   * ```ts
   * await calls.recordResponse(callId, { maxRecordDurationInSeconds: 10, playBeep: true });
   * ```
   */
  recordResponse(
    callId: string,
    body?: RecordResponseBody,
    options?: RequestOptions,
  ): Promise<RecordOperation>;
  /**
   * Subscribes to the caller's DTMF tones (`POST .../subscribeToTone`, 200);
   * tones then arrive as `callStateChanged` events with `toneInfo`.
   * Service-hosted media only.
   *
   * @example
   * ```ts
   * await calls.subscribeToTone(callId, { clientContext: 'menu' });
   * ```
   */
  subscribeToTone(
    callId: string,
    body?: ClientContextBody,
    options?: RequestOptions,
  ): Promise<CommsOperation>;
  /**
   * Sends DTMF tones (`POST .../sendDtmfTones`, 200 + `sendDtmfTonesOperation`).
   * Global service only (not US Government clouds). Failures come as
   * `completed` with a `completionReason`.
   *
   * @example
   * ```ts
   * await calls.sendDtmfTones(callId, { tones: ['tone1', 'pound'], delayBetweenTonesMs: 500 });
   * ```
   */
  sendDtmfTones(
    callId: string,
    body: SendDtmfTonesBody,
    options?: RequestOptions,
  ): Promise<SendDtmfTonesOperation>;
  /**
   * Mutes the bot itself in a group call (`POST .../mute`, 200 + `muteParticipantOperation`).
   *
   * @example
   * ```ts
   * await calls.mute(callId);
   * ```
   */
  mute(callId: string, body?: ClientContextBody, options?: RequestOptions): Promise<CommsOperation>;
  /**
   * Unmutes the bot itself (`POST .../unmute`, 200 + `unmuteParticipantOperation`).
   *
   * @example
   * ```ts
   * await calls.unmute(callId);
   * ```
   */
  unmute(
    callId: string,
    body?: ClientContextBody,
    options?: RequestOptions,
  ): Promise<CommsOperation>;
  /**
   * Tells Teams whether the bot records (`POST .../updateRecordingStatus`, 200):
   * required before persisting any media, and after stopping.
   *
   * @example
   * ```ts
   * await calls.updateRecordingStatus(callId, { status: 'recording' });
   * ```
   */
  updateRecordingStatus(
    callId: string,
    body: UpdateRecordingStatusBody,
    options?: RequestOptions,
  ): Promise<CommsOperation>;
  /**
   * Cancels running and queued playPrompt/recordResponse operations
   * (`POST .../cancelMediaProcessing`, 200); not subscribeToTone.
   *
   * @example
   * ```ts
   * await calls.cancelMediaProcessing(callId);
   * ```
   */
  cancelMediaProcessing(
    callId: string,
    body?: ClientContextBody,
    options?: RequestOptions,
  ): Promise<CommsOperation>;
  /**
   * Invites participants to a group call (`POST .../participants/invite`, 200 +
   * `inviteParticipantsOperation`); up to 5 at once (the call needs a `chatInfo`
   * for several).
   *
   * @example
   * ```ts
   * await calls.inviteParticipants(callId, { participants: [{ identity: { user: { id: userId } } }] });
   * ```
   */
  inviteParticipants(
    callId: string,
    body: InviteParticipantsBody,
    options?: RequestOptions,
  ): Promise<InviteParticipantsOperation>;
  /**
   * Mutes another participant (`POST .../participants/{pid}/mute`, 200).
   *
   * @example
   * ```ts
   * await calls.muteParticipant(callId, participantId);
   * ```
   */
  muteParticipant(
    callId: string,
    participantId: string,
    body?: ClientContextBody,
    options?: RequestOptions,
  ): Promise<CommsOperation>;
  /**
   * Removes a participant (`DELETE .../participants/{pid}`, 204). Retried after
   * a network failure.
   *
   * @example
   * ```ts
   * await calls.removeParticipant(callId, participantId);
   * ```
   */
  removeParticipant(callId: string, participantId: string, options?: RequestOptions): Promise<void>;
  /**
   * Keeps the call alive (`POST .../keepAlive`, 200): send one every **15–45
   * minutes**, or Graph ends the call after 45 minutes (408/8537). A 404 means
   * the call is gone. Retried after a network failure.
   *
   * @example
   * ```ts
   * setInterval(() => calls.keepAlive(callId).catch(log.warn), 15 * 60_000);
   * ```
   */
  keepAlive(callId: string, options?: RequestOptions): Promise<void>;
  /**
   * Hangs up (`DELETE /communications/calls/{id}`, 204). Retried after a network failure.
   *
   * @example
   * ```ts
   * await calls.hangUp(callId);
   * ```
   */
  hangUp(callId: string, options?: RequestOptions): Promise<void>;
  /**
   * Reads the call (`GET /communications/calls/{id}`). Retried after a network failure.
   *
   * @example
   * ```ts
   * const { state } = await calls.get(callId);
   * ```
   */
  get(callId: string, options?: RequestOptions): Promise<Call>;
  /**
   * Lists the participants (`GET .../participants`, every page). Retried after
   * a network failure.
   *
   * @example
   * ```ts
   * const roster = await calls.listParticipants(callId);
   * ```
   */
  listParticipants(callId: string, options?: RequestOptions): Promise<Participant[]>;
  /**
   * Reads one participant (`GET .../participants/{pid}`). Retried after a network failure.
   *
   * @example
   * ```ts
   * const participant = await calls.getParticipant(callId, participantId);
   * ```
   */
  getParticipant(
    callId: string,
    participantId: string,
    options?: RequestOptions,
  ): Promise<Participant>;
  /**
   * Puts a participant on hold with music (`POST .../participants/{pid}/startHoldMusic`,
   * 202 + `startHoldMusicOperation`); one participant on hold at a time.
   *
   * @example
   * ```ts
   * await calls.startHoldMusic(callId, participantId, {
   *   customPrompt: { mediaInfo: { uri: 'https://cdn.contoso.com/hold.wav' } },
   * });
   * ```
   */
  startHoldMusic(
    callId: string,
    participantId: string,
    body?: StartHoldMusicBody,
    options?: RequestOptions,
  ): Promise<CommsOperation>;
  /**
   * Takes a participant off hold (`POST .../participants/{pid}/stopHoldMusic`, 202).
   *
   * @example
   * ```ts
   * await calls.stopHoldMusic(callId, participantId);
   * ```
   */
  stopHoldMusic(
    callId: string,
    participantId: string,
    body?: ClientContextBody,
    options?: RequestOptions,
  ): Promise<CommsOperation>;
  /**
   * Places an outgoing call or joins a meeting (`POST /communications/calls`,
   * 201 + the `call`). Adds `serviceHostedMediaConfig` and the webhook's
   * `callbackUri` when missing; {@link joinMeetingInfo} turns a join link into
   * `chatInfo` + `meetingInfo`.
   *
   * @example
   * ```ts
   * const call = await calls.create({
   *   requestedModalities: ['audio'],
   *   ...joinMeetingInfo(joinWebUrl),
   * });
   * ```
   */
  create(body: CreateCallBody, options?: RequestOptions): Promise<Call>;
  /**
   * Fetches the access token now (call it at start-up, with `webhook.warm()`,
   * so the first answer does not wait for the identity provider) and warns,
   * naming them, about `requiredRoles` the token lacks.
   *
   * @example
   * ```ts
   * await Promise.all([webhook.warm(), calls.warm()]);
   * ```
   */
  warm(): Promise<WarmResult>;
  /**
   * The answer deadline of an incoming call the linked webhook saw (any id
   * spelling), else undefined.
   *
   * @example
   * ```ts
   * const deadline = calls.deadlineOf(event.callId);
   * ```
   */
  deadlineOf(callId: string): Date | undefined;
  /**
   * Resolves with the `operationCompleted` event when Graph reports the
   * operation `completed` (also when that notification arrived before this
   * call, or the operation's own response already said so); rejects with a
   * {@link CallOperationError}: `operation_failed` (failed, or completed with a
   * failing `completionReason`), `call_ended` (the call terminated first),
   * `timeout` (default `completionTimeout`, 300 s), `aborted` (signal or `close()`).
   * Needs the linked webhook. Either spelling of the ids works.
   *
   * @example
   * ```ts
   * const operation = await calls.playPrompt(callId, { prompts: [prompt] });
   * await calls.completion(callId, operation.id);
   * ```
   */
  completion(
    callId: string,
    operationId: string,
    options?: { timeout?: number; signal?: AbortSignal },
  ): Promise<OperationCompletion>;
  /**
   * A read-only snapshot of a call the linked webhook saw (state, parties,
   * roster, `terminated`), current before your handlers run; undefined when
   * not tracked.
   *
   * @example
   * ```ts
   * const call = calls.tracked(event.callId);
   * if (call?.state === 'established') console.log(call.participants.length);
   * ```
   */
  tracked(callId: string): TrackedCall | undefined;
  /**
   * Snapshots of every tracked call, live and recently ended.
   *
   * @example
   * ```ts
   * const live = calls.trackedCalls().filter((call) => call.terminated === undefined);
   * ```
   */
  trackedCalls(): TrackedCall[];
  /**
   * Registers a tracking handler: `callUpdated` (state changes),
   * `participantsChanged` (`{ joined, left, updated }`), `callEnded` (`{ at,
   * resultInfo, reason }`); returns a function that removes it.
   *
   * @example
   * ```ts
   * calls.on('participantsChanged', (call, { joined, left }) => console.log(call.callId, joined.length, left.length));
   * ```
   */
  on<Name extends TrackingEventName>(name: Name, handler: TrackingEventMap[Name]): () => void;
  /**
   * Repairs a call's snapshot from Graph (`GET call` + `GET participants`);
   * a 404 ends its tracking (`reason: 'not_found'`).
   *
   * @example
   * ```ts
   * await calls.reconcile(callId);
   * ```
   */
  reconcile(callId: string): Promise<TrackedCall | undefined>;
  /**
   * Resumes following a call the bot knows of (from its own store after a
   * restart or a rolling deploy): reconcile, then a keepAlive now and every
   * `keepAlive.interval`. Without it a deploy silently drops every live call
   * 45 minutes later.
   *
   * @example
   * ```ts
   * for (const callId of await store.liveCallIds()) await calls.adopt(callId);
   * ```
   */
  adopt(callId: string): Promise<TrackedCall | undefined>;
  /**
   * Stops following the linked webhook, stops every keepAlive timer, and
   * rejects pending `completion()`s with `aborted`. Requests already made
   * finish. With `webhook.idle()`, a graceful shutdown.
   *
   * @example
   * ```ts
   * server.close(async () => { await webhook.idle(); calls.close(); });
   * ```
   */
  close(): void;
  /** The Graph base URL requests go to, e.g. `https://graph.microsoft.com/v1.0`. */
  readonly baseUrl: string;
  /** The token scope, e.g. `https://graph.microsoft.com/.default`. */
  readonly scope: string;
}
