import type { Logger } from '@callgate/core';

/**
 * A readable, pino-compatible logger for the demo transcript: one line per
 * entry, prefixed with the deployment, the reason first. (A production bot
 * passes pino itself.)
 */
export function consoleLogger(prefix: string, print: (line: string) => void): Logger {
  const line = (level: string) => (fields: Record<string, unknown>, message?: string) => {
    const { reason, status, action, code, detail, problem, err } = fields;
    const parts = [`[${prefix}]`, level === 'info' ? '' : level.toUpperCase(), message ?? ''];
    if (status !== undefined) parts.push(`-> ${String(status)} ${String(action ?? '')}`);
    if (code !== undefined) parts.push(`(${String(code)})`);
    if (reason !== undefined) parts.push(`: ${String(reason)}`);
    if (detail !== undefined) parts.push(`: ${String(detail)}`);
    if (problem !== undefined) parts.push(`[${String(problem)}]`);
    if (err instanceof Error) parts.push(`: ${err.message}`);
    print(parts.filter(Boolean).join(' '));
  };
  return { debug: () => {}, info: line('info'), warn: line('warn'), error: line('error') };
}
