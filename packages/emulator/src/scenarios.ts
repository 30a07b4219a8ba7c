import { randomUUID } from 'node:crypto';
import type { GraphActionKind } from './mockGraphTypes';
import { graphIncomingCall, legacyIncomingCall, type RosterEntry } from './notifications';
import type { Scenario, ScenarioCall } from './scenario';

const everyAction: GraphActionKind[] = [
  'answer',
  'reject',
  'redirect',
  'transfer',
  'playPrompt',
  'hangUp',
];

const keyed = (name: string) =>
  ` (a bot plays this one only if it picks its behaviour from the caller's name, "Emulator caller: ${name}")`;

const person = (call: ScenarioCall, displayName: string, muted = false): RosterEntry => ({
  participantId: randomUUID(),
  who: { kind: 'user', id: randomUUID(), displayName, tenantId: call.tenantId },
  muted,
});

const p2pCall: Scenario = {
  name: 'p2p-call',
  summary: 'a 1:1 call: incoming, answered, establishing, established, then hung up',
  botShould:
    'answer 204 to the legacy incoming call, 2xx to the Graph one, answer it via Graph with a callbackUri, accept the call state notifications; hanging up is optional',
  suites: ['well-behaved'],
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
    'answer the invitation and accept the established and participants notifications (AAD v2 tokens)',
  suites: ['well-behaved'],
  tokenKind: 'aad-v2',
  graph: { meeting: true },
  expects: { graphActions: ['answer'], forbiddenGraphActions: ['reject', 'redirect'] },
  async run(call) {
    await call.incomingCall({ meeting: true });
    await call.awaitAnswer({ expect: 'answer' });
    await call.connect();
    await call.waitForNotification('roster', 'the first roster (bot and organizer)');
    const guest = person(call, 'Emulator guest', true);
    await call.control({ op: 'roster', join: [guest], why: 'roster: a guest joins, muted' });
    await call.waitForNotification('roster', 'the roster with the guest');
    await call.control({
      op: 'roster',
      leave: [guest.participantId],
      why: 'roster: the guest leaves',
    });
    await call.waitForNotification('roster', 'the roster without the guest');
    await call.finish();
  },
};

const transfer: Scenario = {
  name: 'transfer',
  summary: 'the bot answers, then transfers the call: transferring, then terminated 0/7015',
  botShould: `answer, then POST /transfer with a transferTarget once the call is established${keyed('transfer')}`,
  suites: ['scripted'],
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
    await call.waitForNotification('transferring', 'transferring');
    await call.waitForNotification('terminated', 'terminated 0/7015 after the transfer');
  },
};

const playPrompt: Scenario = {
  name: 'play-prompt',
  summary: 'the bot answers and plays a prompt: operation completed, clientContext echoed',
  botShould: `answer, then POST /playPrompt with prompts (and a clientContext) once established; accept the operation's completion${keyed('play-prompt')}`,
  suites: ['scripted'],
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
      await call.waitForNotification('operation', 'the playPrompt completion');
    }
    await call.finish();
  },
};

const regionRedirect: Scenario = {
  name: 'region-redirect',
  summary:
    'a caller from region westeurope reaches this deployment; the bot sends it to another one with 302',
  botShould:
    'answer the Graph incoming call with 302 and Location: another deployment, which then answers the call (the caller is in region westeurope: the bot must be configured with another deployment for it)',
  suites: ['scripted'],
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
  botShould: `POST /reject for the call, then accept its terminated notification${keyed('rejected-call')}`,
  suites: ['scripted'],
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
  suites: ['well-behaved'],
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
  botShould: `acknowledge the incoming call, leave it unanswered, and accept the terminated notification${keyed('never-answers')}`,
  suites: ['scripted'],
  tokenKind: 'botframework',
  expects: { graphActions: [], forbiddenGraphActions: ['answer'] },
  async run(call) {
    await call.incomingCall();
    await call.awaitAnswer({ expect: 'none' });
  },
};

