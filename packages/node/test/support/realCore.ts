import { type CallWebhook, createCallWebhook } from '@callgate/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOT_APP_ID, createMemoryIssuer } from '../../../core/test/support/memoryIssuer';
import { send, type TestServer } from './http';
import type { StartAdapter } from './webhookTable';

const callId = '57DAB8B1894C409AB240BD8BEAE78896';
const incomingCall = JSON.stringify({
  '@odata.type': '#microsoft.graph.commsNotifications',
  value: [
    {
      '@odata.type': '#microsoft.graph.commsNotification',
      changeType: 'created',
      resourceUrl: `/communications/calls/${callId}`,
      resourceData: {
        '@odata.type': '#microsoft.graph.call',
        state: 'incoming',
        direction: 'incoming',
        source: { identity: { user: { id: 'u1', displayName: 'Caller' } }, region: 'westus' },
        requestedModalities: ['audio'],
      },
    },
  ],
});
const legacy = JSON.stringify({ callState: 'incoming', participants: [] });

/**
 * The same adapters against the real `createCallWebhook` (tokens from an
 * in-memory issuer): the answers are the core's, delivered unchanged.
 */
export function describeWithRealCore(
  combos: Array<{
    name: string;
    start: StartAdapter;
    /**
     * A JSON body parser runs first and hands the core an object: the byte
     * limit of a chunked body is then the parser's, not callgate's.
     */
    parsedBeforeCore?: boolean;
  }>,
): void {
  describe.each(combos)('$name with the real core', ({ start, parsedBeforeCore }) => {
    let issuer: Awaited<ReturnType<typeof createMemoryIssuer>>;
    let webhook: CallWebhook;
    let server: TestServer;
    const answered: string[] = [];
    beforeAll(async () => {
      issuer = await createMemoryIssuer();
      webhook = createCallWebhook({
        appId: BOT_APP_ID,
        auth: issuer.auth,
        limits: { maxBodyBytes: 4096 },
        publicUrl: 'https://bot.example/api/calls',
        routing: {
          region: {
            self: 'amer',
            deployments: {
              amer: 'https://amer.bot.example/api/calls',
              emea: 'https://emea.bot.example/api/calls',
            },
            // The test's caller-region header picks the deployment.
            select: (_call, { callerRegion }) => callerRegion,
          },
        },
      });
      webhook.on('incomingCall', (event) => {
        answered.push(String(event.callId));
      });
      server = await start(webhook);
    });
    afterAll(() => server.close());

    const post = async (body: string, headers: Record<string, string> = {}) =>
      send(server.port, {
        path: '/api/calls',
        headers: {
          authorization: `Bearer ${await issuer.token()}`,
          'content-type': 'application/json',
          ...headers,
        },
        body,
      });

    it('accepts an incoming call with 202 and dispatches it', async () => {
      expect((await post(incomingCall)).status).toBe(202);
      await vi.waitFor(() => expect(answered).toContain(callId));
    });

    it('answers a legacy notification with 204', async () => {
      expect((await post(legacy)).status).toBe(204);
    });

    it('refuses a missing token with 401 and a problem body', async () => {
      const response = await send(server.port, {
        path: '/api/calls',
        headers: { 'content-type': 'application/json' },
        body: incomingCall,
      });
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
    });

    it('answers 302 with the Location of the deployment routing picks, and dispatches nothing here', async () => {
      const before = answered.length;
      const response = await post(incomingCall, { 'x-microsoft-skype-caller-region': 'emea' });
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe('https://emea.bot.example/api/calls');
      expect(response.body).toBe('');
      await webhook.idle();
      expect(answered.length).toBe(before);
    });

    // Only where callgate reads the bytes itself (with a parser in front, the limit is the parser's).
    if (parsedBeforeCore !== true) {
      it('answers 413 to a chunked body (no Content-Length) that grows past the limit', async () => {
        const response = await send(server.port, {
          path: '/api/calls',
          headers: {
            authorization: `Bearer ${await issuer.token()}`,
            'content-type': 'application/json',
          },
          chunks: ['{"value":[', ' '.repeat(3000), ' '.repeat(3000), ']}'],
        });
        expect(response.status).toBe(413);
        expect(response.headers['content-type']).toMatch(/problem\+json/);
        expect(JSON.parse(response.body)).toMatchObject({ code: 'body_too_large' });
      });
    }

    it('refuses GET with 405, a declared oversize body with 413, a non-notification with 400', async () => {
      const get = await send(server.port, { method: 'GET', path: '/api/calls' });
      expect([get.status, get.headers.allow]).toEqual([405, 'POST']);
      expect((await post(JSON.stringify({ pad: 'x'.repeat(5000) }))).status).toBe(413);
      expect((await post(JSON.stringify({ hello: 'world' }))).status).toBe(400);
    });
  });
}
