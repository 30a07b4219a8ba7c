import { randomUUID } from 'node:crypto';
import {
  callStateChanged,
  graphIncomingCall,
  type Identity,
  legacyIncomingCall,
  participantsUpdated,
  playPromptCompleted,
} from './notifications';
import type { Scenario } from './scenario';
import type { GraphActionKind } from './startMockGraph';

const everyAction: GraphActionKind[] = [
  'answer',
  'reject',
  'redirect',
  'transfer',
  'playPrompt',
  'hangUp',
];

const p2pCall: Scenario = {
  name: 'p2p-call',
  summary: 'a 1:1 call: incoming, answered, establishing, established, then hung up',
  botShould:
    'answer 204 to the legacy incoming call, 2xx to the Graph one, answer it via Graph with a callbackUri, accept the call state notifications; hanging up is optional',
  tokenKind: 'botframework',
  expects: { graphActions: ['answer'], forbiddenGraphActions: ['reject', 'redirect'] },
  async run(call) {
    await call.incomingCall();
    await call.awaitAnswer({ expect: 'answer' });
    await call.connect();
    await call.finish();
  },
};

const meetingJoin: Scenario = {
  name: 'meeting-join',
  summary: 'an invitation into a meeting: answered, established with meeting info, roster changes',
  botShould:
    'answer the invitation and accept the established and participants-updated notifications (AAD v2 tokens)',
  tokenKind: 'aad-v2',
  expects: { graphActions: ['answer'], forbiddenGraphActions: ['reject', 'redirect'] },
  async run(call) {
    await call.incomingCall({ meeting: true });
    await call.awaitAnswer({ expect: 'answer' });
    await call.connect({ meeting: true });
    const bot: Identity = {
      kind: 'application',
      id: call.appId,
      displayName: 'Bot',
      tenantId: call.tenantId,
    };
    const guest: Identity = {
      kind: 'user',
      id: randomUUID(),
      displayName: 'Emulator guest',
      tenantId: call.tenantId,
    };
    const botP = { participantId: randomUUID(), who: bot, muted: false };
    const organizerP = { participantId: randomUUID(), who: call.meeting.organizer, muted: false };
    const guestP = { participantId: randomUUID(), who: guest, muted: true };
    const rosters = [
      { why: 'roster: bot and organizer', participants: [botP, organizerP] },
      { why: 'roster: a guest joins, muted', participants: [botP, organizerP, guestP] },
      { why: 'roster: the guest leaves', participants: [botP, organizerP] },
    ];
    for (const roster of rosters) {
      await call.post(
        participantsUpdated({ callId: call.callId, participants: roster.participants }),
        {
          to: 'callback',
          why: roster.why,
          expect: '2xx',
        },
      );
    }
    await call.finish();
  },
};

