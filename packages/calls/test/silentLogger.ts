import type { Logger } from '@callgate/core';

/** A logger that keeps what it is told, for assertions. */
export function recordingLogger() {
  const lines: { level: string; fields: Record<string, unknown>; message: string | undefined }[] =
    [];
  const at = (level: string) => (fields: Record<string, unknown>, message?: string) => {
    lines.push({ level, fields, message });
  };
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { logger, lines };
}
