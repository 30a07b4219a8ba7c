/**
 * App-only Graph tokens by the OAuth 2.0 client-credentials grant, cached
 * until a minute before they expire. Used only against a real tenant.
 */
export function clientCredentials(options: {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope: string;
}): () => Promise<string> {
  let cached: { token: string; expiresAt: number } | undefined;
  return async () => {
    if (cached && cached.expiresAt > Date.now() + 60_000) return cached.token;
    const response = await fetch(options.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: options.clientId,
        client_secret: options.clientSecret,
        scope: options.scope,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string')
      throw new Error('token endpoint sent no access_token');
    cached = {
      token: body.access_token,
      expiresAt: Date.now() + Number(body.expires_in ?? 300) * 1000,
    };
    return cached.token;
  };
}
