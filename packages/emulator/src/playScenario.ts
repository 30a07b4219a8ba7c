import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmulatorError } from './EmulatorError';
import type { GraphActionKind, GraphEvent, GraphObserver } from './mockGraphTypes';
import {
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
import { sendNotification, serviceHeaders } from './sendNotification';
import type { TokenMinter } from './startDevIssuer';

/** Options of {@link playScenario}. */
export interface PlayOptions {
  /** The bot's webhook, where the service POSTs incoming calls. */
  webhookUrl: string;
  /** Signs the notifications: a {@link DevIssuer} or {@link connectDevIssuer}. */
  issuer: TokenMinter;
  /**
   * The mock Graph the bot talks to: a {@link MockGraph} started with the same
   * `issuer`, or {@link connectMockGraph}.
   */
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
  /**
   * Seconds an established call lives without keepAlive (the compressed clock
   * of the `keepalive` scenarios). Default: the scenario's (3 s there), else the mock Graph's.
   */
  keepAliveTimeout?: number;
  /** How long to wait for a notification the mock Graph sends. Default 30000. */
  notificationWaitMs?: number;
}

/** The caller's `displayName` in scenario `name`: a bot can switch on it to be played with `all`. */
export const callerDisplayName = (scenario: string): string => `Emulator caller: ${scenario}`;

const maxRedirects = 3;

/** Thrown inside a script when the service has dropped the call; ends the script quietly. */
class CallEnded extends Error {}

type Observed = { event: GraphEvent; claimed: boolean };

/**
 * Plays one scenario against a bot the way the Microsoft Teams calling
 * service would, and checks the bot's answers and Graph requests against the
 * scenario's expectations. Never throws for a misbehaving bot: the result says
 * what went wrong.
 *
 * @example
 * ```ts
 * const issuer = await startDevIssuer();
 * const graph = await startMockGraph({ issuer });
 * // ... start the bot with auth.issuers = issuer.issuers, Graph at graph.baseUrl
 * // and devCredential(issuer) as its Graph credential
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
  const graphIssuer = (options.graph as { issuer?: { url?: string } }).issuer?.url;
  const playIssuer = (options.issuer as { url?: string }).url;
  if (graphIssuer !== undefined && playIssuer !== undefined && graphIssuer !== playIssuer) {
    throw new EmulatorError(
      'invalid_options',
      `The mock Graph signs its notifications with the dev issuer at ${graphIssuer}, but the scenario is played with ${playIssuer}: start it with startMockGraph({ issuer }).`,
    );
  }
  const started = Date.now();
  const answerTimeoutMs = options.answerTimeoutMs ?? 15_000;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  const retryDelaysMs = options.retryDelaysMs ?? [500, 1000, 2000];
  const hangUpWaitMs = options.hangUpWaitMs ?? 3000;
  const notificationWaitMs = options.notificationWaitMs ?? 30_000;
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

  const note = (text: string, ok = true) => {
    steps.push({ kind: 'note', text, ok });
    log(`  ${ok ? 'note' : 'FAIL'}   ${text}`);
  };
  const fail = (reason: string) => {
    failures.push(reason);
    note(reason, false);
  };
  const shown = (status: number | null, code: string | undefined, error: string | undefined) =>
    `${status ?? error}${code === undefined ? '' : ` ${code}`}`;

  // What happened at the mock Graph, in order; `claimed` once a wait consumed it.
  const observed: Observed[] = [];
  let cursor = 0;
  const pull = async (timeoutMs: number): Promise<GraphEvent | undefined> => {
    const event = await options.graph.nextEvent(callId, cursor, timeoutMs);
    if (!event) return undefined;
    cursor++;
    observed.push({ event, claimed: false });
    if (event.type === 'notification') {
      for (const attempt of event.attempts) {
        steps.push(attempt);
        log(
          `  POST   ${attempt.why} -> ${shown(attempt.status, attempt.code, attempt.error)} (expected 2xx)${attempt.attempt > 1 ? ` [attempt ${attempt.attempt}]` : ''}`,
        );
      }
      if (!event.ok) {
        const last = event.attempts.at(-1);
        fail(
          `"${event.why}" got ${shown(last?.status ?? null, last?.code, last?.error)} from ${last?.url} after ${event.attempts.length} attempt(s); the service gave up`,
        );
      }
      return event;
    }
    const action = event.action;
    const ok = action.status >= 200 && action.status < 300;
    steps.push({
      kind: 'graph',
      action: action.kind,
      method: action.method,
      path: action.path,
      status: action.status,
      ok: ok || action.injected === true,
      ...(action.problem === undefined ? {} : { problem: action.problem }),
      ...(action.errorCode === undefined ? {} : { errorCode: action.errorCode }),
      ...(action.injected === true ? { injected: true } : {}),
    });
    const why = action.injected
      ? ' (injected by the scenario)'
      : action.problem
        ? ` (${action.problem})`
        : '';
    log(`  graph  ${action.method} ${action.path} -> ${action.status}${why}`);
    if (!ok && action.injected !== true && action.callGone !== true) {
      failures.push(
        `The bot's ${action.kind} request was refused by Graph: ${action.problem ?? action.status}`,
      );
    }
    return event;
  };
  const claim = async (
    matches: (event: GraphEvent) => boolean,
    timeoutMs: number,
  ): Promise<GraphEvent | undefined> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = observed.find((o) => !o.claimed && matches(o.event));
      if (found) {
        found.claimed = true;
        return found.event;
      }
      if (!(await pull(Math.max(0, deadline - Date.now())))) return undefined;
    }
  };
  const waitForRequest = async (kinds: GraphActionKind[], timeoutMs: number) => {
    const event = await claim(
      (e) => e.type === 'request' && kinds.includes(e.action.kind) && e.action.injected !== true,
      timeoutMs,
    );
    return event?.type === 'request' ? event.action : undefined;
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
      const headers = serviceHeaders({
        chainId,
        messageId,
        scenarioId,
        token: await token(variant),
      });
      const outcome = await sendNotification(url, text, headers, requestTimeoutMs);
      status = outcome.status;
      const followed =
        status === 302 && outcome.location !== undefined && !matches(postOptions.expect, 302);
      const ok = status !== null && (matches(postOptions.expect, status) || followed);
      steps.push({
        kind: 'post',
        by: 'service',
        why: postOptions.why,
        url,
        messageId,
        attempt,
        token: variant,
        status,
        expectation,
        ok,
        durationMs: outcome.durationMs,
        ...(outcome.location === undefined || status !== 302 ? {} : { location: outcome.location }),
        ...(outcome.code === undefined ? {} : { code: outcome.code }),
        ...(outcome.error === undefined ? {} : { error: outcome.error }),
      });
      log(
        `  POST   ${postOptions.why} -> ${shown(status, outcome.code, outcome.error)}${followed ? ', a redirect: following Location' : ` (expected ${expectation})`}${attempt > 1 ? ` [attempt ${attempt}]` : ''}`,
      );

      if (followed && outcome.location !== undefined) {
        let next: string;
        try {
          next = new URL(outcome.location, url).href;
        } catch {
          fail(
            `"${postOptions.why}": 302 with an unusable Location ${JSON.stringify(outcome.location)}`,
          );
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
      const last = steps.at(-1);
      if (!ok && last?.kind === 'post') {
        const got = `${status ?? 'no answer'}${last.code === undefined ? '' : ` (${last.code})`}`;
        if (retryable) {
          fail(
            `"${postOptions.why}" got ${got} from ${url} after ${attempt} attempts; the service gave up and ended the call`,
          );
        } else {
          fail(`"${postOptions.why}" got ${got} from ${url}, expected ${expectation}`);
        }
      }
      break;
    }
    const ok = status !== null && matches(postOptions.expect, status);
    const outcome: PostOutcome = { ok, status, url, redirects };
    if (ok) return outcome;
    if (status === null || status === 429 || status >= 500) {
      // The service tells the bot, once and without retries, that the call is gone.
      await bestEffortTerminated(
        { code: 500, subcode: 0, message: 'The application did not accept notifications.' },
        url,
      );
      throw new CallEnded();
    }
    if (postOptions.endsCallOnFailure === true) {
      await endAtGraph(false);
      throw new CallEnded();
    }
    return outcome;
  };

  const endAtGraph = async (notify: boolean, resultInfo?: ResultInfo, why?: string) => {
    await options.graph.controlCall(callId, {
      op: 'end',
      notify,
      resultInfo: resultInfo ?? { code: 0, subcode: 0, message: 'The call ended.' },
      ...(why === undefined ? {} : { why }),
    });
  };

  const bestEffortTerminated = async (resultInfo: ResultInfo, url: string) => {
    await endAtGraph(false);
    const messageId = randomUUID();
    const target = callbackUri ?? url;
    const headers = serviceHeaders({
      chainId,
      messageId,
      scenarioId,
      token: await token('valid'),
    });
    const outcome = await sendNotification(
      target,
      JSON.stringify(callTerminated({ callId, resultInfo })),
      headers,
      requestTimeoutMs,
    );
    steps.push({
      kind: 'post',
      by: 'service',
      why: 'terminated (best effort, not retried)',
      url: target,
      messageId,
      attempt: 1,
      token: 'valid',
      status: outcome.status,
      expectation: 'anything',
      ok: true,
      durationMs: outcome.durationMs,
    });
  };

  const waitForNotification: ScenarioCall['waitForNotification'] = async (
    kind,
    why,
    waitOptions = {},
  ) => {
    const event = await claim(
      (e) => e.type === 'notification' && e.notification === kind,
      waitOptions.timeoutMs ?? notificationWaitMs,
    );
    if (event?.type === 'notification') return event;
    if (waitOptions.quiet !== true) fail(`The mock Graph did not get to send ${why}`);
    return undefined;
  };

  const terminate = async (resultInfo: ResultInfo, why: string) => {
    if (callbackUri === undefined) {
      await endAtGraph(false);
      await post(callTerminated({ callId, resultInfo }), { to: 'deployment', why, expect: '2xx' });
      return;
    }
    await endAtGraph(true, resultInfo, why);
    await waitForNotification('terminated', `"${why}"`);
  };

  const keepAliveTimeout = options.keepAliveTimeout ?? script.graph?.keepAliveTimeout;
  const call: ScenarioCall = {
    scenario: script.name,
    keepAliveTimeout,
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
    waitForNotification,
    control: (control) => options.graph.controlCall(callId, control),
    graphActions: () =>
      observed.flatMap((o) => (o.event.type === 'request' ? [o.event.action] : [])),
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
      const action = await waitForRequest(['answer', 'reject', 'redirect'], answerTimeoutMs);
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
    async waitForAction(kinds, why, waitOptions = {}) {
      const action = await waitForRequest(kinds, waitOptions.timeoutMs ?? answerTimeoutMs);
      if (!action && waitOptions.quiet !== true)
        fail(`The bot did not ${why} within ${waitOptions.timeoutMs ?? answerTimeoutMs} ms`);
      return action;
    },
    async connect() {
      const established = await waitForNotification('established', 'the established notification');
      if (!established?.ok) throw new CallEnded();
    },
    async finish() {
      const hangUp = await waitForRequest(['hangUp'], hangUpWaitMs);
      if (hangUp && hangUp.status >= 200 && hangUp.status < 300) {
        await waitForNotification('terminated', 'terminated after the hang-up');
      } else {
        await terminate(
          { code: 0, subcode: 0, message: 'The call was ended by the remote party.' },
          'terminated: the caller hung up',
        );
      }
    },
  };

  log(`${script.name}: ${script.summary}`);
  log(`  expect ${script.botShould}`);
  try {
    await options.graph.registerCall({
      callId,
      appId: options.appId,
      tenantId,
      chainId,
      scenarioId,
      tokenKind: script.tokenKind,
      caller,
      ...(script.graph?.meeting === true ? { meeting } : {}),
      ...(script.graph?.faults ? { faults: script.graph.faults } : {}),
      ...(keepAliveTimeout === undefined ? {} : { keepAliveTimeout }),
      ...(script.graph?.completeBeforeResponding ? { completeBeforeResponding: true } : {}),
      ...(script.graph?.operationDelayMs === undefined
        ? {}
        : { operationDelayMs: script.graph.operationDelayMs }),
    });
    await script.run(call);
  } catch (error) {
    if (error instanceof EmulatorError) throw error;
    if (!(error instanceof CallEnded)) {
      fail(`The scenario script broke: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // Requests and notifications that came after the last wait still count.
  while (await pull(0)) {}
  const actions = observed.flatMap((o) => (o.event.type === 'request' ? [o.event.action] : []));
  for (const kind of script.expects.graphActions) {
    if (!actions.some((a) => a.kind === kind && a.status >= 200 && a.status < 300)) {
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
    expectation: script.botShould,
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
