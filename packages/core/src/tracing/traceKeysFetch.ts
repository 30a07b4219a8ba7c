import type { KeysFetchContext } from './channels';
import { keysFetchChannel } from './coreChannels';

/**
 * Runs one network load of an OpenID configuration or key set as a
 * `callgate:keys.fetch` trace (a plain call when nobody listens).
 */
export function traceKeysFetch<T>(
  kind: KeysFetchContext['kind'],
  url: string,
  load: () => Promise<T>,
  countKeys?: (loaded: T) => number,
): Promise<T> {
  if (!keysFetchChannel.hasSubscribers) return load();
  const context: KeysFetchContext = { kind, url };
  return keysFetchChannel.tracePromise(async () => {
    const loaded = await load();
    if (countKeys !== undefined) context.keyCount = countKeys(loaded);
    return loaded;
  }, context);
}
