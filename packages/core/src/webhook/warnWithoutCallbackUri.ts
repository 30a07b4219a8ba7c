import type { Logger } from './Logger';

/**
 * Returns a check to run whenever a handler is registered: the first
 * `incomingCall` handler of a webhook that cannot build a `callbackUri`
 * (neither `publicUrl` nor `routing.partition`) logs one warning, because
 * answering a call needs one and `webhook.callbackUri()` would throw at the
 * first call. `createCallWebhook({ appId })` stays valid (a bot may pass its
 * own callbackUri); the warning just says so before the first call does.
 *
 * @example
 * ```ts
 * const check = warnWithoutCallbackUri(false, logger);
 * check('incomingCall'); // warns once
 * check('incomingCall'); // silent
 * ```
 */
export function warnWithoutCallbackUri(
  canBuildCallbackUri: boolean,
  logger: Logger,
): (eventName: string) => void {
  let warned = canBuildCallbackUri;
  return (eventName) => {
    if (warned || eventName !== 'incomingCall') return;
    warned = true;
    logger.warn(
      { option: 'publicUrl' },
      'callgate: an incomingCall handler is registered, but webhook.callbackUri() cannot be built: ' +
        "pass `publicUrl` (this webhook's public https URL) or `routing.partition` to createCallWebhook, " +
        'or answer with a callbackUri of your own',
    );
  };
}
