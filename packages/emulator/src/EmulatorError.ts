import { CallgateError } from '@callgate/core';

/** Codes of {@link EmulatorError}. */
export type EmulatorErrorCode =
  | 'invalid_options'
  | 'unknown_scenario'
  | 'emulator_unreachable'
  | 'emulator_refused';

/**
 * An emulator misuse or an emulator process that cannot be reached: a wrong
 * option, an unknown scenario name, a `--issuer-url` nobody listens on.
 *
 * A bot that misbehaves never throws: it makes a scenario fail, with the
 * reasons in {@link ScenarioResult.failures}.
 *
 * @example
 * ```ts
 * try {
 *   await playScenario('nope', options);
 * } catch (error) {
 *   if (error instanceof EmulatorError && error.code === 'unknown_scenario') listScenarios();
 * }
 * ```
 */
export class EmulatorError extends CallgateError<EmulatorErrorCode> {
  constructor(code: EmulatorErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { status: 500, ...options });
  }
}
