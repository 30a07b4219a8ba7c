import { parseSecureUrl } from '../http/secureUrl';

/**
 * Whether metadata or keys may be fetched from `url`: `https:` anywhere, plain
 * `http:` only on loopback (`localhost`, 127.0.0.0/8, `[::1]`) for tests and
 * the emulator. Anything else would let a network attacker swap the keys.
 *
 * @example
 * ```ts
 * isAllowedKeyUrl('https://login.microsoftonline.com/common/discovery/v2.0/keys'); // true
 * isAllowedKeyUrl('http://127.0.0.1:4000/keys'); // true
 * isAllowedKeyUrl('http://keys.example/keys'); // false
 * ```
 */
export function isAllowedKeyUrl(url: string): boolean {
  return parseSecureUrl(url) !== undefined;
}
