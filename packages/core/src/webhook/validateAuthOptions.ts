import type { TokenVerifier, TokenVerifierOptions } from '../auth/index';
import { ConfigError } from '../errors';

/** The `auth` option of `createCallWebhook`. */
export type WebhookAuthOptions = Partial<TokenVerifierOptions> & { verifier?: TokenVerifier };

/**
 * Refuses at construction the `auth` options that would quietly trust other
 * tokens than the webhook says: a shared `verifier` next to options it would
 * ignore (`tenants`, `clockTolerance` …), a `verifier` whose audiences are not
 * exactly the webhook's `appId`, and an `auth.appId` that differs from it.
 *
 * @throws {ConfigError} naming the conflicting options.
 * @example
 * ```ts
 * const verifier = createTokenVerifier({ appId: BOT_APP_ID });
 * validateAuthOptions(BOT_APP_ID, { verifier }); // fine
 * validateAuthOptions(BOT_APP_ID, { verifier, tenants: [TENANT] }); // throws ConfigError
 * ```
 */
export function validateAuthOptions(
  appId: string | readonly string[],
  auth: WebhookAuthOptions | undefined,
): void {
  if (auth === undefined) return;
  if (typeof auth !== 'object' || auth === null) {
    throw new ConfigError('auth must be an object of token verifier options, or { verifier }');
  }
  const webhookAppIds = typeof appId === 'string' ? [appId] : appId;
  const { verifier, ...others } = auth;
  if (verifier === undefined) {
    if (auth.appId !== undefined && !sameIds(toList(auth.appId), webhookAppIds)) {
      throw new ConfigError(
        `auth.appId (${describeIds(toList(auth.appId))}) differs from appId (${describeIds(webhookAppIds)}): give the App ID once, as appId`,
      );
    }
    return;
  }
  if (typeof verifier !== 'object' || verifier === null || typeof verifier.verify !== 'function') {
    throw new ConfigError('auth.verifier must be a token verifier (see createTokenVerifier)');
  }
  const ignored = Object.keys(others).filter(
    (name) => (others as Record<string, unknown>)[name] !== undefined,
  );
  if (ignored.length > 0) {
    throw new ConfigError(
      `auth.verifier is used as it is, so auth.${ignored.join(', auth.')} would be ignored: pass ${ignored.length > 1 ? 'them' : 'it'} to createTokenVerifier instead, or drop the shared verifier`,
    );
  }
  const accepted = verifier.appIds;
  if (!Array.isArray(accepted)) {
    throw new ConfigError(
      'auth.verifier does not say which App IDs it accepts (verifier.appIds): use a verifier made by createTokenVerifier',
    );
  }
  if (!sameIds(accepted, webhookAppIds)) {
    throw new ConfigError(
      `auth.verifier accepts the audience(s) ${describeIds(accepted)}, not this webhook's appId (${describeIds(webhookAppIds)}): share a verifier only between webhooks of the same App ID(s)`,
    );
  }
}

function toList(ids: string | readonly string[]): readonly string[] {
  return typeof ids === 'string' ? [ids] : ids;
}

function sameIds(a: readonly unknown[], b: readonly unknown[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((id) => right.has(id));
}

function describeIds(ids: readonly unknown[]): string {
  return ids.map((id) => JSON.stringify(id)).join(', ');
}
