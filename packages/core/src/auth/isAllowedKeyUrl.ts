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
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname);
}

// The WHATWG URL parser already normalised IPv4 forms such as `127.1` or `0x7f.1`.
function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}
