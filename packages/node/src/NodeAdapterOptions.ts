/**
 * Options shared by the Node-based adapters (`@callgate/node`,
 * `@callgate/express`, `@callgate/koa`).
 */
export interface NodeAdapterOptions {
  /**
   * Serve only this exact path (the query string is ignored), e.g. `/api/calls`.
   * Other paths go to `next()` when there is one, else get a 404.
   */
  path?: string;
  /** Body limit in bytes for this adapter; overrides the webhook's `limits.maxBodyBytes`. */
  maxBodyBytes?: number;
  /**
   * Called if `webhook.handle` rejects, which it is designed never to do; the
   * request is still answered with a 500.
   */
  onError?: (error: unknown) => void;
}
