import { ConfigError } from '../errors';
import type { Logger } from '../webhook/Logger';
import type { WebhookInstrumentation } from './WebhookInstrumentation';

/** What a webhook's pipeline needs to trace itself. */
export interface WebhookTracing {
  instrument: WebhookInstrumentation | undefined;
  /** Reports a hook that threw or rejected (the pipeline goes on). */
  onHookError: (error: unknown) => void;
}

/**
 * Checks the `instrument` option and ties hook failures to the logger.
 *
 * @throws {ConfigError} when `instrument` or one of its hooks is not a function.
 */
export function webhookTracingOf(
  instrument: WebhookInstrumentation | undefined,
  logger: Logger,
): WebhookTracing {
  if (instrument !== undefined) {
    if (typeof instrument !== 'object' || instrument === null) {
      throw new ConfigError('instrument must be an object { handle?, dispatch? } of functions');
    }
    for (const name of ['handle', 'dispatch'] as const) {
      if (instrument[name] !== undefined && typeof instrument[name] !== 'function') {
        throw new ConfigError(`instrument.${name} must be a function (context, run) => unknown`);
      }
    }
  }
  return {
    instrument,
    onHookError: (error) => {
      logger.error({ err: error }, 'callgate: an instrument hook failed; the request went on');
    },
  };
}
