import { ConfigError } from '../errors';

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]', '::1']);

/** True for hosts that never leave this machine: 127.0.0.0/8, ::1, localhost. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return LOOPBACK_HOSTS.has(host) || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Parses `value` as an absolute URL that callgate may send traffic or callers
 * to: `https:`, or `http:` on a loopback host (tests, the emulator). Returns
 * undefined for anything else, including URLs carrying credentials.
 */
export function parseSecureUrl(value: unknown): URL | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.username !== '' || url.password !== '') return undefined;
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  return undefined;
}

/**
 * Like {@link parseSecureUrl}, but throws a {@link ConfigError} naming `what`:
 * for configuration checked at construction.
 */
export function requireSecureUrl(value: unknown, what: string): URL {
  const url = parseSecureUrl(value);
  if (url === undefined) {
    throw new ConfigError(
      `${what} must be an absolute https: URL (http: only on 127.0.0.1/localhost/[::1]) without credentials; got ${JSON.stringify(value)}`,
    );
  }
  return url;
}
