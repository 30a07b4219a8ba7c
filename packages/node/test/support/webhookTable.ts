import type { WebhookHandler } from '@callgate/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeAdapterOptions } from '../../src/NodeAdapterOptions';
import { createFakeWebhook, type FakeWebhook, GOOD_TOKEN, type ReceivedBody } from './fakeWebhook';
import { send, type TestServer } from './http';

/** Starts a server that serves `webhook` through one adapter (and maybe a body parser). */
export type StartAdapter = (
  webhook: WebhookHandler,
  options?: NodeAdapterOptions,
) => Promise<TestServer>;

/** One adapter x body-parser combination. */
export interface AdapterCombo {
  name: string;
  start: StartAdapter;
  /** What the webhook should receive for a body sent with this content type. */
  expectedBody: (sent: string, contentType: string) => ReceivedBody;
}

/** The webhook read the raw bytes itself: no parser ran (or none matched the content type). */
export const readByWebhook = (sent: string): ReceivedBody => ({ source: 'reader', text: sent });

export const graphBody = JSON.stringify({
  value: [{ changeType: 'created', resource: '/app/calls/1', resourceData: { state: 'incoming' } }],
});
export const legacyBody = JSON.stringify({ callState: 'incoming', participants: [] });
/** Valid JSON (so JSON parsers accept it) that is larger than the fake's 1024-byte limit. */
export const oversizedJsonBody = JSON.stringify({ value: [], pad: 'x'.repeat(2000) });

const json = 'application/json';
let nextId = 0;

interface TableCase {
  name: string;
  method?: string;
  headers?: Record<string, string>;
  contentType?: string;
  body?: string;
  status: number;
  responseHeaders?: Record<string, string>;
  /** Whether the request reaches the body stage (so its body is recorded). */
  reachesBody: boolean;
}

const table: TableCase[] = [
  {
    name: 'GET is refused with 405 and Allow: POST',
    method: 'GET',
    status: 405,
    responseHeaders: { allow: 'POST' },
    reachesBody: false,
  },
  {
    name: 'a POST without a valid token gets 401 and the webhook never reads its body',
    headers: { authorization: 'Bearer bad' },
    contentType: json,
    body: graphBody,
    status: 401,
    responseHeaders: { 'www-authenticate': 'Bearer error="invalid_token"' },
    reachesBody: false,
  },
  {
    name: 'a Content-Length over the limit gets 413',
    contentType: json,
    body: oversizedJsonBody,
    status: 413,
    reachesBody: false,
  },
  {
    name: 'a body that is not JSON gets 400',
    contentType: 'text/plain',
    body: 'hello, not json',
    status: 400,
    reachesBody: true,
  },
  {
    name: 'a legacy notification gets 204 with an empty body',
    contentType: json,
    body: legacyBody,
    status: 204,
    reachesBody: true,
  },
  {
    name: 'a call routed elsewhere gets 302 with Location',
    headers: { 'x-test-redirect': 'https://eu.bot.example/api/calls' },
    contentType: json,
    body: graphBody,
    status: 302,
    responseHeaders: { location: 'https://eu.bot.example/api/calls' },
    reachesBody: true,
  },
  {
    name: 'a Graph notification gets 202',
    contentType: json,
    body: graphBody,
    status: 202,
    reachesBody: true,
  },
];

/**
 * The core's answer table, run through each adapter x body parser: the adapter
 * must deliver every answer as the core gave it and hand over the body the
 * parser left (never re-reading a consumed stream).
 */
export function describeWebhookTable(combos: AdapterCombo[]): void {
  describe.each(combos)('$name', (combo) => {
    let fake: FakeWebhook;
    let server: TestServer;
    beforeAll(async () => {
      fake = createFakeWebhook(1024);
      server = await combo.start(fake);
    });
    afterAll(() => server.close());

    it.each(table)('$name', async (row) => {
      const id = String(++nextId);
      const response = await send(server.port, {
        method: row.method ?? 'POST',
        path: '/api/calls?tenant=t1',
        headers: {
          authorization: GOOD_TOKEN,
          'x-test-id': id,
          ...(row.contentType ? { 'content-type': row.contentType } : {}),
          ...row.headers,
        },
        ...(row.body === undefined ? {} : { body: row.body }),
      });

      expect(response.status).toBe(row.status);
      expect(response.headers).toMatchObject(row.responseHeaders ?? {});
      if (row.status === 204 || row.status === 302 || row.status === 202) {
        expect(response.body).toBe('');
      }
      expect(fake.requests.at(-1)?.url).toBe('/api/calls?tenant=t1');
      if (row.reachesBody) {
        expect(fake.bodies.get(id)).toEqual(
          combo.expectedBody(row.body ?? '', row.contentType ?? ''),
        );
      } else {
        expect(fake.bodies.has(id)).toBe(false);
      }
    });

    it('no body read failed along the way (a consumed stream is never read again)', () => {
      expect(fake.readerErrors).toEqual([]);
    });
  });
}
