/**
 * An access token as `@azure/core-auth`'s `TokenCredential.getToken` returns it.
 */
export interface AccessTokenLike {
  token: string;
  /** When the token expires, epoch ms. */
  expiresOnTimestamp: number;
  /** When the credential suggests refreshing it, epoch ms. */
  refreshAfterTimestamp?: number | undefined;
}

/**
 * Anything shaped like `@azure/core-auth`'s `TokenCredential`:
 * `@azure/identity`'s ClientSecretCredential, ClientCertificateCredential,
 * ManagedIdentityCredential, DefaultAzureCredential… No `@azure` package is
 * needed at run time.
 */
export interface TokenCredentialLike {
  getToken(scopes: string | string[], options?: object): Promise<AccessTokenLike | null>;
}

/**
 * Where `@callgate/calls` gets Graph access tokens: a {@link TokenCredentialLike},
 * or a function returning a token for a scope (its JWT `exp`, when readable,
 * decides how long it is reused).
 */
export type CallsCredential = TokenCredentialLike | ((scope: string) => Promise<string>);
