import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmulatorError } from './EmulatorError';
import {
  callStateChanged,
  callTerminated,
  graphIncomingCall,
  type Identity,
  legacyIncomingCall,
  type ResultInfo,
} from './notifications';
import type {
  PostOptions,
  PostOutcome,
  Scenario,
  ScenarioCall,
  ScenarioResult,
  ScenarioStep,
  StatusExpectation,
  TokenVariant,
} from './scenario';
import { scenarios } from './scenarios';
import type { TokenMinter } from './startDevIssuer';
import type { GraphAction, GraphActionKind, GraphObserver } from './startMockGraph';

/** Options of {@link playScenario}. */
export interface PlayOptions {
  /** The bot's webhook, where the service POSTs incoming calls. */
  webhookUrl: string;
  /** Signs the notifications: a {@link DevIssuer} or {@link connectDevIssuer}. */
  issuer: TokenMinter;
  /** Sees the bot's Graph requests: a {@link MockGraph} or {@link connectMockGraph}. */
  graph: GraphObserver;
  /** The bot's app id: the tokens' `aud`. */
  appId: string;
  /** Receives one readable line per step. */
  log?: (line: string) => void;
  /** How long the service waits for the bot to answer / reject / act. Default 15000. */
  answerTimeoutMs?: number;
  /** How long one POST may take before it counts as timed out. Default 10000. */
  requestTimeoutMs?: number;
  /** Waits before each retry of a 5xx / 429 / timed-out POST. Default [500, 1000, 2000]. */
  retryDelaysMs?: number[];
  /** How long to wait for the bot to hang up before the caller does. Default 3000. */
  hangUpWaitMs?: number;
}

/** The caller's `displayName` in scenario `name`: a bot can switch on it to be played with `all`. */
export const callerDisplayName = (scenario: string): string => `Emulator caller: ${scenario}`;

const userAgent = 'Microsoft-Skype/3.0,(Calling/1.0)';
const maxRedirects = 3;

/** Thrown inside a script when the service has dropped the call; ends the script quietly. */
class CallEnded extends Error {}

/**
 * Plays one scenario against a bot the way the Microsoft Teams calling
 * service would, and checks the bot's answers and Graph requests against the
 * scenario's expectations. Never throws for a misbehaving bot: the result says
 * what went wrong.
 *
 * @example
 * ```ts
 * const issuer = await startDevIssuer();
 * const graph = await startMockGraph();
 * // ... start the bot with auth.issuers = issuer.issuers and Graph at graph.baseUrl
 * const result = await playScenario('p2p-call', {
 *   webhookUrl: 'http://127.0.0.1:3978/api/calls',
 *   issuer,
 *   graph,
 *   appId: issuer.appId,
 *   log: console.log,
 * });
 * if (!result.passed) console.error(result.failures);
 * ```
 */
