import type { Logger } from '@callgate/core';
import type { AccessTokenLike, CallsCredential } from './credential';
import { decodeJwtPayload } from './decodeJwtPayload';

/** Refresh this long before expiry when the credential gives no `refreshAfterTimestamp`. */
const REFRESH_BEFORE_EXPIRY_MS = 2 * 60_000;
/** A token this close to expiry is not sent: it could expire in flight. */
const EXPIRY_MARGIN_MS = 30_000;

interface Entry {
  token: string;
  /** From here on, a refresh starts (the token is still used meanwhile). */
  refreshAt: number;
  /** From here on, the token is not used. */
  usableUntil: number;
}

/** Why a credential gave no token; becomes a `credential_failed` GraphError. */
export class CredentialFailure extends Error {}

/**
 * Access tokens per scope: reused until `refreshAfterTimestamp` (or 2 minutes
 * before expiry), then refreshed in the background while still valid; one
 * refresh per scope at a time, shared by every concurrent request.
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #refreshing = new Map<string, Promise<Entry>>();
  readonly #credential: CallsCredential;
  readonly #now: () => number;
  readonly #logger: Logger;

  constructor(credential: CallsCredential, now: () => number, logger: Logger) {
    this.#credential = credential;
    this.#now = now;
    this.#logger = logger;
  }

  /** A token for `scope`; rejects with {@link CredentialFailure}. */
  async get(scope: string): Promise<string> {
    const entry = this.#entries.get(scope);
    const now = this.#now();
    if (entry !== undefined && now < entry.refreshAt) return entry.token;
    const refresh = this.#refresh(scope);
    if (entry !== undefined && now < entry.usableUntil) {
      // Still valid: answer now, let the refresh finish in the background.
      refresh.catch((error: unknown) =>
        this.#logger.warn(
          { err: error, scope },
          'callgate: token refresh failed; using the current token until it expires',
        ),
      );
      return entry.token;
    }
    return (await refresh).token;
  }

  /** Forgets the token of `scope` (e.g. after Graph answered 401). */
  invalidate(scope: string): void {
    this.#entries.delete(scope);
  }

  #refresh(scope: string): Promise<Entry> {
    const running = this.#refreshing.get(scope);
    if (running !== undefined) return running;
    const refresh = this.#fetch(scope).then((entry) => {
      this.#entries.set(scope, entry);
      return entry;
    });
    this.#refreshing.set(scope, refresh);
    const done = () => this.#refreshing.delete(scope);
    refresh.then(done, done);
    return refresh;
  }

  async #fetch(scope: string): Promise<Entry> {
    let token: string;
    let expiresOn: number | undefined;
    let refreshAfter: number | undefined;
    try {
      if (typeof this.#credential === 'function') {
        token = await this.#credential(scope);
      } else {
        const result: AccessTokenLike | null = await this.#credential.getToken([scope]);
        if (result === null || result === undefined)
          throw new CredentialFailure(`the credential returned no token for ${scope}`);
        token = result.token;
        expiresOn = result.expiresOnTimestamp;
        refreshAfter = result.refreshAfterTimestamp;
      }
    } catch (error) {
      if (error instanceof CredentialFailure) throw error;
      throw new CredentialFailure(
        `the credential failed for ${scope}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    if (typeof token !== 'string' || token === '')
      throw new CredentialFailure(`the credential returned an empty token for ${scope}`);
    if (typeof expiresOn !== 'number' || !Number.isFinite(expiresOn)) {
      const exp = decodeJwtPayload(token)?.exp;
      expiresOn = typeof exp === 'number' ? exp * 1000 : undefined;
    }
    const now = this.#now();
    if (expiresOn === undefined) {
      // Unknown lifetime: use it for this burst of requests only.
      return { token, refreshAt: now, usableUntil: now };
    }
    const usableUntil = expiresOn - EXPIRY_MARGIN_MS;
    let refreshAt =
      typeof refreshAfter === 'number' && Number.isFinite(refreshAfter)
        ? refreshAfter
        : expiresOn - REFRESH_BEFORE_EXPIRY_MS;
    // A short-lived token would otherwise be refreshed on every request.
    if (refreshAt <= now) refreshAt = now + Math.max(0, (usableUntil - now) / 2);
    return { token, refreshAt: Math.min(refreshAt, usableUntil), usableUntil };
  }
}
