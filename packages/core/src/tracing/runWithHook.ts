import type { InstrumentHook } from './WebhookInstrumentation';

/**
 * Runs `work` through `hook` (if any), exactly once, whatever the hook does:
 * a hook that throws, rejects, never calls `run` or calls it late still gets
 * the work run and its own outcome returned.
 */
export function runWithHook<Context, T>(
  hook: InstrumentHook<Context> | undefined,
  context: Context,
  work: () => Promise<T>,
  onHookError: (error: unknown) => void,
): Promise<T> {
  if (hook === undefined) return work();
  let started: Promise<T> | undefined;
  const run = (): Promise<void> => {
    started ??= work();
    return started.then(
      () => undefined,
      () => undefined,
    );
  };
  try {
    const returned = hook(context, run);
    if (isThenable(returned)) returned.then(undefined, onHookError);
  } catch (error) {
    onHookError(error);
  }
  started ??= work();
  return started;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
