import { gzipSync } from 'node:zlib';
import { type CallWebhook, createCallWebhook } from '@callgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_APP_ID, createMemoryIssuer } from '../../../core/test/support/memoryIssuer';
import { send, type TestServer } from './http';
import type { StartAdapter } from './webhookTable';

/** A Graph body of `count` valid notifications, each padded with `padding` bytes. */
export function notificationsBody(count: number, padding = 0): string {
  return JSON.stringify({
    value: Array.from({ length: count }, (_, i) => ({
      changeType: 'updated',
      resourceUrl: `/communications/calls/${i}`,
      resourceData: { '@odata.type': '#microsoft.graph.call', state: 'established' },
      ...(padding > 0 ? { pad: 'x'.repeat(padding) } : {}),
    })),
  });
}

/** ~5 MB in 50 notifications: only the size is wrong (the count is under the default 100). */
const fiveMegabytes = notificationsBody(50, 100_000);
/** ~5 MB in 36,000 small notifications, like the review's reproduction. */
const manySmall = notificationsBody(36_000);

/**
 * The review's reproductions: a body parser in front, configured with a limit
 * far above the webhook's (default 1 MiB), reads a 5 MB body (chunked, or
 * gzip with a small Content-Length) before callgate sees it. The webhook must
 * still answer 413 and dispatch nothing.
 */
export function describeLimitsBehindParser(combos: Array<{ name: string; start: StartAdapter }>) {
  describe.each(combos)('$name in front of the real core', ({ start }) => {
    let issuer: Awaited<ReturnType<typeof createMemoryIssuer>>;
    let webhook: CallWebhook;
    let server: TestServer;
    let dispatched = 0;
    beforeAll(async () => {
      issuer = await createMemoryIssuer();
      webhook = createCallWebhook({ appId: BOT_APP_ID, auth: issuer.auth });
      webhook.on('notification', () => {
        dispatched += 1;
      });
      server = await start(webhook);
    });
    afterAll(() => server.close());

    const headers = async (extra: Record<string, string> = {}) => ({
      authorization: `Bearer ${await issuer.token()}`,
      'content-type': 'application/json',
      ...extra,
    });

    it('answers 413 to a 5 MB chunked body the parser already read', async () => {
      expect(fiveMegabytes.length).toBeGreaterThan(5_000_000);
      const response = await send(server.port, {
        headers: await headers(),
        chunks: [fiveMegabytes.slice(0, 2_500_000), fiveMegabytes.slice(2_500_000)],
      });
      expect(response.status).toBe(413);
      expect(JSON.parse(response.body).code).toBe('body_too_large');
    });

    it('answers 413 to 36,000 small notifications the parser already read', async () => {
      const response = await send(server.port, { headers: await headers(), chunks: [manySmall] });
      expect(response.status).toBe(413);
    });

    it('answers 413 to a gzip body whose Content-Length is small but inflates to 5 MB', async () => {
      const gzipped = gzipSync(fiveMegabytes);
      expect(gzipped.byteLength).toBeLessThan(1024 * 1024);
      const response = await send(server.port, {
        headers: await headers({ 'content-encoding': 'gzip' }),
        body: gzipped,
      });
      expect(response.status).toBe(413);
    });

    it('accepts a normal body through the same parser, and dispatched nothing before', async () => {
      await webhook.idle();
      expect(dispatched).toBe(0);
      const response = await send(server.port, {
        headers: await headers(),
        body: notificationsBody(2),
      });
      expect(response.status).toBe(202);
      await webhook.idle();
      expect(dispatched).toBe(2);
    });
  });
}
