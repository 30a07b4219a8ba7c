import {
  type CallContext,
  type CallEvent,
  canonicalCallId,
  type Logger,
  type Participant,
  participantSchema,
  callSchema,
} from '@callgate/core';
import { CompletionRegistry } from './CompletionRegistry';
import { diffRoster } from './diffRoster';
import { participantKey } from './participantKey';
import type {
  CallEnding,
  OperationCompletion,
  RosterChange,
  TrackedCall,
  TrackingEventMap,
  TrackingEventName,
} from './TrackedCall';

/** What the tracker asks of Graph (the calls client's own methods). */
export interface TrackerGraph {
  keepAlive(callId: string): Promise<void>;
  get(callId: string): Promise<unknown>;
  listParticipants(callId: string): Promise<readonly unknown[]>;
}

/** Options of {@link CallTracker} (the `createCallsClient` options of the same names). */
export interface CallTrackerOptions {
  graph: TrackerGraph;
  logger: Logger;
  /** `{ interval }` seconds between keepAlives of an established call (default 1800); false: none. */
  keepAlive: { interval: number } | false;
  /** Most calls followed at once; default 10,000. Ended calls go first; live calls are never evicted. */
  maxTrackedCalls: number;
  /** Seconds an ended call stays readable (late notifications); default 300. */
  retainEnded: number;
  /** Default `completion()` timeout, seconds; default 300. */
  completionTimeout: number;
  now: () => number;
}

interface Entry {
  callId: string;
  state: string;
  direction: string | undefined;
  source: TrackedCall['source'];
  targets: TrackedCall['targets'];
  meetingInfo: TrackedCall['meetingInfo'];
  participants: Participant[];
  mediaState: Record<string, unknown> | undefined;
  startedAt: number;
  lastNotificationAt: number;
  terminated: CallEnding | undefined;
  keepAliveTimer: ReturnType<typeof setTimeout> | undefined;
}

// Out-of-order notifications must not move a call back ("establishing" after "established").
const STAGE: Record<string, number> = {
  incoming: 0,
  establishing: 1,
  established: 2,
  terminating: 3,
  terminated: 4,
};
const stageOf = (state: string) => STAGE[state] ?? 2;

/**
 * Follows every call a webhook sees, from its notifications: state, parties,
 * roster, operation outcomes, keepAlive. Fed by `webhook.observe`, so it is
 * current before any handler runs. Used by `createCallsClient({ webhook })`.
 */