const rosterChurn: Scenario = {
  name: 'roster-churn',
  summary: 'a call whose roster grows and shrinks: full lists and created/deleted items',
  botShould:
    'answer, and accept every roster notification: full rosters with changeType updated, and joined (created) / left (deleted) items; GET participants returns the current roster',
  suites: ['well-behaved', 'tracking'],
  tokenKind: 'botframework',
  expects: { graphActions: ['answer'], forbiddenGraphActions: ['reject', 'redirect'] },
  async run(call) {
    await call.incomingCall();
    await call.awaitAnswer({ expect: 'answer' });
    await call.connect();
    await call.waitForNotification('roster', 'the first roster (bot and caller)');
    const [a, b, c] = [person(call, 'Guest A'), person(call, 'Guest B'), person(call, 'Guest C')];
    const changes = [
      { op: 'roster', join: [a, b], why: 'roster grows: A and B join (full list)' },
      { op: 'roster', join: [c], style: 'items', why: 'roster grows: C joins (created item)' },
      {
        op: 'roster',
        leave: [a.participantId, b.participantId],
        why: 'roster shrinks: A and B leave (full list)',
      },
      {
        op: 'roster',
        leave: [c.participantId],
        style: 'items',
        why: 'roster shrinks: C leaves (deleted item)',
      },
    ] as const;
    for (const change of changes) {
      await call.control({
        ...change,
        join: [...('join' in change ? change.join : [])],
        leave: [...('leave' in change ? change.leave : [])],
      });
      await call.waitForNotification('roster', `"${change.why}"`);
    }
    await call.finish();
  },
};

const answerThrottled: Scenario = {
  name: 'answer-throttled',
  summary: 'Graph answers the first answer with 429 and Retry-After: 1',
  botShould:
    'answer; on the 429 wait the Retry-After second and answer again, within the answer window',
  suites: ['calls-client'],
  tokenKind: 'botframework',
  graph: { faults: [{ action: 'answer', status: 429, retryAfter: 1 }] },
  expects: { graphActions: ['answer'], forbiddenGraphActions: ['reject', 'redirect'] },
  async run(call) {
    await call.incomingCall();
    const answer = await call.awaitAnswer({ expect: 'answer' });
    const throttled = call.graphActions().find((a) => a.kind === 'answer' && a.injected === true);
    if (!throttled)
      call.fail('The bot answered, but the 429 was never sent: the scenario is broken');
    else if (answer && answer.at - throttled.at < 900) {
      call.fail(
        `The bot answered again ${answer.at - throttled.at} ms after the 429; Retry-After asked for 1 s`,
      );
    }
    await call.connect();
    await call.finish();
  },
};

const graphUnavailable: Scenario = {
  name: 'graph-unavailable',
  summary: 'Graph answers the first answer with 503 and Retry-After: 1',
  botShould: 'answer; on the 503 retry after the Retry-After second, within the answer window',
  suites: ['calls-client'],
  tokenKind: 'botframework',
  graph: { faults: [{ action: 'answer', status: 503, retryAfter: 1 }] },
  expects: { graphActions: ['answer'], forbiddenGraphActions: ['reject', 'redirect'] },
  async run(call) {
    await call.incomingCall();
    await call.awaitAnswer({ expect: 'answer' });
    await call.connect();
    await call.finish();
  },
};

const slowAnswer: Scenario = {
  name: 'slow-answer',
  summary: 'Graph takes 3 s to accept the answer',
  botShould:
    'answer once and wait for Graph (a per-attempt timeout above 3 s); a second answer is refused with 400',
  suites: ['calls-client'],
  tokenKind: 'botframework',
  graph: { faults: [{ action: 'answer', delayMs: 3000 }] },
  expects: { graphActions: ['answer'], forbiddenGraphActions: ['reject', 'redirect'] },
  async run(call) {
    await call.incomingCall();
    await call.awaitAnswer({ expect: 'answer' });
    await call.connect();
    await call.finish();
  },
};

const keepAlive: Scenario = {
  name: 'keepalive',
  summary:
    'a long call on a compressed clock: Graph ends calls with no keepAlive within 3 s (45 minutes in production)',
  botShould:
    'answer and send keepAlive at least every 3 s while the call lasts (e.g. keepAlive: { interval: 1 } with @callgate/calls); else the call ends with 408/8537',
  suites: ['tracking'],
  tokenKind: 'botframework',
  graph: { keepAliveTimeout: 3 },
  expects: { graphActions: ['answer', 'keepAlive'], forbiddenGraphActions: ['reject', 'redirect'] },
  async run(call) {
    await call.incomingCall();
    await call.awaitAnswer({ expect: 'answer' });
    await call.connect();
    const timeout = call.keepAliveTimeout ?? 3;
    const ended = await call.waitForNotification('terminated', 'terminated', {
      timeoutMs: timeout * 3000,
      quiet: true,
    });
    if (ended) {
      call.fail(`The call was ended with 408/8537: no keepAlive came within ${timeout} s`);
      return;
    }
    call.note(`the call lived ${timeout * 3} s (3 keepAlive windows)`);
    await call.finish();
  },
};

