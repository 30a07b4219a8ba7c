import { createCallsClient, type TokenCredentialLike } from '@callgate/calls';
import { readFileSync } from 'node:fs';
import { createCallWebhook, type TokenVerifier } from '@callgate/core';
import { describe, expect, it } from 'vitest';
import { countingCredential, scriptedFetch } from './fakeGraph';

/**
 * The shape of `@azure/identity`'s ClientSecretCredential as `@azure/core-auth`
 * declares it (`getToken(scopes, options?: GetTokenOptions): Promise<AccessToken | null>`):
 * what `credential` must accept without an `@azure` dependency.
 */
interface AzureAccessToken {
  token: string;
  expiresOnTimestamp: number;
  refreshAfterTimestamp?: number;
  tokenType?: 'Bearer' | 'pop';
}
interface AzureGetTokenOptions {
  abortSignal?: { aborted: boolean };
  tenantId?: string;
  claims?: string;
  enableCae?: boolean;
}
class ClientSecretCredential {
  constructor(
    readonly tenantId: string,
    readonly clientId: string,
    readonly secret: string,
  ) {}
  async getToken(
    _scopes: string | string[],
    _options?: AzureGetTokenOptions,
  ): Promise<AzureAccessToken | null> {
    return { token: 'x.e30.y', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

describe('the example of issue 14 compiles under the strict settings and runs', () => {
  it('answers an incoming call with ctx.deadline (Date | undefined) and event.callId (string)', async () => {
    const tenantId = 'tenant';
    const appId = 'app';
    const secret = 'secret';
    const verifier: TokenVerifier = {
      verify: async () => ({ kind: 'aad', tenantId, appId: '', issuer: 'test', claims: {} }),
      warm: async () => {},
      appIds: [appId],
    };
    const webhook = createCallWebhook({
      appId,
      auth: { verifier },
      publicUrl: 'https://bot.contoso.com/api/calls',
    });
    const { fetch, seen } = scriptedFetch([{ status: 202 }]);

    // --- the example, verbatim apart from `fetch` and `logger` ---
    const calls = createCallsClient({
      credential: new ClientSecretCredential(tenantId, appId, secret), // any TokenCredential
      webhook, // optional: callbackUri() default for answer/redirect/create
      fetch,
    });
    webhook.on('incomingCall', async (event, ctx) => {
      await calls.answer(
        event.callId,
        { acceptedModalities: ['audio'] },
        { deadline: ctx.deadline },
      );
    });
    // ---

    const body = readFileSync(
      new URL('../../../fixtures/notifications/graph-incoming-call-p2p.json', import.meta.url),
      'utf8',
    );
    await webhook.handle({ method: 'POST', url: '/api/calls', headers: {}, body });
    await webhook.idle();
    expect(seen).toHaveLength(1);
    expect(seen[0]?.url).toBe(
      'https://graph.microsoft.com/v1.0/communications/calls/57DAB8B1894C409AB240BD8BEAE78896/answer',
    );
    expect(JSON.parse(String(seen[0]?.init.body))).toEqual({
      acceptedModalities: ['audio'],
      callbackUri: 'https://bot.contoso.com/api/calls',
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    });
    calls.close();

    const credential: TokenCredentialLike = new ClientSecretCredential('t', 'a', 's');
    const plain = createCallsClient({ credential, fetch });
    await plain.hangUp('c1');
    expect(seen).toHaveLength(2);
    expect(countingCredential().calls).toBe(0);
  });
});