const transfer: Scenario = {
  name: 'transfer',
  summary: 'the bot answers, then transfers the call: transferring, then terminated 0/7015',
  botShould: 'answer, then POST /transfer with a transferTarget once the call is established',
  tokenKind: 'aad-v1',
  expects: { graphActions: ['answer', 'transfer'], forbiddenGraphActions: ['reject', 'redirect'] },
  async run(call) {
    await call.incomingCall();
    await call.awaitAnswer({ expect: 'answer' });
    await call.connect();
    const transferred = await call.waitForAction(['transfer'], 'transfer the call');
    if (!transferred) {
      await call.finish();
      return;
    }
    await call.post(callStateChanged({ callId: call.callId, state: 'transferring' }), {
      to: 'callback',
      why: 'call transferring',
      expect: '2xx',
    });
    await call.terminate(
      { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' },
      'terminated: transfer completed (0/7015)',
    );
  },
};

const playPrompt: Scenario = {
  name: 'play-prompt',
  summary: 'the bot answers and plays a prompt: operation completed, clientContext echoed',
  botShould: 'answer, then POST /playPrompt with prompts (and a clientContext) once established',
  tokenKind: 'botframework',
  expects: {
    graphActions: ['answer', 'playPrompt'],
    forbiddenGraphActions: ['reject', 'redirect'],
  },
  async run(call) {
    await call.incomingCall();
    await call.awaitAnswer({ expect: 'answer' });
    await call.connect();
    const prompt = await call.waitForAction(['playPrompt'], 'play a prompt');
    if (prompt?.operationId !== undefined) {
      const clientContext = (prompt.body as { clientContext?: unknown }).clientContext;
      await call.post(
        playPromptCompleted({
          callId: call.callId,
          operationId: prompt.operationId,
          clientContext: typeof clientContext === 'string' ? clientContext : undefined,
        }),
        { to: 'callback', why: 'playPrompt operation completed', expect: '2xx' },
      );
    }
    await call.finish();
  },
};

const regionRedirect: Scenario = {
  name: 'region-redirect',
  summary:
    'a caller from region westeurope reaches this deployment; the bot sends it to another one with 302',
  botShould:
    'answer the Graph incoming call with 302 and Location: another deployment, which then answers the call',
  tokenKind: 'botframework',
  expects: { graphActions: ['answer'], forbiddenGraphActions: ['reject', 'redirect'] },
  async run(call) {
    const incoming = await call.incomingCall({ region: 'westeurope' });
    if (incoming.redirects.length === 0) {
      call.fail(
        'Expected the bot to answer 302 with Location: another deployment; it took the call',
      );
    }
    await call.awaitAnswer({ expect: 'answer' });
    await call.connect();
    await call.finish();
  },
};

const rejectedCall: Scenario = {
  name: 'rejected-call',
  summary: 'the bot rejects the incoming call',
  botShould: 'POST /reject for the call, then accept its terminated notification',
  tokenKind: 'botframework',
  expects: { graphActions: ['reject'], forbiddenGraphActions: ['answer', 'redirect'] },
  async run(call) {
    await call.incomingCall();
    await call.awaitAnswer({ expect: 'reject' });
    await call.terminate(
      { code: 603, subcode: 0, message: 'The call was rejected by the application.' },
      'terminated: rejected',
    );
  },
};

const forgedToken: Scenario = {
  name: 'forged-token',
  summary:
    'notifications with a forged, an expired, a wrong-audience and no token: all must be refused',
  botShould: 'answer 401 to each, and never act on the call',
  tokenKind: 'botframework',
  expects: { graphActions: [], forbiddenGraphActions: everyAction },
  async run(call) {
    const legacy = legacyIncomingCall({
      callId: call.callId,
      appId: call.appId,
      caller: call.caller,
    });
    const graph = graphIncomingCall({
      callId: call.callId,
      chainId: call.chainId,
      appId: call.appId,
      tenantId: call.tenantId,
      caller: call.caller,
      region: 'westus',
    });
    const attempts = [
      {
        body: legacy,
        token: 'forged',
        why: 'legacy incoming call, token signed by an unknown key',
      },
      { body: graph, token: 'forged', why: 'Graph incoming call, token signed by an unknown key' },
      { body: graph, token: 'expired', why: 'Graph incoming call, expired token' },
      { body: graph, token: 'wrong-audience', why: 'Graph incoming call, token for another app' },
      { body: graph, token: 'none', why: 'Graph incoming call, no Authorization header' },
    ] as const;
    for (const attempt of attempts) {
      await call.post(attempt.body, {
        to: 'deployment',
        why: attempt.why,
        expect: [401],
        token: attempt.token,
      });
    }
  },
};

const neverAnswers: Scenario = {
  name: 'never-answers',
  summary: 'the bot acknowledges an incoming call but never answers it; the service times out',
  botShould:
    'acknowledge the incoming call, leave it unanswered, and accept the terminated notification',
  tokenKind: 'botframework',
  expects: { graphActions: [], forbiddenGraphActions: ['answer'] },
  async run(call) {
    await call.incomingCall();
    await call.awaitAnswer({ expect: 'none' });
  },
};

/**
 * The built-in scenarios, by name. Each incoming call's caller is named
 * `Emulator caller: <scenario>`, so a bot can pick its behaviour per scenario.
 *
 * @example
 * ```ts
 * const result = await playScenario(scenarios['p2p-call']!, options);
 * ```
 */
export const scenarios: Record<string, Scenario> = Object.fromEntries(
  [
    p2pCall,
    meetingJoin,
    transfer,
    playPrompt,
    regionRedirect,
    rejectedCall,
    forgedToken,
    neverAnswers,
  ].map((scenario) => [scenario.name, scenario]),
);

/**
 * Name, summary and what a bot must do to pass, for each built-in scenario.
 *
 * @example
 * ```ts
 * for (const s of listScenarios()) console.log(`${s.name}: ${s.summary}`);
 * ```
 */
export function listScenarios(): { name: string; summary: string; botShould: string }[] {
  return Object.values(scenarios).map(({ name, summary, botShould }) => ({
    name,
    summary,
    botShould,
  }));
}
