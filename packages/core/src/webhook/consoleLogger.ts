import type { Logger } from './Logger';

const ignore = (): void => {};

/** `fields` as one short `key=value` list; `err` by its message and its causes' messages. */
function describeFields(fields: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    parts.push(`${key}=${describeValue(value)}`);
  }
  return parts.join(' ');
}

function describeValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(describeError(value));
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** An error's message followed by its causes' (`a: b: c`), at most four deep. */
export function describeError(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      const prefix =
        'code' in current && typeof current.code === 'string' ? `[${current.code}] ` : '';
      if (current.message !== '') messages.push(prefix + current.message);
      current = current.cause;
    } else {
      messages.push(String(current));
      current = undefined;
    }
  }
  return messages.join(': ');
}

/**
 * The default logger of {@link createCallWebhook}: warnings and errors go to
 * the console (`console.warn` / `console.error`), `debug` and `info` are
 * dropped. A handler that throws, a routing fallback, an unreachable key
 * endpoint or a failed `warm()` is therefore visible without configuration,
 * while requests the webhook rightly refuses (401, 400) are logged below
 * `warn` and never reach it. Pass `logger: false` for silence, or pino.
 *
 * @example
 * ```ts
 * import { consoleLogger, createCallWebhook } from '@callgate/core';
 *
 * const webhook = createCallWebhook({
 *   appId: 'your-app-id',
 *   publicUrl: 'https://bot.example.com/api/calls',
 *   logger: consoleLogger, // the default, spelled out
 * });
 * ```
 */
export const consoleLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: (fields, message) => write(console.warn, fields, message ?? 'callgate: warning'),
  error: (fields, message) => write(console.error, fields, message ?? 'callgate: error'),
  isLevelEnabled: (level) => level === 'warn' || level === 'error',
};

/** One line of fields; an `err` that is an Error goes along whole, so the console shows its stack. */
function write(
  print: (...values: unknown[]) => void,
  fields: Record<string, unknown>,
  message: string,
): void {
  const { err, ...rest } = fields;
  const line = `${message} ${describeFields(err instanceof Error ? rest : fields)}`.trimEnd();
  if (err instanceof Error) print(line, err);
  else print(line);
}
