import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMockGraph } from './connectMockGraph';
import { devCredential } from './devCredential';
import type { CallRegistration, GraphEvent } from './mockGraphTypes';
import { type DevIssuer, startDevIssuer } from './startDevIssuer';
import { type MockGraph, startMockGraph } from './startMockGraph';

// A bot's callback: records every notification the mock Graph POSTs, answers 202.
interface Callback {
  url: string;
  bodies: { value: { changeType: string; resourceUrl: string; resourceData: unknown }[] }[];
  headers: Record<string, string | string[] | undefined>[];
}

let issuer: DevIssuer;
let graph: MockGraph;
let server: Server;
const callback: Callback = { url: '', bodies: [], headers: [] };
let token = '';

beforeAll(async () => {
  issuer = await startDevIssuer();
  graph = await startMockGraph({ issuer, operationDelayMs: 10, retryDelaysMs: [10] });
  token = (await devCredential(issuer).getToken('https://graph.microsoft.com/.default')).token;
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      callback.bodies.push(JSON.parse(Buffer.concat(chunks).toString()));
      callback.headers.push(req.headers);
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  callback.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await graph.close();
  await issuer.close();
});

let seq = 0;
async function ringing(extra: Partial<CallRegistration> = {}): Promise<string> {
  seq++;
  const callId = `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
  await graph.registerCall({
    callId,
    appId: issuer.appId,
    tenantId: issuer.tenantId,
    caller: { kind: 'user', id: 'caller-1', displayName: 'Caller', tenantId: issuer.tenantId },
    ...extra,
  });
  return callId;
}

const request = (
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${token}` },
) =>
  fetch(`${graph.baseUrl}/communications/calls${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const answerBody = () => ({
  callbackUri: callback.url || 'http://127.0.0.1:9/callback',
  acceptedModalities: ['audio'],
  mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
});

async function established(extra: Partial<CallRegistration> = {}): Promise<string> {
  const callId = await ringing(extra);
  expect((await request('POST', `/${callId}/answer`, answerBody())).status).toBe(202);
  await notification(callId, (e) => e.notification === 'roster');
  return callId;
}

/** Waits for the next notification of the call matching `pick`. */
async function notification(
  callId: string,
  pick: (event: Extract<GraphEvent, { type: 'notification' }>) => boolean,
  timeoutMs = 5000,
): Promise<Extract<GraphEvent, { type: 'notification' }>> {
  for (let index = 0; ; index++) {
    const event = await graph.nextEvent(callId, index, timeoutMs);
    if (!event) throw new Error(`no such notification for ${callId}`);
    if (event.type === 'notification' && pick(event)) return event;
  }
}

describe('startMockGraph: the calls API', () => {
  it('serves Graph v1.0 on 127.0.0.1 and signs with the given issuer', () => {
    expect(graph.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
    expect(graph.issuer).toBe(issuer);
  });

  it('answer: 202, then establishing, established and the roster, signed by the dev issuer, to the callbackUri', async () => {
    const callId = await ringing();
    const response = await request('POST', `/${callId}/answer`, answerBody());
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
    const roster = await notification(callId, (e) => e.notification === 'roster');
    const events = graph.events(callId).filter((e) => e.type === 'notification');
    expect(events.map((e) => e.type === 'notification' && e.notification)).toEqual([
      'establishing',
      'established',
      'roster',
    ]);
    expect(roster.body).toMatchObject({
      value: [
        {
          changeType: 'updated',
          resourceUrl: `/communications/calls/${callId}/participants`,
          resourceData: [
            { info: { identity: { application: { id: issuer.appId } } } },
            { info: { identity: { user: { id: 'caller-1' } } } },
          ],
        },
      ],
    });
    const attempt = roster.attempts[0];
    expect(attempt).toMatchObject({ by: 'graph', url: callback.url, status: 202, ok: true });
    const sent = callback.headers.find(
      (h) => h['x-microsoft-skype-message-id'] === attempt?.messageId,
    );
    const bearer = String(sent?.authorization).replace('Bearer ', '');
    const claims = JSON.parse(Buffer.from(bearer.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ iss: `${issuer.url}/botframework`, aud: issuer.appId });
  });

  it.each([
    [
      'playPrompt',
      '/playPrompt',
      { prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt' }] },
      'playPromptOperation',
    ],
    ['recordResponse', '/recordResponse', { maxRecordDurationInSeconds: 10 }, 'recordOperation'],
    ['subscribeToTone', '/subscribeToTone', {}, 'subscribeToToneOperation'],
    ['sendDtmfTones', '/sendDtmfTones', { tones: ['tone1'] }, 'sendDtmfTonesOperation'],
    ['mute', '/mute', {}, 'muteParticipantOperation'],
    ['unmute', '/unmute', {}, 'unmuteParticipantOperation'],
    [
      'invite',
      '/participants/invite',
      { participants: [{ identity: { user: { id: 'u2' } } }] },
      'inviteParticipantsOperation',
    ],
  ])(
    '%s: 200 with a running commsOperation and its Location, then a completed notification on .../operations/{id}',
    async (_name, path, body, type) => {
      const callId = await established();
      const response = await request('POST', `/${callId}${path}`, {
        ...body,
        clientContext: 'ctx-1',
      });
      expect(response.status).toBe(200);
      const operation = (await response.json()) as { id: string };
      expect(operation).toMatchObject({
        '@odata.type': `#microsoft.graph.${type}`,
        status: 'running',
        clientContext: 'ctx-1',
      });
      expect(response.headers.get('location')).toBe(
        `${graph.baseUrl}/communications/calls/${callId}/operations/${operation.id}`,
      );
      const done = await notification(callId, (e) => e.notification === 'operation');
      const compact = (id: string) => id.replaceAll('-', '').toUpperCase();
      expect(done.body).toMatchObject({
        value: [
          {
            changeType: 'deleted',
            resourceUrl: `/communications/calls/${compact(callId)}/operations/${compact(operation.id)}`,
            resourceData: {
              '@odata.type': `#microsoft.graph.${type}`,
              id: operation.id,
              status: 'completed',
              clientContext: 'ctx-1',
              resultInfo: { code: 200, subcode: 0 },
            },
          },
        ],
      });
    },
  );

  it('invite: the full roster follows the completion, with the invited participant', async () => {
    const callId = await established();
    await request('POST', `/${callId}/participants/invite`, {
      participants: [{ identity: { user: { id: 'u2', displayName: 'Invited' } } }],
    });
    const roster = await notification(callId, (e) => e.why.includes('invited'));
    expect(
      (roster.body as { value: { resourceData: unknown[] }[] }).value[0]?.resourceData,
    ).toHaveLength(3);
    const listed = (await (await request('GET', `/${callId}/participants`)).json()) as {
      value: unknown[];
    };
    expect(listed.value).toHaveLength(3);
  });

  it('updateRecordingStatus and cancelMediaProcessing answer completed at once; cancel fails running prompts with 400/8508', async () => {
    const callId = await established({ operationDelayMs: 60_000 });
    const status = await request('POST', `/${callId}/updateRecordingStatus`, {
      status: 'recording',
    });
    expect(await status.json()).toMatchObject({ status: 'completed', resultInfo: { code: 200 } });
    const prompt = (await (
      await request('POST', `/${callId}/playPrompt`, { prompts: [{}] })
    ).json()) as { id: string };
    const cancel = await request('POST', `/${callId}/cancelMediaProcessing`, {
      clientContext: 'c',
    });
    expect(await cancel.json()).toMatchObject({
      '@odata.type': '#microsoft.graph.cancelMediaProcessingOperation',
      status: 'completed',
    });
    const failed = await notification(callId, (e) => e.notification === 'operation');
    expect(failed.body).toMatchObject({
      value: [
        {
          resourceData: {
            id: prompt.id,
            status: 'failed',
            resultInfo: { code: 400, subcode: 8508 },
          },
        },
      ],
    });
  });

  it('participants: GET the list and one, mute one (roster follows), hold music, remove one (204)', async () => {
    const callId = await established();
    const list = (await (await request('GET', `/${callId}/participants`)).json()) as {
      value: { id: string }[];
    };
    const caller = list.value[1]!.id;
    expect((await request('GET', `/${callId}/participants/${caller}`)).status).toBe(200);
    expect((await request('POST', `/${callId}/participants/${caller}/mute`, {})).status).toBe(200);
    const muted = await notification(callId, (e) => e.why === 'roster: a participant is muted');
    expect(muted.body).toMatchObject({
      value: [{ resourceData: [{}, { id: caller, isMuted: true }] }],
    });
    for (const action of ['startHoldMusic', 'stopHoldMusic']) {
      const held = await request('POST', `/${callId}/participants/${caller}/${action}`, {});
      expect(await held.json()).toMatchObject({
        '@odata.type': `#microsoft.graph.${action}Operation`,
        status: 'running',
      });
    }
    expect((await request('DELETE', `/${callId}/participants/${caller}`)).status).toBe(204);
    expect((await request('GET', `/${callId}/participants/${caller}`)).status).toBe(404);
  });

  it('transfer, redirect, reject, changeScreenSharingRole answer 202; transfer ends the call 0/7015', async () => {
    const callId = await established();
    expect(
      (await request('POST', `/${callId}/changeScreenSharingRole`, { role: 'viewer' })).status,
    ).toBe(202);
    expect(
      (await request('POST', `/${callId}/transfer`, { transferTarget: { identity: {} } })).status,
    ).toBe(202);
    const ended = await notification(callId, (e) => e.notification === 'terminated');
    expect(ended.body).toMatchObject({
      value: [
        {
          changeType: 'deleted',
          resourceData: { state: 'terminated', resultInfo: { code: 0, subcode: 7015 } },
        },
      ],
    });
    const rejected = await ringing();
    expect((await request('POST', `/${rejected}/reject`)).status).toBe(202);
    const redirected = await ringing();
    expect(
      (await request('POST', `/${redirected}/redirect`, { targets: [{}], timeout: 30 })).status,
    ).toBe(202);
  });

  it('GET call, keepAlive (200), DELETE call (204, then terminated), then 404 for the ended call', async () => {
    const callId = await established();
    const call = await request('GET', `/${callId}`);
    expect(await call.json()).toMatchObject({
      '@odata.type': '#microsoft.graph.call',
      id: callId,
      state: 'established',
      callbackUri: callback.url,
    });
    expect((await request('POST', `/${callId}/keepAlive`)).status).toBe(200);
    expect((await request('DELETE', `/${callId}`)).status).toBe(204);
    const ended = await notification(callId, (e) => e.notification === 'terminated');
    expect(ended.why).toBe('terminated: the bot hung up');
    const gone = await request('POST', `/${callId}/keepAlive`);
    expect(gone.status).toBe(404);
    expect(graph.actions(callId).at(-1)).toMatchObject({
      kind: 'keepAlive',
      status: 404,
      callGone: true,
    });
  });

  it('create: 201 with the call (establishing), then established and the roster at its callbackUri', async () => {
    const response = await request('POST', '', {
      callbackUri: callback.url,
      requestedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
      targets: [{ identity: { user: { id: 'u9' } } }],
      tenantId: issuer.tenantId,
    });
    expect(response.status).toBe(201);
    const call = (await response.json()) as { id: string; state: string; direction: string };
    expect(call).toMatchObject({ state: 'establishing', direction: 'outgoing' });
    await notification(call.id, (e) => e.notification === 'established');
    expect((await request('DELETE', `/${call.id}`)).status).toBe(204);
  });
});

