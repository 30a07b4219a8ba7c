import { type Logger, silentLogger } from '@callgate/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CallOperationError } from './CallOperationError';
import { CallTracker, type CallTrackerOptions, type TrackerGraph } from './CallTracker';
import {
  callItem,
  feed,
  incomingItem,
  operationItem,
  participant,
  rosterItem,
} from './trackingTestSupport';

const CALL = '2f1a1100-726f-4705-a6b2-d1a1d4a0e2e9';
const CALL_IN_URL_FORM = '2F1A1100726F4705A6B2D1A1D4A0E2E9';
const OP = 'a3e6bd3c-5c0b-4d30-9ba3-7a4f1a2c1b11';

function graphStub(overrides: Partial<TrackerGraph> = {}) {
  return {
    keepAlive: vi.fn(async (_callId: string) => {}),
    get: vi.fn(async (_callId: string): Promise<unknown> => ({ state: 'established' })),
    listParticipants: vi.fn(async (_callId: string): Promise<readonly unknown[]> => []),
    ...overrides,
  };
}

function trackerWith(options: Partial<CallTrackerOptions> = {}) {
  const graph = graphStub(options.graph);
  const warnings: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (_f, message) => warnings.push(String(message)) };
  const tracker = new CallTracker({
    logger,
    keepAlive: { interval: 1800 },
    maxTrackedCalls: 10_000,
    retainEnded: 300,
    completionTimeout: 300,
    now: Date.now,
    ...options,
    graph,
  });
  return { tracker, graph, warnings };
}

describe('CallTracker: the call', () => {
  it('follows a call from incoming through established to terminated, whatever spelling its id has', () => {
    const { tracker } = trackerWith();
    const updates: string[] = [];
    const ended = vi.fn();
    tracker.on('callUpdated', (call, change) => {
      updates.push(`${change.previousState}->${call.state}`);
    });
    tracker.on('callEnded', ended);
    feed(tracker, [incomingItem(CALL)]);
    expect(tracker.tracked(CALL)).toMatchObject({
      callId: CALL,
      state: 'incoming',
      direction: 'incoming',
      source: { identity: { user: { id: 'caller-1' } } },
      targets: [{ identity: { application: { id: 'bot-app' } } }],
    });
    feed(tracker, [callItem(CALL_IN_URL_FORM, 'establishing')]);
    feed(tracker, [
      callItem(CALL_IN_URL_FORM, 'established', 'updated', { mediaState: { audio: 'active' } }),
    ]);
    expect(tracker.trackedCalls()).toHaveLength(1);
    expect(tracker.tracked(CALL_IN_URL_FORM)).toMatchObject({
      state: 'established',
      mediaState: { audio: 'active' },
    });
    feed(tracker, [
      callItem(CALL, 'terminated', 'deleted', {
        resultInfo: { code: 0, subcode: 7015, message: 'transfer' },
      }),
    ]);
    const snapshot = tracker.tracked(CALL)!;
    expect(snapshot.state).toBe('terminated');
    expect(snapshot.terminated).toMatchObject({
      reason: 'terminated',
      resultInfo: { code: 0, subcode: 7015 },
    });
    expect(updates).toEqual([
      'undefined->incoming',
      'incoming->establishing',
      'establishing->established',
      'established->terminated',
    ]);
    expect(ended).toHaveBeenCalledTimes(1);
  });

  it('never goes back: establishing after established, anything after terminated', () => {
    const { tracker } = trackerWith();
    feed(tracker, [callItem(CALL, 'established')]);
    feed(tracker, [callItem(CALL, 'establishing')]);
    expect(tracker.tracked(CALL)!.state).toBe('established');
    feed(tracker, [callItem(CALL, 'terminated')]);
    feed(tracker, [callItem(CALL, 'established')]);
    feed(tracker, [rosterItem(CALL, [participant('p1')])]);
    expect(tracker.tracked(CALL)).toMatchObject({ state: 'terminated', participants: [] });
  });

  it('takes a jump from establishing straight to terminated, and a deleted call without a state', () => {
    const { tracker } = trackerWith();
    feed(tracker, [callItem(CALL, 'establishing')]);
    feed(tracker, [callItem(CALL, 'terminated')]);
    expect(tracker.tracked(CALL)!.terminated?.reason).toBe('terminated');
    const other = '11111111-2222-3333-4444-555555555555';
    feed(tracker, [callItem(other, 'established')]);
    feed(tracker, [{ changeType: 'deleted', resourceUrl: `/communications/calls/${other}` }]);
    expect(tracker.tracked(other)!.terminated?.reason).toBe('deleted');
  });

  it('starts tracking a call first seen mid-way (after a restart or a misroute)', () => {
    const { tracker } = trackerWith();
    feed(tracker, [rosterItem(CALL, [participant('p1')])]);
    expect(tracker.tracked(CALL)).toMatchObject({ state: 'unknown', participants: [{ id: 'p1' }] });
    feed(tracker, [callItem(CALL, 'established')]);
    expect(tracker.tracked(CALL)!.state).toBe('established');
  });

  it('returns frozen snapshots that later notifications do not change', () => {
    const { tracker } = trackerWith();
    feed(tracker, [callItem(CALL, 'established')]);
    const before = tracker.tracked(CALL)!;
    feed(tracker, [callItem(CALL, 'terminated')]);
    expect(before.state).toBe('established');
    expect(Object.isFrozen(before)).toBe(true);
    expect(Object.isFrozen(before.participants)).toBe(true);
  });
});

