import { InvalidInputError } from './InvalidInputError';

/** Below this, a number is more likely seconds than epoch milliseconds (before 1973). */
const EPOCH_MS_FLOOR = 1e11;

/** A deadline option (`Date`, epoch ms or undefined) as epoch ms; refuses anything else. */
export function deadlineMs(deadline: Date | number | undefined): number | undefined {
  if (deadline === undefined) return undefined;
  if (deadline instanceof Date) {
    const ms = deadline.getTime();
    if (Number.isFinite(ms)) return ms;
    throw new InvalidInputError('invalid_argument', 'deadline is an invalid Date');
  }
  if (typeof deadline === 'number' && Number.isFinite(deadline) && deadline >= EPOCH_MS_FLOOR)
    return deadline;
  throw new InvalidInputError(
    'invalid_argument',
    `deadline must be a Date or epoch milliseconds (e.g. Date.now() + 15_000), or ctx.deadline; got ${String(deadline)}`,
  );
}