export async function playScenario(
  scenario: Scenario | string,
  options: PlayOptions,
): Promise<ScenarioResult> {
  const script = typeof scenario === 'string' ? scenarios[scenario] : scenario;
  if (!script) {
    throw new EmulatorError(
      'unknown_scenario',
      `Unknown scenario "${String(scenario)}"; known: ${Object.keys(scenarios).join(', ')}`,
    );
  }
  try {
    new URL(options.webhookUrl);
  } catch (error) {
    throw new EmulatorError('invalid_options', `webhookUrl is not a URL: ${options.webhookUrl}`, {
      cause: error,
    });
  }
  const started = Date.now();
  const answerTimeoutMs = options.answerTimeoutMs ?? 15_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const retryDelaysMs = options.retryDelaysMs ?? [500, 1000, 2000];
  const hangUpWaitMs = options.hangUpWaitMs ?? 3000;
  const log = options.log ?? (() => {});

  const callId = randomUUID();
  const chainId = randomUUID();
  const scenarioId = randomUUID();
  const tenantId = options.issuer.tenantId;
  const steps: ScenarioStep[] = [];
  const failures: string[] = [];
  const caller: Identity = {
    kind: 'user',
    id: randomUUID(),
    displayName: callerDisplayName(script.name),
    tenantId,
  };
  const meeting = {
    organizer: {
      kind: 'user',
      id: randomUUID(),
      displayName: 'Emulator organizer',
      tenantId,
    } satisfies Identity,
    threadId: `19:meeting_${randomUUID().replaceAll('-', '')}@thread.v2`,
  };

  let deploymentUrl = options.webhookUrl;
  let callbackUri: string | undefined;

  // Graph requests of this call, in order; `claimed` once a wait consumed one.
  const observed: { action: GraphAction; claimed: boolean }[] = [];
  let cursor = 0;
  const pull = async (timeoutMs: number): Promise<GraphAction | undefined> => {
    const action = await options.graph.nextAction(callId, cursor, timeoutMs);
    if (!action) return undefined;
    cursor++;
    observed.push({ action, claimed: false });
    const ok = action.status >= 200 && action.status < 300;
    steps.push({
      kind: 'graph',
      action: action.kind,
      method: action.method,
      path: action.path,
      status: action.status,
      ok,
      ...(action.problem === undefined ? {} : { problem: action.problem }),
    });
    log(
      `  graph  ${action.method} ${action.path} -> ${action.status}${action.problem ? ` (${action.problem})` : ''}`,
    );
    if (!ok)
      failures.push(
        `The bot's ${action.kind} request was refused by Graph: ${action.problem ?? action.status}`,
      );
    return action;
  };
  const waitFor = async (
    kinds: GraphActionKind[],
    timeoutMs: number,
  ): Promise<GraphAction | undefined> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = observed.find((o) => !o.claimed && kinds.includes(o.action.kind));
      if (found) {
        found.claimed = true;
        return found.action;
      }
      if (!(await pull(Math.max(0, deadline - Date.now())))) return undefined;
    }
  };

  const note = (text: string, ok = true) => {
    steps.push({ kind: 'note', text, ok });
    log(`  ${ok ? 'note' : 'FAIL'}   ${text}`);
  };
  const fail = (reason: string) => {
    failures.push(reason);
    note(reason, false);
  };

  const token = async (variant: TokenVariant): Promise<string | undefined> => {
    const kind = script.tokenKind;
    switch (variant) {
      case 'none':
        return undefined;
      case 'forged':
        return options.issuer.mintForgedToken(kind, options.appId);
      case 'expired':
        return options.issuer.mintToken({ kind, audience: options.appId, expired: true });
      case 'wrong-audience':
        return options.issuer.mintToken({ kind, audience: randomUUID() });
      default:
        return options.issuer.mintToken({ kind, audience: options.appId });
    }
  };

  const post = async (body: unknown, postOptions: PostOptions): Promise<PostOutcome> => {
    const target = postOptions.to === 'callback' ? callbackUri : deploymentUrl;
    if (target === undefined) {
      fail(`Cannot send "${postOptions.why}": the bot gave no callbackUri`);
      throw new CallEnded();
    }
    const variant = postOptions.token ?? 'valid';
    const messageId = randomUUID();
    const text = JSON.stringify(body);
    const expectation = describe(postOptions.expect);
    const redirects: string[] = [];
    let url = target;
    let attempt = 0;
    let status: number | null = null;
    for (;;) {
      attempt++;
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': userAgent,
        'x-microsoft-skype-chain-id': chainId,
        'x-microsoft-skype-message-id': messageId,
        'scenario-id': scenarioId,
        'client-request-id': randomUUID(),
      };
      const bearer = await token(variant);
      if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`;
      const sent = Date.now();
      let location: string | undefined;
      let error: string | undefined;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers,
          body: text,
          redirect: 'manual',
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        status = response.status;
        location = response.headers.get('location') ?? undefined;
        await response.body?.cancel();
      } catch (cause) {
        status = null;
        error =
          cause instanceof Error && cause.name === 'TimeoutError'
            ? `no answer within ${requestTimeoutMs} ms`
            : `request failed: ${(cause as Error & { cause?: Error }).cause?.message ?? String(cause)}`;
      }
      const ok = status !== null && matches(postOptions.expect, status);
      steps.push({
        kind: 'post',
        why: postOptions.why,
        url,
        messageId,
        attempt,
        token: variant,
        status,
        expectation,
        ok,
        durationMs: Date.now() - sent,
        ...(location === undefined || status !== 302 ? {} : { location }),
        ...(error === undefined ? {} : { error }),
      });
      log(
        `  POST   ${postOptions.why} -> ${status ?? error} (expected ${expectation})${attempt > 1 ? ` [attempt ${attempt}]` : ''}`,
      );

      if (status === 302 && location !== undefined && !matches(postOptions.expect, 302)) {
        let next: string;
        try {
          next = new URL(location, url).href;
        } catch {
          fail(`"${postOptions.why}": 302 with an unusable Location ${JSON.stringify(location)}`);
          break;
        }
        if (redirects.length >= maxRedirects) {
          fail(`"${postOptions.why}": more than ${maxRedirects} redirects; the service gives up`);
          break;
        }
        redirects.push(next);
        note(`following 302 to ${next}`);
        if (postOptions.to === 'deployment') deploymentUrl = next;
        url = next;
        attempt = 0;
        continue;
      }
      const retryable = status === null || status === 429 || status >= 500;
      if (!ok && retryable && attempt <= retryDelaysMs.length) {
        await sleep(retryDelaysMs[attempt - 1] ?? 0);
        continue;
      }
      break;
    }
    const ok = status !== null && matches(postOptions.expect, status);
    const outcome: PostOutcome = { ok, status, url, redirects };
    if (ok) return outcome;
    const got = status === null ? 'no answer' : `${status}`;
    if (status === null || status === 429 || status >= 500) {
      fail(
        `"${postOptions.why}" got ${got} from ${url} after ${attempt} attempts; the service gave up and ended the call`,
      );
      // The service tells the bot, once and without retries, that the call is gone.
      await bestEffortTerminated(
        { code: 500, subcode: 0, message: 'The application did not accept notifications.' },
        url,
      );
      throw new CallEnded();
    }
    fail(`"${postOptions.why}" got ${got} from ${url}, expected ${expectation}`);
    if (postOptions.endsCallOnFailure === true) {
      throw new CallEnded();
    }
    return outcome;
  };

  const bestEffortTerminated = async (resultInfo: ResultInfo, url: string) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': userAgent,
      'x-microsoft-skype-chain-id': chainId,
      'x-microsoft-skype-message-id': randomUUID(),
      'scenario-id': scenarioId,
      'client-request-id': randomUUID(),
    };
    const sent = Date.now();
    let status: number | null = null;
    try {
      headers.authorization = `Bearer ${await token('valid')}`;
      const response = await fetch(callbackUri ?? url, {
        method: 'POST',
        headers,
        body: JSON.stringify(callTerminated({ callId, resultInfo })),
        redirect: 'manual',
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
      status = response.status;
      await response.body?.cancel();
    } catch {
      status = null;
    }
    steps.push({
      kind: 'post',
      why: 'terminated (best effort, not retried)',
      url: callbackUri ?? url,
      messageId: headers['x-microsoft-skype-message-id']!,
      attempt: 1,
      token: 'valid',
      status,
      expectation: 'anything',
      ok: true,
      durationMs: Date.now() - sent,
    });
  };

  const terminate = async (resultInfo: ResultInfo, why: string) => {
    await post(callTerminated({ callId, resultInfo }), {
      to: callbackUri === undefined ? 'deployment' : 'callback',
      why,
      expect: '2xx',
    });
  };

  const call: ScenarioCall = {
    scenario: script.name,
    callId,
    chainId,
    appId: options.appId,
    tenantId,
    caller,
    meeting,
    get deploymentUrl() {
      return deploymentUrl;
    },
    get callbackUri() {
      return callbackUri;
    },
    post,
    fail,
    note,
    terminate,
    async incomingCall(incoming = {}) {
      await post(legacyIncomingCall({ callId, appId: options.appId, caller }), {
        to: 'deployment',
        why: 'incoming call, legacy format',
        expect: [204],
        token: incoming.token ?? 'valid',
        endsCallOnFailure: true,
      });
      return post(
        graphIncomingCall({
          callId,
          chainId,
          appId: options.appId,
          tenantId,
          caller,
          region: incoming.region ?? 'westus',
          meeting: incoming.meeting === true ? meeting : undefined,
        }),
        {
          to: 'deployment',
          why: 'incoming call, Graph format',
          expect: '2xx',
          token: incoming.token ?? 'valid',
          endsCallOnFailure: true,
        },
      );
    },
    async awaitAnswer({ expect }) {
      const action = await waitFor(['answer', 'reject', 'redirect'], answerTimeoutMs);
      if (!action) {
        if (expect !== 'none') {
          fail(
            `The bot did not ${expect} the call within ${answerTimeoutMs} ms; the service ended it`,
          );
        } else {
          note(`no answer within ${answerTimeoutMs} ms, as expected; the service ends the call`);
        }
        await terminate(
          { code: 408, subcode: 0, message: 'The call was not answered in time.' },
          'terminated: unanswered call timed out',
        );
        throw new CallEnded();
      }
      const accepted = action.status >= 200 && action.status < 300;
      if (action.kind !== expect) {
        fail(
          expect === 'none'
            ? `The bot was expected to leave the call unanswered, but it called ${action.kind}`
            : `The bot was expected to ${expect} the call, but it called ${action.kind}`,
        );
      }
      if (action.kind === 'answer' && accepted) {
        callbackUri = (action.body as { callbackUri: string }).callbackUri;
        note(`answered; notifications now go to ${callbackUri}`);
      }
      if (action.kind !== expect || !accepted) {
        await terminate(
          { code: 500, subcode: 0, message: 'The call ended after an unexpected answer.' },
          'terminated',
        );
        throw new CallEnded();
      }
      return action;
    },
    async waitForAction(kinds, why) {
      const action = await waitFor(kinds, answerTimeoutMs);
      if (!action) fail(`The bot did not ${why} within ${answerTimeoutMs} ms`);
      return action;
    },
    async connect(connectOptions = {}) {
      const inMeeting = connectOptions.meeting === true ? meeting : undefined;
      await post(callStateChanged({ callId, state: 'establishing' }), {
        to: 'callback',
        why: 'call establishing',
        expect: '2xx',
      });
      await post(
        callStateChanged({ callId, state: 'established', callbackUri, meeting: inMeeting }),
        { to: 'callback', why: 'call established', expect: '2xx' },
      );
    },
    async finish() {
      const hangUp = await waitFor(['hangUp'], hangUpWaitMs);
      if (hangUp) {
        await terminate(
          { code: 0, subcode: 0, message: 'The call was ended by the application.' },
          'terminated: the bot hung up',
        );
      } else {
        await terminate(
          { code: 0, subcode: 0, message: 'The call was ended by the remote party.' },
          'terminated: the caller hung up',
        );
      }
    },
  };

  log(`${script.name}: ${script.summary}`);
  try {
    await script.run(call);
  } catch (error) {
    if (!(error instanceof CallEnded)) {
      fail(`The scenario script broke: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // Requests that came after the last wait still count for the expectations.
  while (await pull(0)) {}
  const actions = observed.map((o) => o.action);
  for (const kind of script.expects.graphActions) {
    if (!actions.some((a) => a.kind === kind)) {
      const reason = `Expected the bot to call Graph ${kind}, it did not`;
      if (!failures.includes(reason)) fail(reason);
    }
  }
  for (const kind of script.expects.forbiddenGraphActions) {
    if (actions.some((a) => a.kind === kind))
      fail(`The bot called Graph ${kind}, which it must not here`);
  }
  const passed = failures.length === 0;
  log(`${script.name}: ${passed ? 'PASSED' : `FAILED (${failures.length})`}`);
  return {
    scenario: script.name,
    passed,
    failures,
    steps,
    callId,
    chainId,
    graphActions: actions,
    durationMs: Date.now() - started,
  };
}

function matches(expect: StatusExpectation, status: number): boolean {
  return expect === '2xx' ? status >= 200 && status < 300 : expect.includes(status);
}

function describe(expect: StatusExpectation): string {
  return expect === '2xx' ? '2xx' : expect.join(' or ');
}