describe('startMockGraph: what it refuses, in Graph error shape', () => {
  const errorShape = {
    error: {
      code: expect.any(String),
      message: expect.any(String),
      innerError: {
        'request-id': expect.any(String),
        date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
        'client-request-id': 'crid-1',
      },
    },
  };

  it.each([
    ['no token', {}, 'Access token is empty'],
    [
      'a token it did not issue',
      { authorization: 'Bearer a.b.c' },
      'Access token validation failure',
    ],
  ])('401 InvalidAuthenticationToken for %s', async (_what, headers, message) => {
    const callId = await ringing();
    const response = await request('POST', `/${callId}/answer`, answerBody(), {
      ...headers,
      'client-request-id': 'crid-1',
    });
    expect(response.status).toBe(401);
    const body = await response.json();
    expect(body).toMatchObject(errorShape);
    expect(body).toMatchObject({
      error: { code: 'InvalidAuthenticationToken', message: expect.stringContaining(message) },
    });
    expect(response.headers.get('client-request-id')).toBe('crid-1');
  });

  it('401 for a dev token for another audience, naming the scope to ask for', async () => {
    const other = await devCredential(issuer).getToken('https://example.com/.default');
    const callId = await ringing();
    const response = await request('POST', `/${callId}/answer`, answerBody(), {
      authorization: `Bearer ${other.token}`,
    });
    expect(response.status).toBe(401);
    expect(JSON.stringify(await response.json())).toContain('https://graph.microsoft.com/.default');
  });

  it('403 when the token lacks the Calls.* role an action needs', async () => {
    const narrow = await devCredential(issuer, { roles: ['Calls.JoinGroupCall.All'] }).getToken(
      'https://graph.microsoft.com/.default',
    );
    const callId = await established();
    const response = await request(
      'POST',
      `/${callId}/participants/invite`,
      { participants: [{}] },
      { authorization: `Bearer ${narrow.token}` },
    );
    expect(response.status).toBe(403);
    expect(JSON.stringify(await response.json())).toContain('Calls.InitiateGroupCall.All');
  });

  it('403 when another app acts on the call', async () => {
    const stranger = await devCredential(issuer, { appId: 'another-app' }).getToken(
      'https://graph.microsoft.com/.default',
    );
    const callId = await ringing();
    const response = await request('POST', `/${callId}/answer`, answerBody(), {
      authorization: `Bearer ${stranger.token}`,
    });
    expect(response.status).toBe(403);
  });

  it.each([
    ['answer', '/answer', { ...answerBody(), callbackUri: undefined }, 'callbackUri'],
    ['answer', '/answer', { ...answerBody(), callbackUri: '/relative' }, 'callbackUri'],
    ['answer', '/answer', { ...answerBody(), acceptedModalities: [] }, 'acceptedModalities'],
    ['answer', '/answer', { ...answerBody(), mediaConfig: undefined }, 'mediaConfig'],
    ['redirect', '/redirect', {}, 'targets'],
    ['redirect', '/redirect', { targets: [{}], timeout: 5 }, 'timeout'],
    ['reject', '/reject', { reason: 'tired' }, 'reason'],
  ])('400 for %s %j, naming %s', async (_kind, path, body, property) => {
    const callId = await ringing();
    const response = await request('POST', `/${callId}${path}`, body, {
      authorization: `Bearer ${token}`,
      'client-request-id': 'crid-1',
    });
    expect(response.status).toBe(400);
    const error = await response.json();
    expect(error).toMatchObject(errorShape);
    expect(error).toMatchObject({
      error: { code: 'BadRequest', message: expect.stringContaining(property) },
    });
  });

  it.each([
    ['/transfer', {}, 'transferTarget'],
    ['/changeScreenSharingRole', { role: 'boss' }, 'role'],
    ['/playPrompt', {}, 'prompts'],
    ['/playPrompt', { prompts: Array.from({ length: 21 }, () => ({})) }, '20'],
    ['/recordResponse', { prompts: [{}, {}] }, 'prompts'],
    ['/sendDtmfTones', {}, 'tones'],
    ['/updateRecordingStatus', {}, 'status'],
    ['/participants/invite', {}, 'participants'],
    ['/playPrompt', { prompts: [{}], clientContext: 'x'.repeat(257) }, 'clientContext'],
  ])('400 for %s %j, naming %s', async (path, body, property) => {
    const callId = await established();
    const response = await request('POST', `/${callId}${path}`, body);
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain(property);
  });

  it('400 for create without its required properties', async () => {
    const response = await request('POST', '', {
      callbackUri: callback.url,
      requestedModalities: ['audio'],
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('targets');
  });

  it('404 for an unknown call, 404 for an unknown path, 405 for a wrong method', async () => {
    expect((await request('POST', '/no-such-call/answer', answerBody())).status).toBe(404);
    expect((await fetch(`${graph.baseUrl}/me`)).status).toBe(404);
    expect((await request('PUT', '/x')).status).toBe(405);
  });

  it('400 for a second answer of the same call', async () => {
    const callId = await ringing();
    expect((await request('POST', `/${callId}/answer`, answerBody())).status).toBe(202);
    expect((await request('POST', `/${callId}/answer`, answerBody())).status).toBe(400);
  });
});

describe('startMockGraph: faults, clocks and calls that end', () => {
  it('injects 429 with Retry-After on the first answer only', async () => {
    const callId = await ringing({ faults: [{ action: 'answer', status: 429, retryAfter: 2 }] });
    const first = await request('POST', `/${callId}/answer`, answerBody());
    expect(first.status).toBe(429);
    expect(first.headers.get('retry-after')).toBe('2');
    expect(await first.json()).toMatchObject({ error: { code: 'TooManyRequests' } });
    expect((await request('POST', `/${callId}/answer`, answerBody())).status).toBe(202);
    expect(graph.actions(callId).map((a) => [a.status, a.injected ?? false])).toEqual([
      [429, true],
      [202, false],
    ]);
  });

  it('injects 503 and a slow answer', async () => {
    const unavailable = await ringing({ faults: [{ action: 'answer', status: 503 }] });
    expect((await request('POST', `/${unavailable}/answer`, answerBody())).status).toBe(503);
    const slow = await ringing({ faults: [{ action: 'answer', delayMs: 300 }] });
    const started = Date.now();
    expect((await request('POST', `/${slow}/answer`, answerBody())).status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('ends a call with no keepAlive within keepAliveTimeout: terminated 408/8537', async () => {
    const callId = await established({ keepAliveTimeout: 0.3 });
    const ended = await notification(callId, (e) => e.notification === 'terminated');
    expect(ended.body).toMatchObject({
      value: [
        {
          changeType: 'deleted',
          resourceData: {
            state: 'terminated',
            resultInfo: {
              code: 408,
              subcode: 8537,
              message: 'Keep Alive timeout, cleaned up inactive call',
            },
          },
        },
      ],
    });
    expect((await request('POST', `/${callId}/keepAlive`)).status).toBe(404);
  });

  it('keepAlive within the timeout keeps the call alive', async () => {
    const callId = await established({ keepAliveTimeout: 0.4 });
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await request('POST', `/${callId}/keepAlive`)).status).toBe(200);
    }
    expect((await request('GET', `/${callId}`)).status).toBe(200);
  });

  it('a call ended without notification: no terminated is sent, keepAlive gets 404', async () => {
    const callId = await established();
    const before = graph.events(callId).length;
    await graph.controlCall(callId, {
      op: 'end',
      notify: false,
      resultInfo: { code: 0, subcode: 0, message: '' },
    });
    expect((await request('POST', `/${callId}/keepAlive`)).status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(
      graph
        .events(callId)
        .slice(before)
        .map((e) => e.type),
    ).toEqual(['request']);
  });

  it('completeBeforeResponding: the completion is delivered before the operation is answered', async () => {
    const callId = await established({ completeBeforeResponding: true });
    const before = callback.bodies.length;
    const response = await request('POST', `/${callId}/playPrompt`, { prompts: [{}] });
    const operation = (await response.json()) as { id: string; status: string };
    expect(operation.status).toBe('running');
    const delivered = callback.bodies.slice(before).map((b) => b.value[0]?.resourceData);
    expect(delivered).toContainEqual(
      expect.objectContaining({ id: operation.id, status: 'completed' }),
    );
  });

  it('roster control: full lists and created/deleted items', async () => {
    const callId = await established();
    const guest = {
      participantId: 'p-guest',
      who: { kind: 'user' as const, id: 'g', displayName: 'Guest', tenantId: issuer.tenantId },
      muted: false,
    };
    await graph.controlCall(callId, { op: 'roster', join: [guest], style: 'items', why: 'joins' });
    const joined = await notification(callId, (e) => e.why === 'joins');
    expect(joined.body).toMatchObject({
      value: [{ changeType: 'created', resourceData: [{ id: 'p-guest' }] }],
    });
    await graph.controlCall(callId, { op: 'roster', leave: ['p-guest'], why: 'leaves' });
    const left = await notification(callId, (e) => e.why === 'leaves');
    expect(left.body).toMatchObject({ value: [{ changeType: 'updated' }] });
    expect(
      (left.body as { value: { resourceData: unknown[] }[] }).value[0]?.resourceData,
    ).toHaveLength(2);
  });

  it('lets another process register, control and follow a call through connectMockGraph', async () => {
    const remote = connectMockGraph(graph.baseUrl);
    expect(remote.baseUrl).toBe(graph.baseUrl);
    await remote.registerCall({
      callId: 'remote-1',
      appId: issuer.appId,
      tenantId: issuer.tenantId,
    });
    const waiting = remote.nextAction('remote-1', 0, 5000);
    await request('POST', '/remote-1/reject', { reason: 'busy' });
    expect(await waiting).toMatchObject({ kind: 'reject', body: { reason: 'busy' }, status: 202 });
    expect(await remote.nextEvent('remote-1', 0, 10)).toMatchObject({ type: 'request' });
    expect(await remote.nextAction('remote-1', 1, 10)).toBeUndefined();
    await expect(
      remote.controlCall('nobody', {
        op: 'end',
        notify: false,
        resultInfo: { code: 0, subcode: 0, message: '' },
      }),
    ).rejects.toThrow(/400/);
  });
});