export class CallTracker {
  readonly #options: CallTrackerOptions;
  readonly #calls = new Map<string, Entry>();
  readonly #ended: string[] = [];
  readonly #listeners: { [K in TrackingEventName]: Set<TrackingEventMap[K]> } = {
    callUpdated: new Set(),
    participantsChanged: new Set(),
    callEnded: new Set(),
  };
  readonly completions: CompletionRegistry;
  #overflowWarned = false;
  #closed = false;

  constructor(options: CallTrackerOptions) {
    this.#options = options;
    this.completions = new CompletionRegistry({
      retain: 300,
      maxRetained: 10_000,
      maxPending: 10_000,
      now: options.now,
    });
  }

  /** The webhook observer: one accepted event, before its handlers. */
  readonly observe = (event: CallEvent, context: CallContext): void => {
    if (this.#closed || event.callId === undefined) return;
    const at = context.receivedAt.getTime();
    switch (event.type) {
      case 'incomingCall':
      case 'callStateChanged': {
        const entry = this.#entryFor(event.callId, at);
        if (entry === undefined) return;
        entry.lastNotificationAt = at;
        if (event.type === 'incomingCall') {
          entry.direction = event.direction ?? 'incoming';
          entry.source = event.source;
          entry.targets = event.targets;
          entry.meetingInfo = event.meetingInfo;
        }
        const mediaState = mediaStateOf(event.raw);
        if (mediaState !== undefined) entry.mediaState = mediaState;
        const state = event.type === 'incomingCall' ? 'incoming' : event.state;
        if (state !== undefined) this.#moveTo(entry, state);
        return;
      }
      case 'callTerminated': {
        const entry = this.#entryFor(event.callId, at);
        if (entry === undefined) return;
        entry.lastNotificationAt = at;
        this.#end(entry, {
          at: new Date(at),
          resultInfo: event.resultInfo,
          reason:
            event.terminationReason ?? (event.call.state === undefined ? 'deleted' : 'terminated'),
        });
        return;
      }
      case 'participantsUpdated': {
        const entry = this.#entryFor(event.callId, at);
        if (entry === undefined || entry.terminated !== undefined) return;
        entry.lastNotificationAt = at;
        this.#applyRoster(entry, event.participants, event.changeType, event.resource);
        return;
      }
      case 'operationCompleted': {
        const entry = this.#calls.get(canonicalCallId(event.callId));
        if (entry !== undefined) entry.lastNotificationAt = at;
        if (event.status !== 'completed' && event.status !== 'failed') return;
        const completion: OperationCompletion = {
          ...event,
          completionReason: completionReasonOf(event.raw),
        };
        this.completions.settle(event.callId, completion);
        return;
      }
      default:
        return;
    }
  };

  /** The snapshot of `callId` (either spelling of the id), if followed. */
  tracked(callId: string): TrackedCall | undefined {
    this.#dropExpired();
    const entry = this.#calls.get(canonicalCallId(callId));
    return entry === undefined ? undefined : snapshot(entry);
  }

  /** Snapshots of every followed call (live and recently ended). */
  trackedCalls(): TrackedCall[] {
    this.#dropExpired();
    return [...this.#calls.values()].map(snapshot);
  }

  /** Registers a tracking event handler; returns a function that removes it. */
  on<Name extends TrackingEventName>(name: Name, handler: TrackingEventMap[Name]): () => void {
    const listeners = this.#listeners[name] as Set<TrackingEventMap[Name]> | undefined;
    if (listeners === undefined) throw new TypeError(`unknown tracking event ${String(name)}`);
    listeners.add(handler);
    return () => listeners.delete(handler);
  }

  /** Waits for an operation's outcome (see `calls.completion`). */
  completion(
    callId: string,
    operationId: string,
    options: { timeout?: number; signal?: AbortSignal } = {},
  ): Promise<OperationCompletion> {
    const entry = this.#calls.get(canonicalCallId(callId));
    const timeoutMs = (options.timeout ?? this.#options.completionTimeout) * 1000;
    const waiting = this.completions.wait(callId, operationId, timeoutMs, options.signal);
    if (entry?.terminated !== undefined)
      this.completions.endCall(callId, entry.terminated.resultInfo);
    return waiting;
  }

  /** Repairs a call's snapshot from Graph (`GET call`, `GET participants`). */
  async reconcile(callId: string): Promise<TrackedCall | undefined> {
    const now = this.#options.now();
    let call: unknown;
    let roster: readonly unknown[];
    try {
      [call, roster] = await Promise.all([
        this.#options.graph.get(callId),
        this.#options.graph.listParticipants(callId),
      ]);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      const entry = this.#calls.get(canonicalCallId(callId));
      if (entry !== undefined)
        this.#end(entry, { at: new Date(now), resultInfo: undefined, reason: 'not_found' });
      return this.tracked(callId);
    }
    const parsed = callSchema.safeParse(call).data ?? {};
    const entry = this.#entryFor(callId, now);
    if (entry === undefined) return undefined;
    if (parsed.direction !== undefined) entry.direction = parsed.direction;
    if (parsed.source !== undefined) entry.source = parsed.source;
    if (parsed.targets !== undefined) entry.targets = parsed.targets;
    if (parsed.meetingInfo !== undefined) entry.meetingInfo = parsed.meetingInfo;
    const mediaState = mediaStateOf({ resourceData: call });
    if (mediaState !== undefined) entry.mediaState = mediaState;
    const participants = roster.flatMap((item) => {
      const p = participantSchema.safeParse(item);
      return p.success ? [p.data] : [];
    });
    this.#applyRoster(entry, participants, 'updated', '/participants');
    if (parsed.state === 'terminated') {
      this.#end(entry, {
        at: new Date(now),
        resultInfo: parsed.resultInfo,
        reason: parsed.terminationReason ?? 'terminated',
      });
    } else if (parsed.state !== undefined) {
      // Graph's own word wins over what the notifications suggested.
      this.#setState(entry, parsed.state);
    }
    return snapshot(entry);
  }

  /**
   * Resumes following a call the bot knows of (after a restart or a rolling
   * deploy): reconcile, then a keepAlive now and on schedule.
   */
  async adopt(callId: string): Promise<TrackedCall | undefined> {
    const call = await this.reconcile(callId);
    const entry = this.#calls.get(canonicalCallId(callId));
    if (entry !== undefined && entry.terminated === undefined && entry.state === 'established') {
      await this.#sendKeepAlive(entry);
    }
    return call ?? this.tracked(callId);
  }

  /** Stops every timer and rejects every pending completion with `aborted`. */
  close(): void {
    this.#closed = true;
    for (const entry of this.#calls.values()) this.#stopKeepAlive(entry);
    this.completions.abortAll('the calls client was closed');
  }

  #entryFor(callId: string, at: number): Entry | undefined {
    const key = canonicalCallId(callId);
    const existing = this.#calls.get(key);
    if (existing !== undefined) return existing;
    this.#dropExpired();
    if (this.#calls.size >= this.#options.maxTrackedCalls && !this.#evictEnded()) {
      if (!this.#overflowWarned) {
        this.#overflowWarned = true;
        this.#options.logger.warn(
          { maxTrackedCalls: this.#options.maxTrackedCalls, callId },
          'callgate: maxTrackedCalls reached; new calls are not tracked (no keepAlive for them) until live calls end',
        );
      }
      return undefined;
    }
    this.#overflowWarned = false;
    const entry: Entry = {
      callId,
      state: 'unknown',
      direction: undefined,
      source: undefined,
      targets: [],
      meetingInfo: undefined,
      participants: [],
      mediaState: undefined,
      startedAt: at,
      lastNotificationAt: at,
      terminated: undefined,
      keepAliveTimer: undefined,
    };
    this.#calls.set(key, entry);
    return entry;
  }

  #moveTo(entry: Entry, state: string): void {
    if (entry.terminated !== undefined) return;
    if (state === 'terminated') {
      this.#end(entry, {
        at: new Date(this.#options.now()),
        resultInfo: undefined,
        reason: 'terminated',
      });
      return;
    }
    if (entry.state !== 'unknown' && stageOf(state) < stageOf(entry.state)) return;
    this.#setState(entry, state);
  }

  #setState(entry: Entry, state: string): void {
    if (entry.state === state) return;
    const previousState = entry.state === 'unknown' ? undefined : entry.state;
    entry.state = state;
    if (state === 'established') this.#scheduleKeepAlive(entry);
    this.#emit('callUpdated', entry, { previousState, state });
  }

  #applyRoster(
    entry: Entry,
    participants: readonly Participant[],
    changeType: string | undefined,
    resource: string,
  ): void {
    let change: RosterChange;
    const isCollection = /\/participants\/?$/i.test(resource);
    if (changeType === 'deleted') {
      const gone = new Set(participants.map(participantKey));
      const left = entry.participants.filter((p) => gone.has(participantKey(p)));
      entry.participants = entry.participants.filter((p) => !gone.has(participantKey(p)));
      change = { joined: [], left, updated: [] };
    } else if (changeType === 'created' || !isCollection) {
      // Single items: add or replace each, keep everyone else.
      const next = [...entry.participants];
      for (const participant of participants) {
        const index = next.findIndex((p) => participantKey(p) === participantKey(participant));
        if (index === -1) next.push(participant);
        else next[index] = participant;
      }
      change = diffRoster(entry.participants, next);
      entry.participants = next;
    } else {
      // A full roster: whoever is missing has left.
      change = diffRoster(entry.participants, participants);
      entry.participants = [...participants];
    }
    if (change.joined.length + change.left.length + change.updated.length > 0)
      this.#emit('participantsChanged', entry, change);
  }

  #end(entry: Entry, ending: CallEnding): void {
    if (entry.terminated !== undefined) return;
    const previousState = entry.state === 'unknown' ? undefined : entry.state;
    entry.terminated = ending;
    entry.state = 'terminated';
    this.#stopKeepAlive(entry);
    this.#ended.push(canonicalCallId(entry.callId));
    this.completions.endCall(entry.callId, ending.resultInfo);
    this.#emit('callUpdated', entry, { previousState, state: 'terminated' });
    this.#emit('callEnded', entry, ending);
  }

  #scheduleKeepAlive(entry: Entry, delayMs?: number): void {
    const keepAlive = this.#options.keepAlive;
    if (keepAlive === false || this.#closed || entry.terminated !== undefined) return;
    this.#stopKeepAlive(entry);
    entry.keepAliveTimer = setTimeout(
      () => {
        entry.keepAliveTimer = undefined;
        void this.#sendKeepAlive(entry);
      },
      delayMs ?? keepAlive.interval * 1000,
    );
    (entry.keepAliveTimer as { unref?: () => void }).unref?.();
  }

  #stopKeepAlive(entry: Entry): void {
    if (entry.keepAliveTimer !== undefined) clearTimeout(entry.keepAliveTimer);
    entry.keepAliveTimer = undefined;
  }

  async #sendKeepAlive(entry: Entry): Promise<void> {
    if (this.#closed || entry.terminated !== undefined) return;
    try {
      await this.#options.graph.keepAlive(entry.callId);
      this.#scheduleKeepAlive(entry);
    } catch (error) {
      if (isNotFound(error)) {
        this.#options.logger.info(
          { callId: entry.callId },
          'callgate: keepAlive answered 404, the call is gone; tracking ended',
        );
        this.#end(entry, {
          at: new Date(this.#options.now()),
          resultInfo: undefined,
          reason: 'not_found',
        });
        return;
      }
      const keepAlive = this.#options.keepAlive;
      const interval = keepAlive === false ? 0 : keepAlive.interval;
      // Graph drops a call 45 minutes after its last keepAlive: try again well before that.
      const retryMs = Math.min(interval * 1000, 60_000);
      this.#options.logger.warn(
        { callId: entry.callId, err: error, retryInMs: retryMs },
        'callgate: keepAlive failed; trying again',
      );
      this.#scheduleKeepAlive(entry, retryMs);
    }
  }

  #evictEnded(): boolean {
    while (this.#ended.length > 0) {
      const key = this.#ended.shift()!;
      const entry = this.#calls.get(key);
      if (entry?.terminated !== undefined) {
        this.#calls.delete(key);
        return true;
      }
    }
    return false;
  }

  #dropExpired(): void {
    const cutoff = this.#options.now() - this.#options.retainEnded * 1000;
    while (this.#ended.length > 0) {
      const key = this.#ended[0]!;
      const entry = this.#calls.get(key);
      if (entry?.terminated !== undefined && entry.terminated.at.getTime() > cutoff) return;
      this.#ended.shift();
      if (entry?.terminated !== undefined) this.#calls.delete(key);
    }
  }

  #emit<Name extends TrackingEventName>(
    name: Name,
    entry: Entry,
    change: Parameters<TrackingEventMap[Name]>[1],
  ): void {
    const listeners = this.#listeners[name] as Set<
      (call: TrackedCall, change: Parameters<TrackingEventMap[Name]>[1]) => void | Promise<void>
    >;
    if (listeners.size === 0) return;
    const call = snapshot(entry);
    for (const listener of listeners) {
      try {
        const result = listener(call, change);
        if (result instanceof Promise)
          result.catch((error: unknown) => this.#listenerFailed(name, entry, error));
      } catch (error) {
        this.#listenerFailed(name, entry, error);
      }
    }
  }

  #listenerFailed(name: string, entry: Entry, error: unknown): void {
    this.#options.logger.error(
      { err: error, event: name, callId: entry.callId },
      'callgate: a tracking event handler failed',
    );
  }
}

