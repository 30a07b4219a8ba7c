import { ConfigError } from '../errors';
import { consoleLogger } from './consoleLogger';
import { type Logger, silentLogger } from './Logger';

/**
 * The logger a webhook writes to: the console (warnings and errors) unless
 * the user gives one, silence only when asked (`false` or `silentLogger`).
 *
 * @throws {ConfigError} when `logger` lacks one of the four level methods.
 * @example
 * ```ts
 * resolveLogger(undefined); // consoleLogger
 * resolveLogger(false);     // silentLogger
 * resolveLogger(pino());    // pino
 * ```
 */
export function resolveLogger(logger: Logger | false | undefined): Logger {
  if (logger === false) return silentLogger;
  if (logger === undefined) return consoleLogger;
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof logger?.[level] !== 'function')
      throw new ConfigError(
        `logger.${level} must be a function (a pino-compatible logger), or pass logger: false`,
      );
  }
  return logger;
}
