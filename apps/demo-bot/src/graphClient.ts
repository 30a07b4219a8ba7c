/** The few Microsoft Graph calls API requests the demo bot makes. */
export interface GraphClient {
  answer(
    callId: string,
    body: { callbackUri: string; acceptedModalities: string[] },
  ): Promise<void>;
  reject(callId: string, reason: 'busy' | 'forbidden' | 'none'): Promise<void>;
  playPrompt(callId: string, clientContext: string, uri: string): Promise<void>;
  transfer(callId: string, target: { userId: string; displayName: string }): Promise<void>;
  hangUp(callId: string): Promise<void>;
}

/** Options of {@link createGraphClient}. */
export interface GraphClientOptions {
  /** e.g. `https://graph.microsoft.com/v1.0`, or the emulator's mock Graph. */
  baseUrl: string;
  /** An app-only access token for Graph (client credentials), fetched per request. */
  getToken: () => Promise<string>;
  fetch?: typeof fetch;
}

/** A minimal Graph client over fetch; a production bot may use @microsoft/microsoft-graph-client instead. */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const send = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, '');

  async function request(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<void> {
    const response = await send(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await options.getToken()}`,
        'content-type': 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      throw new Error(
        `Graph ${method} ${path} answered ${response.status}: ${(await response.text()).slice(0, 200)}`,
      );
    }
    await response.body?.cancel();
  }

  const call = (callId: string) => `/communications/calls/${encodeURIComponent(callId)}`;
  return {
    answer: (callId, { callbackUri, acceptedModalities }) =>
      request('POST', `${call(callId)}/answer`, {
        callbackUri,
        acceptedModalities,
        mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
      }),
    reject: (callId, reason) => request('POST', `${call(callId)}/reject`, { reason }),
    playPrompt: (callId, clientContext, uri) =>
      request('POST', `${call(callId)}/playPrompt`, {
        clientContext,
        prompts: [
          {
            '@odata.type': '#microsoft.graph.mediaPrompt',
            mediaInfo: { uri, resourceId: clientContext },
          },
        ],
      }),
    transfer: (callId, target) =>
      request('POST', `${call(callId)}/transfer`, {
        transferTarget: {
          endpointType: 'default',
          identity: { user: { id: target.userId, displayName: target.displayName } },
        },
      }),
    hangUp: (callId) => request('DELETE', call(callId)),
  };
}