describe('CallTracker: the roster', () => {
  it('diffs full rosters sent as updated, and applies created and deleted items', () => {
    const { tracker } = trackerWith();
    const changes: string[] = [];
    tracker.on('participantsChanged', (_call, change) => {
      const ids = (list: readonly { id?: string | null | undefined }[]) =>
        list.map((p) => p.id).join(',');
      changes.push(`+${ids(change.joined)} -${ids(change.left)} ~${ids(change.updated)}`);
    });
    feed(tracker, [rosterItem(CALL, [participant('a')])]);
    feed(tracker, [rosterItem(CALL, [participant('a'), participant('b')])]);
    feed(tracker, [rosterItem(CALL, [participant('a', { isMuted: true }), participant('b')])]);
    feed(tracker, [rosterItem(CALL, [participant('b')])]);
    feed(tracker, [rosterItem(CALL, [participant('c')], 'created')]);
    feed(tracker, [rosterItem(CALL, [participant('b')], 'deleted')]);
    feed(tracker, [rosterItem(CALL, [participant('c')])]); // no change: no event
    expect(changes).toEqual(['+a - ~', '+b - ~', '+ - ~a', '+ -a ~', '+c - ~', '+ -b ~']);
    expect(tracker.tracked(CALL)!.participants.map((p) => p.id)).toEqual(['c']);
  });

  it('tells participants apart by identity when Graph sends id: null', () => {
    const { tracker } = trackerWith();
    const nameless = (user: string) => ({ id: null, info: { identity: { user: { id: user } } } });
    feed(tracker, [rosterItem(CALL, [nameless('u1'), nameless('u2')])]);
    feed(tracker, [rosterItem(CALL, [nameless('u2')])]);
    expect(tracker.tracked(CALL)!.participants).toHaveLength(1);
  });
});

