import { AuthError } from '../auth/AuthError';
import type { VerifiedCaller } from '../auth/types';
import type { AuthVerifyContext } from './channels';
import { authVerifyChannel } from './coreChannels';

/**
 * Runs one token verification as a `callgate:auth.verify` trace; `verify`
 * receives the context to note the cache outcome in (undefined when nobody
 * listens: then nothing is built).
 */
export function traceAuthVerify(
  verify: (context: AuthVerifyContext | undefined) => Promise<VerifiedCaller>,
): Promise<VerifiedCaller> {
  if (!authVerifyChannel.hasSubscribers) return verify(undefined);
  const context: AuthVerifyContext = {};
  return authVerifyChannel.tracePromise(async () => {
    try {
      const caller = await verify(context);
      context.tokenKind = caller.kind;
      context.tenantId = caller.tenantId;
      return caller;
    } catch (error) {
      if (error instanceof AuthError) context.reason = error.code;
      throw error;
    }
  }, context);
}
