/**
 * A pino-compatible logger: `logger.info({ callId }, 'message')`. Pass pino,
 * a pino child, or anything with these four methods. callgate never logs a
 * token or key material.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message?: string): void;
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
  /** pino's level check; when present, callgate skips building the fields of disabled levels. */
  isLevelEnabled?(level: string): boolean;
}

const ignore = (): void => {};

/** A logger that says nothing: what `logger: false` selects. */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/**
 * Whether `logger` would write at `level`: false for {@link silentLogger} and
 * for levels a pino-style `isLevelEnabled` turns off, so hot paths build log
 * fields only when someone reads them.
 *
 * @example
 * ```ts
 * if (isLogEnabled(logger, 'info')) logger.info({ callIds: expensive() }, 'decision');
 * ```
 */
export function isLogEnabled(logger: Logger, level: 'debug' | 'info' | 'warn' | 'error'): boolean {
  if (logger === silentLogger) return false;
  return typeof logger.isLevelEnabled !== 'function' || logger.isLevelEnabled(level) !== false;
}
