import { canonicalCallId, type ResultInfo } from '@callgate/core';
import { CallOperationError } from './CallOperationError';
import type { OperationCompletion } from './TrackedCall';

/** Options of {@link CompletionRegistry}. */
export interface CompletionRegistryOptions {
  /** Seconds an outcome that nobody awaited yet is kept; default 300. */
  retain: number;
  /** Most outcomes kept at once (oldest dropped first); default 10,000. */
  maxRetained: number;
  /** Most `completion()` calls waiting at once; default 10,000. */
  maxPending: number;
  now: () => number;
}

type Outcome =
  | { ok: true; completion: OperationCompletion }
  | { ok: false; error: CallOperationError };

interface Waiter {
  settle(outcome: Outcome): void;
}

const keyOf = (callId: string, operationId: string) =>
  `${canonicalCallId(callId)}/${canonicalCallId(operationId)}`;

/**
 * Outcomes of operations, matched to whoever awaits them, in either order:
 * an outcome that arrives before `wait()` is kept (for a bounded time and
 * number) and settles it at once.
 */
export class CompletionRegistry {
  readonly #options: CompletionRegistryOptions;
  readonly #outcomes = new Map<string, { outcome: Outcome; at: number }>();
  readonly #waiters = new Map<string, Set<Waiter>>();
  #pendingCount = 0;

  constructor(options: CompletionRegistryOptions) {
    this.#options = options;
  }

  /** Waiters now (diagnostics, tests). */
  get pending(): number {
    return this.#pendingCount;
  }

  /** Outcomes kept now (diagnostics, tests). */
  get retained(): number {
    return this.#outcomes.size;
  }

  /** Whether an outcome of this operation is kept (arrived, nobody awaited it yet). */
  has(callId: string, operationId: string): boolean {
    this.#forgetExpired();
    return this.#outcomes.has(keyOf(callId, operationId));
  }

  /** Records an operation's outcome: completed (resolves) or failed (rejects). */
  settle(callId: string, completion: OperationCompletion): void {
    const operationId = completion.operationId;
    if (operationId === undefined) return;
    const outcome = outcomeOf(callId, operationId, completion);
    const key = keyOf(callId, operationId);
    const waiters = this.#waiters.get(key);
    if (waiters !== undefined) {
      this.#waiters.delete(key);
      for (const waiter of waiters) waiter.settle(outcome);
      return;
    }
    this.#forgetExpired();
    this.#outcomes.delete(key);
    this.#outcomes.set(key, { outcome, at: this.#options.now() });
    if (this.#outcomes.size > this.#options.maxRetained) {
      const oldest = this.#outcomes.keys().next().value;
      if (oldest !== undefined) this.#outcomes.delete(oldest);
    }
  }

  /** Rejects every waiter of `callId` (the call ended): `call_ended` with the call's resultInfo. */
  endCall(callId: string, resultInfo: ResultInfo | undefined): void {
    const prefix = `${canonicalCallId(callId)}/`;
    for (const [key, waiters] of this.#waiters) {
      if (!key.startsWith(prefix)) continue;
      this.#waiters.delete(key);
      for (const waiter of waiters) {
        const operationId = key.slice(prefix.length);
        waiter.settle({
          ok: false,
          error: new CallOperationError(
            'call_ended',
            `the call ended before operation ${operationId} completed`,
            { callId, operationId, resultInfo },
          ),
        });
      }
    }
  }

  /** Rejects every waiter with `aborted` (the client closed). */
  abortAll(reason: string): void {
    for (const [key, waiters] of this.#waiters) {
      this.#waiters.delete(key);
      const [callId = '', operationId = ''] = key.split('/');
      for (const waiter of waiters)
        waiter.settle({
          ok: false,
          error: new CallOperationError('aborted', reason, { callId, operationId }),
        });
    }
  }

  /**
   * Resolves with the operation's completion, or rejects with a
   * {@link CallOperationError}: kept outcomes settle at once; else waits up to
   * `timeoutMs` or until `signal` aborts.
   */
  wait(
    callId: string,
    operationId: string,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<OperationCompletion> {
    const key = keyOf(callId, operationId);
    this.#forgetExpired();
    const kept = this.#outcomes.get(key);
    if (kept !== undefined) {
      this.#outcomes.delete(key);
      return kept.outcome.ok
        ? Promise.resolve(kept.outcome.completion)
        : Promise.reject(kept.outcome.error);
    }
    const fail = (code: 'timeout' | 'aborted', message: string) =>
      new CallOperationError(code, message, { callId, operationId });
    if (signal?.aborted) return Promise.reject(fail('aborted', 'the signal was already aborted'));
    if (this.#pendingCount >= this.#options.maxPending) {
      return Promise.reject(
        fail('aborted', `too many operations awaited at once (${this.#options.maxPending})`),
      );
    }
    return new Promise<OperationCompletion>((resolve, reject) => {
      const waiters = this.#waiters.get(key) ?? new Set<Waiter>();
      this.#waiters.set(key, waiters);
      this.#pendingCount += 1;
      const onAbort = () => {
        waiters.delete(waiter);
        if (waiters.size === 0 && this.#waiters.get(key) === waiters) this.#waiters.delete(key);
        waiter.settle({ ok: false, error: fail('aborted', 'the signal aborted the wait') });
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        if (waiters.size === 0 && this.#waiters.get(key) === waiters) this.#waiters.delete(key);
        waiter.settle({
          ok: false,
          error: fail(
            'timeout',
            `operation ${operationId} did not complete within ${timeoutMs} ms`,
          ),
        });
      }, timeoutMs);
      (timer as { unref?: () => void }).unref?.();
      let settled = false;
      const waiter: Waiter = {
        settle: (outcome) => {
          if (settled) return;
          settled = true;
          this.#pendingCount -= 1;
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          if (outcome.ok) resolve(outcome.completion);
          else reject(outcome.error);
        },
      };
      waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  #forgetExpired(): void {
    const cutoff = this.#options.now() - this.#options.retain * 1000;
    for (const [key, kept] of this.#outcomes) {
      if (kept.at > cutoff) return;
      this.#outcomes.delete(key);
    }
  }
}

/** Failed, or completed with a completionReason other than success: a failure. */
function outcomeOf(callId: string, operationId: string, completion: OperationCompletion): Outcome {
  const reason = completion.completionReason;
  const failedReason = reason !== undefined && !/^(completedSuccessfully|unknown)$/i.test(reason);
  if (completion.status === 'failed' || failedReason) {
    const why = completion.resultInfo?.message ?? reason ?? 'no resultInfo';
    return {
      ok: false,
      error: new CallOperationError(
        'operation_failed',
        `operation ${operationId} ${completion.status === 'failed' ? 'failed' : `completed with ${reason}`}: ${why}`,
        {
          callId,
          operationId,
          resultInfo: completion.resultInfo,
          completionReason: reason,
        },
      ),
    };
  }
  return { ok: true, completion };
}