describe('CallTracker: completions', () => {
  it('resolves with the operationCompleted event, also when it arrived before completion() was called', async () => {
    const { tracker } = trackerWith();
    feed(tracker, [callItem(CALL, 'established')]);
    const waiting = tracker.completion(CALL, OP);
    feed(tracker, [operationItem(CALL_IN_URL_FORM, OP.toUpperCase(), 'completed')]);
    await expect(waiting).resolves.toMatchObject({
      type: 'operationCompleted',
      status: 'completed',
    });

    const early = 'b3e6bd3c-5c0b-4d30-9ba3-7a4f1a2c1b22';
    feed(tracker, [operationItem(CALL, early, 'completed')]);
    await expect(tracker.completion(CALL, early)).resolves.toMatchObject({ operationId: early });
  });

  it('rejects with operation_failed and the operation resultInfo when Graph reports failed', async () => {
    const { tracker } = trackerWith();
    const waiting = tracker.completion(CALL, OP);
    feed(tracker, [
      operationItem(CALL, OP, 'failed', {
        resultInfo: { code: 400, subcode: 8508, message: 'bad prompt' },
      }),
    ]);
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallOperationError);
    expect(error).toMatchObject({
      code: 'operation_failed',
      resultInfo: { code: 400, subcode: 8508 },
    });
  });

  it('surfaces a completionReason: completed with a reason other than success is a failure', async () => {
    const { tracker } = trackerWith();
    const waiting = tracker.completion(CALL, OP);
    feed(tracker, [
      operationItem(CALL, OP, 'completed', { completionReason: 'mediaOperationCanceled' }),
    ]);
    await expect(waiting).rejects.toMatchObject({
      code: 'operation_failed',
      completionReason: 'mediaOperationCanceled',
    });
    const ok = 'c3e6bd3c-5c0b-4d30-9ba3-7a4f1a2c1b33';
    const succeeded = tracker.completion(CALL, ok);
    feed(tracker, [
      operationItem(CALL, ok, 'completed', { completionReason: 'completedSuccessfully' }),
    ]);
    await expect(succeeded).resolves.toMatchObject({ completionReason: 'completedSuccessfully' });
  });

  it('rejects with call_ended and the call resultInfo when the call terminates first, or already has', async () => {
    const { tracker } = trackerWith();
    feed(tracker, [callItem(CALL, 'established')]);
    const waiting = tracker.completion(CALL, OP);
    feed(tracker, [
      callItem(CALL, 'terminated', 'deleted', { resultInfo: { code: 200, subcode: 5001 } }),
    ]);
    await expect(waiting).rejects.toMatchObject({
      code: 'call_ended',
      resultInfo: { code: 200, subcode: 5001 },
    });
    await expect(tracker.completion(CALL, 'another-op')).rejects.toMatchObject({
      code: 'call_ended',
    });
  });

  it('rejects with timeout, with aborted on a signal, and with aborted on close()', async () => {
    vi.useFakeTimers();
    try {
      const { tracker } = trackerWith();
      const timingOut = tracker.completion(CALL, OP, { timeout: 2 }).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(2001);
      expect(await timingOut).toMatchObject({ code: 'timeout' });

      const controller = new AbortController();
      const aborting = tracker
        .completion(CALL, OP, { signal: controller.signal })
        .catch((e: unknown) => e);
      controller.abort();
      expect(await aborting).toMatchObject({ code: 'aborted' });

      const closing = tracker.completion(CALL, OP).catch((e: unknown) => e);
      tracker.close();
      expect(await closing).toMatchObject({ code: 'aborted' });
      expect(tracker.completions.pending).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps early outcomes for a bounded time', async () => {
    let now = 0;
    const { tracker } = trackerWith({ now: () => now });
    feed(tracker, [operationItem(CALL, OP, 'completed')], 0);
    now = 301_000;
    vi.useFakeTimers();
    try {
      const waiting = tracker.completion(CALL, OP, { timeout: 1 }).catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(1001);
      expect(await waiting).toMatchObject({ code: 'timeout' });
      expect(tracker.completions.retained).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('CallTracker: keepAlive', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends keepAlive every interval while the call is established, and stops at terminated', async () => {
    const { tracker, graph } = trackerWith({ keepAlive: { interval: 60 } });
    feed(tracker, [callItem(CALL, 'establishing')]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(graph.keepAlive).not.toHaveBeenCalled();
    feed(tracker, [callItem(CALL, 'established')]);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(graph.keepAlive).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(graph.keepAlive).toHaveBeenCalledTimes(1);
    expect(graph.keepAlive).toHaveBeenCalledWith(CALL);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(graph.keepAlive).toHaveBeenCalledTimes(3);
    feed(tracker, [callItem(CALL, 'terminated')]);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(graph.keepAlive).toHaveBeenCalledTimes(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ends tracking with reason not_found when keepAlive gets a 404 (the deleted never came)', async () => {
    const notFound = Object.assign(new Error('call not found'), { status: 404 });
    const { tracker } = trackerWith({
      keepAlive: { interval: 10 },
      graph: graphStub({ keepAlive: vi.fn(async () => Promise.reject(notFound)) }),
    });
    const ended = vi.fn();
    tracker.on('callEnded', ended);
    feed(tracker, [callItem(CALL, 'established')]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(tracker.tracked(CALL)!.terminated?.reason).toBe('not_found');
    expect(ended).toHaveBeenCalledWith(
      expect.objectContaining({ state: 'terminated' }),
      expect.objectContaining({ reason: 'not_found' }),
    );
    expect(vi.getTimerCount()).toBe(0);
  });

  it('tries again sooner after a keepAlive that failed otherwise, with a warning', async () => {
    let failures = 1;
    const keepAlive = vi.fn(async () => {
      if (failures-- > 0) throw Object.assign(new Error('busy'), { status: 503 });
    });
    const { tracker, warnings } = trackerWith({
      keepAlive: { interval: 1800 },
      graph: graphStub({ keepAlive }),
    });
    feed(tracker, [callItem(CALL, 'established')]);
    await vi.advanceTimersByTimeAsync(1_800_000);
    expect(keepAlive).toHaveBeenCalledTimes(1);
    expect(warnings).toEqual(['callgate: keepAlive failed; trying again']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(keepAlive).toHaveBeenCalledTimes(2);
  });

  it('sends none with keepAlive: false, and close() stops every timer', async () => {
    const off = trackerWith({ keepAlive: false });
    feed(off.tracker, [callItem(CALL, 'established')]);
    await vi.advanceTimersByTimeAsync(4_000_000);
    expect(off.graph.keepAlive).not.toHaveBeenCalled();

    const on = trackerWith({ keepAlive: { interval: 60 } });
    feed(on.tracker, [callItem(CALL, 'established')]);
    on.tracker.close();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(600_000);
    expect(on.graph.keepAlive).not.toHaveBeenCalled();
  });
});

describe('CallTracker: reconcile and adopt', () => {
  it('repairs a snapshot from GET call and GET participants', async () => {
    const { tracker, graph } = trackerWith({
      graph: graphStub({
        get: vi.fn(async () => ({
          state: 'established',
          direction: 'outgoing',
          mediaState: { audio: 'active' },
        })),
        listParticipants: vi.fn(async () => [participant('a'), participant('b')]),
      }),
    });
    feed(tracker, [callItem(CALL, 'establishing')]);
    const call = await tracker.reconcile(CALL);
    expect(graph.get).toHaveBeenCalledWith(CALL);
    expect(call).toMatchObject({
      state: 'established',
      direction: 'outgoing',
      mediaState: { audio: 'active' },
    });
    expect(call!.participants.map((p) => p.id)).toEqual(['a', 'b']);
  });

  it('adopt resumes following a known call: reconcile, a keepAlive now, then on schedule', async () => {
    vi.useFakeTimers();
    try {
      const { tracker, graph } = trackerWith({ keepAlive: { interval: 60 } });
      const call = await tracker.adopt(CALL);
      expect(call).toMatchObject({ callId: CALL, state: 'established' });
      expect(graph.keepAlive).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(graph.keepAlive).toHaveBeenCalledTimes(2);
      tracker.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('ends tracking when reconcile finds the call gone (404)', async () => {
    const gone = Object.assign(new Error('gone'), { status: 404 });
    const { tracker } = trackerWith({
      graph: graphStub({ get: vi.fn(async () => Promise.reject(gone)) }),
    });
    feed(tracker, [callItem(CALL, 'established')]);
    const call = await tracker.reconcile(CALL);
    expect(call?.terminated?.reason).toBe('not_found');
  });
});

describe('CallTracker: bounded memory', () => {
  it('drops ended calls first, never evicts a live call, and warns when it cannot track more', () => {
    const { tracker, warnings } = trackerWith({ maxTrackedCalls: 2 });
    feed(tracker, [callItem('call-1', 'established'), callItem('call-2', 'established')]);
    feed(tracker, [callItem('call-3', 'established')]);
    expect(tracker.tracked('call-3')).toBeUndefined();
    expect(warnings).toHaveLength(1);
    feed(tracker, [callItem('call-1', 'terminated')]);
    feed(tracker, [callItem('call-3', 'established')]);
    expect(
      tracker
        .trackedCalls()
        .map((c) => c.callId)
        .sort(),
    ).toEqual(['call-2', 'call-3']);
    expect(tracker.tracked('call-2')!.state).toBe('established');
  });

  it('keeps an ended call readable for retainEnded seconds, then forgets it', () => {
    let now = 0;
    const { tracker } = trackerWith({ now: () => now, retainEnded: 300 });
    feed(tracker, [callItem(CALL, 'terminated')], 0);
    now = 299_000;
    expect(tracker.tracked(CALL)?.state).toBe('terminated');
    now = 301_000;
    expect(tracker.tracked(CALL)).toBeUndefined();
  });

  it('reports a tracking handler that throws, and keeps tracking', () => {
    const errors: unknown[] = [];
    const { tracker } = trackerWith({
      logger: { ...silentLogger, error: (fields) => errors.push(fields.err) },
    });
    tracker.on('callUpdated', () => {
      throw new Error('listener bug');
    });
    feed(tracker, [callItem(CALL, 'established')]);
    expect(tracker.tracked(CALL)!.state).toBe('established');
    expect(errors).toHaveLength(1);
  });
});