function snapshot(entry: Entry): TrackedCall {
  const call: {
    -readonly [K in keyof TrackedCall]: TrackedCall[K];
  } = {
    callId: entry.callId,
    state: entry.state,
    direction: entry.direction,
    source: entry.source,
    targets: Object.freeze([...entry.targets]),
    meetingInfo: entry.meetingInfo,
    participants: Object.freeze([...entry.participants]),
    startedAt: new Date(entry.startedAt),
    lastNotificationAt: new Date(entry.lastNotificationAt),
  };
  if (entry.mediaState !== undefined) call.mediaState = Object.freeze({ ...entry.mediaState });
  if (entry.terminated !== undefined) call.terminated = Object.freeze({ ...entry.terminated });
  return Object.freeze(call);
}

function mediaStateOf(raw: Record<string, unknown>): Record<string, unknown> | undefined {
  const data = raw.resourceData;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const mediaState = (data as { mediaState?: unknown }).mediaState;
  return typeof mediaState === 'object' && mediaState !== null && !Array.isArray(mediaState)
    ? (mediaState as Record<string, unknown>)
    : undefined;
}

function completionReasonOf(raw: Record<string, unknown>): string | undefined {
  const data = raw.resourceData;
  if (typeof data !== 'object' || data === null) return undefined;
  const reason = (data as { completionReason?: unknown }).completionReason;
  return typeof reason === 'string' ? reason : undefined;
}

/** A Graph 404 (the calls client's GraphError, or anything with `status: 404`). */
function isNotFound(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { status?: unknown }).status === 404
  );
}
