import type { HeaderMap } from './types';

/** What a redacted credential header reads as. */
export const REDACTED = '[redacted]';

/**
 * A frozen shallow copy of `headers` with the bearer credentials
 * (`Authorization`, and `Authentication` as Microsoft's doc sample spells it,
 * any casing) replaced by `'[redacted]'`: what handlers and routing callbacks
 * see, so that logging `ctx` never leaks a token. The verified token is
 * `ctx.caller`.
 *
 * @example
 * ```ts
 * redactHeaders({ authorization: 'Bearer eyJ…', 'x-microsoft-skype-chain-id': 'c1' });
 * // { authorization: '[redacted]', 'x-microsoft-skype-chain-id': 'c1' }
 * ```
 */
export function redactHeaders(headers: HeaderMap): HeaderMap {
  const copy: HeaderMap = {};
  for (const name of Object.keys(headers)) {
    copy[name] = isCredential(name) ? REDACTED : headers[name];
  }
  return Object.freeze(copy);
}

function isCredential(name: string): boolean {
  // Length first: nearly every header is rejected without lower-casing it.
  return (
    (name.length === 13 && name.toLowerCase() === 'authorization') ||
    (name.length === 14 && name.toLowerCase() === 'authentication')
  );
}
