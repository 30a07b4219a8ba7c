import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCESS_TOKEN,
  countingCredential,
  type FakeReply,
  type SeenRequest,
  startFakeGraph,
} from '../test/fakeGraph';
import type { CallsClient } from './CallsClient';
import { createCallsClient } from './createCallsClient';

const CALL = '57dab8b1-894c-409a-b240-bd8beae78896';
const PARTICIPANT = 'fa1e9582-7145-4ca3-bcd8-577f561fcb6e';
const CALLBACK = 'https://bot.contoso.com/api/calls?callgate-partition=p1';
const OPERATION = {
  '@odata.type': '#microsoft.graph.playPromptOperation',
  id: '0fe0623f-d628-42ed-b4bd-8ac290072cc5',
  status: 'Running',
  clientContext: 'ctx-1',
  resultInfo: null,
};
const prompt = { mediaInfo: { uri: 'https://cdn.contoso.com/beep.wav', resourceId: 'beep' } };
const typedPrompt = { '@odata.type': '#microsoft.graph.mediaPrompt', ...prompt };
const user = { identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f' } } };
const operationResult = { ...OPERATION, status: 'running', resultInfo: undefined };

interface Case {
  name: string;
  invoke: (calls: CallsClient) => Promise<unknown>;
  method: string;
  path: string;
  /** The exact JSON sent; undefined for no body. */
  body: unknown;
  reply: FakeReply;
  result: unknown;
}

const cases: Case[] = [
  {
    name: 'answer adds serviceHostedMediaConfig and the webhook callbackUri',
    invoke: (c) => c.answer(CALL, { acceptedModalities: ['audio'] }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/answer`,
    body: {
      callbackUri: CALLBACK,
      acceptedModalities: ['audio'],
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    },
    reply: { status: 202 },
    result: undefined,
  },
  {
    name: 'answer sends what it is given as given, typing only abstract properties',
    invoke: (c) =>
      c.answer(CALL, {
        acceptedModalities: ['audio', 'video'],
        callbackUri: 'https://other.contoso.com/calls',
        mediaConfig: { blob: '<blob>' },
        callOptions: { isContentSharingNotificationEnabled: true },
        participantCapacity: 200,
        futureProperty: { kept: true },
      }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/answer`,
    body: {
      acceptedModalities: ['audio', 'video'],
      callbackUri: 'https://other.contoso.com/calls',
      mediaConfig: { '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: '<blob>' },
      callOptions: {
        '@odata.type': '#microsoft.graph.incomingCallOptions',
        isContentSharingNotificationEnabled: true,
      },
      participantCapacity: 200,
      futureProperty: { kept: true },
    },
    reply: { status: 202 },
    result: undefined,
  },
  {
    name: 'reject',
    invoke: (c) => c.reject(CALL, { reason: 'busy' }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/reject`,
    body: { reason: 'busy' },
    reply: { status: 202 },
    result: undefined,
  },
  {
    name: 'redirect adds the webhook callbackUri',
    invoke: (c) => c.redirect(CALL, { targets: [user], timeout: 30 }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/redirect`,
    body: { targets: [user], timeout: 30, callbackUri: CALLBACK },
    reply: { status: 202 },
    result: undefined,
  },
  {
    name: 'transfer',
    invoke: (c) => c.transfer(CALL, { transferTarget: { endpointType: 'default', ...user } }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/transfer`,
    body: { transferTarget: { endpointType: 'default', ...user } },
    reply: { status: 202 },
    result: undefined,
  },
  {
    name: 'changeScreenSharingRole',
    invoke: (c) => c.changeScreenSharingRole(CALL, { role: 'viewer' }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/changeScreenSharingRole`,
    body: { role: 'viewer' },
    reply: { status: 202 },
    result: undefined,
  },
  {
    name: 'playPrompt types each prompt and returns the operation',
    invoke: (c) => c.playPrompt(CALL, { prompts: [prompt], clientContext: 'ctx-1' }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/playPrompt`,
    body: { prompts: [typedPrompt], clientContext: 'ctx-1' },
    reply: { status: 200, body: OPERATION },
    result: operationResult,
  },
  {
    name: 'recordResponse returns the recordOperation with its own fields',
    invoke: (c) =>
      c.recordResponse(CALL, { prompts: [typedPrompt], maxRecordDurationInSeconds: 10 }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/recordResponse`,
    body: { prompts: [typedPrompt], maxRecordDurationInSeconds: 10 },
    reply: {
      status: 200,
      body: {
        ...OPERATION,
        '@odata.type': '#microsoft.graph.recordOperation',
        recordingLocation: null,
      },
    },
    result: {
      ...operationResult,
      '@odata.type': '#microsoft.graph.recordOperation',
      recordingLocation: null,
    },
  },
  {
    name: 'subscribeToTone',
    invoke: (c) => c.subscribeToTone(CALL, { clientContext: 'ctx-1' }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/subscribeToTone`,
    body: { clientContext: 'ctx-1' },
    reply: { status: 200, body: OPERATION },
    result: operationResult,
  },
  {
    name: 'sendDtmfTones',
    invoke: (c) => c.sendDtmfTones(CALL, { tones: ['tone1', 'pound'], delayBetweenTonesMs: 500 }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/sendDtmfTones`,
    body: { tones: ['tone1', 'pound'], delayBetweenTonesMs: 500 },
    reply: { status: 200, body: { ...OPERATION, completionReason: 'completedSuccessfully' } },
    result: { ...operationResult, completionReason: 'completedSuccessfully' },
  },
  {
    name: 'mute without a body sends {}',
    invoke: (c) => c.mute(CALL),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/mute`,
    body: {},
    reply: { status: 200, body: { ...OPERATION, status: 'completed' } },
    result: { ...operationResult, status: 'completed' },
  },
  {
    name: 'unmute',
    invoke: (c) => c.unmute(CALL, { clientContext: 'ctx-1' }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/unmute`,
    body: { clientContext: 'ctx-1' },
    reply: { status: 200, body: OPERATION },
    result: operationResult,
  },
  {
    name: 'updateRecordingStatus',
    invoke: (c) => c.updateRecordingStatus(CALL, { status: 'recording', clientContext: 'ctx-1' }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/updateRecordingStatus`,
    body: { status: 'recording', clientContext: 'ctx-1' },
    reply: { status: 200, body: { ...OPERATION, status: 'completed' } },
    result: { ...operationResult, status: 'completed' },
  },
  {
    name: 'cancelMediaProcessing reads an operation named only by Location',
    invoke: (c) => c.cancelMediaProcessing(CALL),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/cancelMediaProcessing`,
    body: {},
    reply: {
      status: 200,
      headers: {
        location: `https://graph.microsoft.com/v1.0/communications/calls/${CALL}/operations/op-9`,
      },
    },
    result: { id: 'op-9' },
  },
  {
    name: 'inviteParticipants',
    invoke: (c) => c.inviteParticipants(CALL, { participants: [user], clientContext: 'ctx-1' }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/participants/invite`,
    body: { participants: [user], clientContext: 'ctx-1' },
    reply: { status: 200, body: { ...OPERATION, participants: [user] } },
    result: { ...operationResult, participants: [user] },
  },
  {
    name: 'muteParticipant',
    invoke: (c) => c.muteParticipant(CALL, PARTICIPANT, { clientContext: 'ctx-1' }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/participants/${PARTICIPANT}/mute`,
    body: { clientContext: 'ctx-1' },
    reply: { status: 200, body: OPERATION },
    result: operationResult,
  },
  {
    name: 'removeParticipant',
    invoke: (c) => c.removeParticipant(CALL, PARTICIPANT),
    method: 'DELETE',
    path: `/v1.0/communications/calls/${CALL}/participants/${PARTICIPANT}`,
    body: undefined,
    reply: { status: 204 },
    result: undefined,
  },
  {
    name: 'keepAlive sends no body',
    invoke: (c) => c.keepAlive(CALL),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/keepAlive`,
    body: undefined,
    reply: { status: 200 },
    result: undefined,
  },
  {
    name: 'hangUp',
    invoke: (c) => c.hangUp(CALL),
    method: 'DELETE',
    path: `/v1.0/communications/calls/${CALL}`,
    body: undefined,
    reply: { status: 204 },
    result: undefined,
  },
  {
    name: 'get returns the call, states in lower case',
    invoke: (c) => c.get(CALL),
    method: 'GET',
    path: `/v1.0/communications/calls/${CALL}`,
    body: undefined,
    reply: {
      status: 200,
      body: { '@odata.type': '#microsoft.graph.call', id: CALL, state: 'Established' },
    },
    result: { '@odata.type': '#microsoft.graph.call', id: CALL, state: 'established' },
  },
  {
    name: 'listParticipants returns the value array',
    invoke: (c) => c.listParticipants(CALL),
    method: 'GET',
    path: `/v1.0/communications/calls/${CALL}/participants`,
    body: undefined,
    reply: { status: 200, body: { value: [{ id: PARTICIPANT, isMuted: false }] } },
    result: [{ id: PARTICIPANT, isMuted: false }],
  },
  {
    name: 'getParticipant',
    invoke: (c) => c.getParticipant(CALL, PARTICIPANT),
    method: 'GET',
    path: `/v1.0/communications/calls/${CALL}/participants/${PARTICIPANT}`,
    body: undefined,
    reply: { status: 200, body: { id: PARTICIPANT, isInLobby: false } },
    result: { id: PARTICIPANT, isInLobby: false },
  },
  {
    name: 'startHoldMusic types the custom prompt',
    invoke: (c) => c.startHoldMusic(CALL, PARTICIPANT, { customPrompt: prompt }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/participants/${PARTICIPANT}/startHoldMusic`,
    body: { customPrompt: typedPrompt },
    reply: { status: 202, body: OPERATION },
    result: operationResult,
  },
  {
    name: 'stopHoldMusic',
    invoke: (c) => c.stopHoldMusic(CALL, PARTICIPANT, { clientContext: 'ctx-1' }),
    method: 'POST',
    path: `/v1.0/communications/calls/${CALL}/participants/${PARTICIPANT}/stopHoldMusic`,
    body: { clientContext: 'ctx-1' },
    reply: { status: 202, body: OPERATION },
    result: operationResult,
  },
  {
    name: 'create adds serviceHostedMediaConfig, the callbackUri and the meetingInfo type',
    invoke: (c) =>
      c.create({
        requestedModalities: ['audio'],
        targets: [user],
        meetingInfo: { joinMeetingId: '123456789', passcode: 'abc' },
        tenantId: 'tenant-1',
      }),
    method: 'POST',
    path: '/v1.0/communications/calls',
    body: {
      requestedModalities: ['audio'],
      targets: [user],
      meetingInfo: {
        '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
        joinMeetingId: '123456789',
        passcode: 'abc',
      },
      tenantId: 'tenant-1',
      callbackUri: CALLBACK,
      mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' },
    },
    reply: {
      status: 201,
      headers: { location: `https://graph.microsoft.com/v1.0/communications/calls/${CALL}` },
      body: {
        '@odata.type': '#microsoft.graph.call',
        id: CALL,
        state: 'establishing',
        direction: 'outgoing',
      },
    },
    result: {
      '@odata.type': '#microsoft.graph.call',
      id: CALL,
      state: 'establishing',
      direction: 'outgoing',
    },
  },
];

describe('every method against a fake Graph on 127.0.0.1', () => {
  let graph: Awaited<ReturnType<typeof startFakeGraph>>;
  let reply: FakeReply = { status: 500 };
  let calls: CallsClient;

  beforeAll(async () => {
    graph = await startFakeGraph(() => reply);
    calls = createCallsClient({
      credential: countingCredential(),
      baseUrl: graph.baseUrl,
      webhook: { callbackUri: () => CALLBACK },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    });
  });
  afterAll(() => graph.close());

  it.each(cases)('$name', async (testCase) => {
    reply = testCase.reply;
    const before = graph.requests.length;
    const result = await testCase.invoke(calls);
    expect(graph.requests).toHaveLength(before + 1);
    const seen = graph.requests.at(-1) as SeenRequest;
    expect(seen.method).toBe(testCase.method);
    expect(seen.path).toBe(testCase.path);
    expect(seen.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(seen.headers.accept).toBe('application/json');
    expect(seen.headers['client-request-id']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    if (testCase.body === undefined) {
      expect(seen.rawBody).toBe('');
      expect(seen.headers['content-type']).toBeUndefined();
    } else {
      expect(seen.body).toStrictEqual(testCase.body);
      expect(seen.headers['content-type']).toBe('application/json');
    }
    expect(result).toStrictEqual(testCase.result);
  });

  it('covers every method of the client', () => {
    const names = new Set(cases.map((c) => c.name.split(' ')[0]));
    const methods = Object.entries(calls)
      .filter(
        ([name, value]) =>
          typeof value === 'function' &&
          ![
            'warm',
            'deadlineOf',
            'close',
            'completion',
            'tracked',
            'trackedCalls',
            'on',
            'reconcile',
            'adopt',
          ].includes(name),
      )
      .map(([name]) => name);
    expect(methods.filter((name) => !names.has(name))).toEqual([]);
    expect(methods).toHaveLength(24);
  });

  it('escapes ids in the path', async () => {
    reply = { status: 204 };
    await calls.hangUp('a/b?c');
    expect(graph.requests.at(-1)?.path).toBe('/v1.0/communications/calls/a%2Fb%3Fc');
  });

  it('never modifies the body it was given', async () => {
    reply = { status: 202 };
    const body = { acceptedModalities: ['audio'], mediaConfig: {} };
    const copy = structuredClone(body);
    await calls.answer(CALL, body);
    expect(body).toStrictEqual(copy);
  });

  it('follows @odata.nextLink on the same Graph only', async () => {
    reply = { status: 200 };
    graph.setResponder((request) =>
      request.path.endsWith('/participants')
        ? {
            status: 200,
            body: {
              value: [{ id: 'p1' }],
              '@odata.nextLink': `${graph.baseUrl}/communications/calls/${CALL}/participants?$skiptoken=2`,
            },
          }
        : {
            status: 200,
            body: { value: [{ id: 'p2' }], '@odata.nextLink': 'https://evil.example/steal' },
          },
    );
    const before = graph.requests.length;
    const participants = await calls.listParticipants(CALL);
    expect(participants.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(graph.requests).toHaveLength(before + 2);
    graph.setResponder(() => reply);
  });
});