const earlyCompletion: Scenario = {
  name: 'early-completion',
  summary:
    "the playPrompt operation's completion reaches the bot before Graph answers the playPrompt request",
  botShould: `answer, play a prompt once established, await its completion (which arrived before the request returned), then hang up${keyed('early-completion')}`,
  suites: ['tracking'],
  tokenKind: 'botframework',
  graph: { completeBeforeResponding: true },
  expects: {
    graphActions: ['answer', 'playPrompt', 'hangUp'],
    forbiddenGraphActions: ['reject', 'redirect'],
  },
  async run(call) {
    await call.incomingCall();
    await call.awaitAnswer({ expect: 'answer' });
    await call.connect();
    const prompt = await call.waitForAction(['playPrompt'], 'play a prompt');
    if (!prompt) return call.finish();
    await call.finish();
  },
};

const vanishingCall: Scenario = {
  name: 'vanishing-call',
  summary: 'the call ends at Graph without a terminated notification; only keepAlive (404) tells',
  botShould:
    'answer, send keepAlive within 3 s (compressed clock), take its 404 as the end of the call and stop sending keepAlive for it',
  suites: ['tracking'],
  tokenKind: 'botframework',
  graph: { keepAliveTimeout: 3 },
  expects: { graphActions: ['answer'], forbiddenGraphActions: ['reject', 'redirect'] },
  async run(call) {
    await call.incomingCall();
    await call.awaitAnswer({ expect: 'answer' });
    await call.connect();
    await call.control({
      op: 'end',
      notify: false,
      resultInfo: { code: 0, subcode: 0, message: 'The call vanished.' },
    });
    call.note('the call ended at Graph; no terminated notification is sent');
    const timeout = call.keepAliveTimeout ?? 3;
    const first = await call.waitForAction(['keepAlive'], 'send keepAlive', {
      timeoutMs: timeout * 1000 + 2000,
    });
    if (!first) return;
    if (first.status !== 404)
      call.fail(`keepAlive of a vanished call got ${first.status}, not 404`);
    const again = await call.waitForAction(['keepAlive'], 'stop', {
      timeoutMs: timeout * 2000,
      quiet: true,
    });
    if (again)
      call.fail(
        'The bot kept sending keepAlive after the 404: it still tracks a call that is gone',
      );
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
    rosterChurn,
    answerThrottled,
    graphUnavailable,
    slowAnswer,
    keepAlive,
    earlyCompletion,
    vanishingCall,
  ].map((scenario) => [scenario.name, scenario]),
);

/**
 * The scenario suites, by name: `well-behaved` (any bot that answers every call
 * and refuses bad tokens passes), `scripted` (the bot picks a behaviour from the
 * caller's name), `calls-client` (Graph faults a calls client must survive),
 * `tracking` (keepAlive, early completions, vanished calls, roster changes) and
 * `all`.
 *
 * @example
 * ```ts
 * for (const name of suites['well-behaved']!) await playScenario(name, options);
 * ```
 */
export const suites: Record<string, string[]> = (() => {
  const bySuite: Record<string, string[]> = {};
  for (const scenario of Object.values(scenarios)) {
    for (const suite of scenario.suites)
      bySuite[suite] = [...(bySuite[suite] ?? []), scenario.name];
  }
  return { ...bySuite, all: Object.keys(scenarios) };
})();

/**
 * Name, summary, what a bot must do to pass and the suites, for each built-in scenario.
 *
 * @example
 * ```ts
 * for (const s of listScenarios()) console.log(`${s.name}: ${s.summary}`);
 * ```
 */
export function listScenarios(): {
  name: string;
  summary: string;
  botShould: string;
  suites: string[];
}[] {
  return Object.values(scenarios).map(({ name, summary, botShould, suites }) => ({
    name,
    summary,
    botShould,
    suites,
  }));
}
