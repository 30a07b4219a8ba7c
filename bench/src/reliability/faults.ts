import { Agent } from 'node:http';
import { type CallWebhookOptions, createCallWebhook } from '@callgate/core';
import { graphBody } from '../fixtures';
import { APP_ID } from '../issuer';
import { startBenchServer } from '../servers';
import { type FaultyIssuer, type KeyEndpointMode, startFaultyIssuer } from './faultyIssuer';
import { type RawOutcome, send } from './httpClient';
import { count, type Tally, withHangDetector } from './statuses';

export interface FaultResult {
  scenario: string;
  expectation: string;
  requests: number;
  /** `"<status>"` (with `+retry-after` on 503s that carry it, `:<code>` on 500s) -> count. */
  outcomes: Tally;
  held: boolean;
  /** Key fetches the issuer served during the scenario (warm-up included). */
  keyFetches: number;
  /** Key fetches while the fault was on: the requests that met the broken endpoint. */
  faultFetches: number;
}

export interface ScenarioOutcome {
  outcomes: Tally;
  requests: number;
  held: boolean;
  issuer: FaultyIssuer;
  /** Key fetches while the fault was on (asserted by the scenario where it matters). */
  faultFetches: number;
}

interface Scenario {
  name: string;
  expectation: string;
  run(size: number): Promise<ScenarioOutcome>;
}

const HANG_MS = 20_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Fires one request per token, `concurrency` at a time, at a node-adapter server for `webhook`. */
async function fire(
  options: Omit<CallWebhookOptions, 'appId'>,
  tokens: string[],
  concurrency = 16,
  setup?: (webhook: ReturnType<typeof createCallWebhook>) => void,
): Promise<Tally> {
  const webhook = createCallWebhook({ appId: APP_ID, ...options });
  setup?.(webhook);
  const { server, url } = await startBenchServer({
    framework: 'node',
    mode: 'callgate',
    metadataUrl: '',
    webhook,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const outcomes: Tally = {};
  try {
    let next = 0;
    await withHangDetector(
      Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < tokens.length) {
            const token = tokens[next++]!;
            const outcome = await send(
              url,
              {
                method: 'POST',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
                chunks: [new TextEncoder().encode(graphBody)],
              },
              agent,
            );
            count(outcomes, outcomeKey(outcome));
          }
        }),
      ),
      HANG_MS,
      'a fault scenario',
    );
    return outcomes;
  } finally {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** `"<status>"`, `503+retry-after` when it carries one, `500:<code>` with the problem's code. */
function outcomeKey(outcome: RawOutcome): string {
  let key = String(outcome.status);
  if (outcome.status === 503 && outcome.headers['retry-after'] !== undefined) key += '+retry-after';
  if (outcome.status === 500) {
    try {
      key += `:${(JSON.parse(outcome.body) as { code?: string }).code}`;
    } catch {
      key += ':no-problem-body';
    }
  }
  return key;
}

async function mintMany(issuer: FaultyIssuer, n: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < n; i++) tokens.push(await issuer.mint());
  return tokens;
}

const only = (outcomes: Tally, key: string, n: number) =>
  Object.keys(outcomes).length === 1 && outcomes[key] === n;

/** Warms a shared key cache for `issuer` (keys are cached per jwks_uri, per process). */
async function warm(issuer: FaultyIssuer): Promise<void> {
  await createCallWebhook({ appId: APP_ID, auth: { issuers: [issuer.profile] } }).warm();
}

/**
 * A warm cache whose refresh is due, so that requests do ask the broken key
 * endpoint (refreshInterval 1 s, waited out; 1 s fetch timeout) and can only
 * answer 202 by serving the last good keys (stale-if-error). The cooldown
 * (2 s, also waited out since the warm-up's load) is longer than the fetch
 * timeout: requests that arrive while a due refresh is in flight wait for it,
 * so with cooldown = timeout every request would wait for one (400 requests
 * then took more than 20 s).
 */
async function warmThenBreak(mode: KeyEndpointMode, n: number): Promise<ScenarioOutcome> {
  const issuer = await startFaultyIssuer('ok');
  await warm(issuer);
  const tokens = await mintMany(issuer, n);
  await sleep(2100);
  issuer.mode = mode;
  const before = issuer.keyFetches;
  const outcomes = await fire(
    {
      auth: {
        issuers: [issuer.profile],
        keyCache: { refreshInterval: 1, cooldown: 2, maxStale: 3600, timeout: 1 },
      },
    },
    tokens,
  );
  const faultFetches = issuer.keyFetches - before;
  return {
    issuer,
    outcomes,
    requests: n,
    faultFetches,
    held: only(outcomes, '202', n) && faultFetches >= 1,
  };
}

export const FAULT_SCENARIOS: Scenario[] = [
  ...(['down', 'reset', 'garbage', 'slow'] as const).map(
    (mode): Scenario => ({
      name: `key endpoint ${describeMode(mode)}, warm cache due for refresh`,
      expectation:
        'the endpoint is asked (>= 1 fetch) and every valid request 202 on the stale keys',
      run: (n) => warmThenBreak(mode, n),
    }),
  ),
  ...(['down', 'reset', 'garbage'] as const).map(
    (mode): Scenario => ({
      name: `key endpoint ${describeMode(mode)}, cold cache`,
      expectation: 'every request 503 with Retry-After; 1 key fetch per cooldown (30 s)',
      async run(n) {
        const issuer = await startFaultyIssuer(mode);
        const outcomes = await fire(
          { auth: { issuers: [issuer.profile] } },
          await mintMany(issuer, n),
        );
        const faultFetches = issuer.keyFetches;
        return {
          issuer,
          outcomes,
          requests: n,
          faultFetches,
          held: only(outcomes, '503+retry-after', n) && faultFetches === 1,
        };
      },
    }),
  ),
  {
    name: 'key endpoint slower (3 s) than the fetch timeout (1 s), cold cache',
    expectation: 'every request 503 with Retry-After, none hangs; 1 key fetch per cooldown',
    async run(n) {
      const issuer = await startFaultyIssuer('slow');
      const outcomes = await fire(
        { auth: { issuers: [issuer.profile], keyCache: { timeout: 1 } } },
        await mintMany(issuer, n),
      );
      const faultFetches = issuer.keyFetches;
      return {
        issuer,
        outcomes,
        requests: n,
        faultFetches,
        held: only(outcomes, '503+retry-after', n) && faultFetches === 1,
      };
    },
  },
  {
    name: 'keys rotated twice under load (cooldown 1 s)',
    expectation: 'every new-key request 202; one key fetch per rotation',
    async run(n) {
      const issuer = await startFaultyIssuer('ok');
      const auth = { issuers: [issuer.profile], keyCache: { cooldown: 1 } };
      await createCallWebhook({ appId: APP_ID, auth }).warm();
      const outcomes: Tally = {};
      let held = true;
      const before = issuer.keyFetches;
      for (let rotation = 0; rotation < 2; rotation++) {
        await sleep(1100);
        await issuer.rotate();
        const fetchesBefore = issuer.keyFetches;
        const round = await fire({ auth }, await mintMany(issuer, n));
        for (const [key, value] of Object.entries(round)) count(outcomes, key, value);
        held &&= only(round, '202', n) && issuer.keyFetches - fetchesBefore === 1;
      }
      return { issuer, outcomes, requests: 2 * n, held, faultFetches: issuer.keyFetches - before };
    },
  },
  {
    name: 'key endpoint returns garbage after a rotation, warm cache (cooldown 1 s)',
    expectation:
      'old-key tokens 202; new-key tokens ask the endpoint (>= 1 fetch) and get 401 or 503, never 202',
    async run(n) {
      const issuer = await startFaultyIssuer('ok');
      await warm(issuer);
      const oldKey = issuer.currentKey;
      const oldTokens: string[] = [];
      for (let i = 0; i < n; i++) oldTokens.push(await issuer.mint(oldKey));
      await issuer.rotate();
      issuer.mode = 'garbage';
      const fresh = await mintMany(issuer, n);
      // Past the 1 s cooldown since the warm-up, so the unknown kid may (must) ask the endpoint.
      await sleep(1100);
      const before = issuer.keyFetches;
      const auth = { issuers: [issuer.profile], keyCache: { cooldown: 1 } };
      const oldOutcomes = await fire({ auth }, oldTokens);
      const newOutcomes = await fire({ auth }, fresh);
      const outcomes: Tally = {};
      for (const [key, value] of Object.entries(oldOutcomes)) count(outcomes, `old ${key}`, value);
      for (const [key, value] of Object.entries(newOutcomes)) count(outcomes, `new ${key}`, value);
      const newHeld = Object.keys(newOutcomes).every(
        (key) => key === '401' || key.startsWith('503'),
      );
      const faultFetches = issuer.keyFetches - before;
      return {
        issuer,
        outcomes,
        requests: 2 * n,
        faultFetches,
        // The unknown kid must make the verifier ask the (broken) endpoint.
        held: only(oldOutcomes, '202', n) && newHeld && faultFetches >= 1,
      };
    },
  },
  ...handlerScenarios(),
];

function handlerScenarios(): Scenario[] {
  const never = () => new Promise<void>(() => undefined);
  const boom = () => {
    throw new Error('handler failure (reliability harness)');
  };
  const cases: [string, string, () => unknown, boolean, string][] = [
    [
      'handler throws (ack first)',
      'every request 202; onError sees each failure',
      boom,
      false,
      '202',
    ],
    ['handler never settles (ack first)', 'every request 202', never, false, '202'],
    [
      'handler throws (awaitHandlers)',
      'every request 500 handler_failed',
      boom,
      true,
      '500:handler_failed',
    ],
    [
      'handler never settles (awaitHandlers, handlerTimeout 0.2 s)',
      'every request 500 handler_timeout after the timeout',
      never,
      true,
      '500:handler_timeout',
    ],
  ];
  return cases.map(([name, expectation, handler, awaitHandlers, status]) => ({
    name,
    expectation,
    async run(n) {
      const issuer = await startFaultyIssuer('ok');
      let reported = 0;
      const outcomes = await fire(
        {
          auth: { issuers: [issuer.profile] },
          awaitHandlers,
          handlerTimeout: 0.2,
          onError: () => {
            reported++;
          },
        },
        await mintMany(issuer, n),
        16,
        (webhook) => webhook.on('incomingCall', handler as () => void),
      );
      // Ack-first handlers run after the 202: give the failures time to be reported.
      if (handler === boom && !awaitHandlers) {
        for (let i = 0; i < 100 && reported < n; i++) await sleep(20);
      }
      const reportedAll = handler !== boom || reported === n;
      return {
        issuer,
        outcomes,
        requests: n,
        faultFetches: 0,
        held: only(outcomes, status, n) && reportedAll,
      };
    },
  }));
}

/** Runs every fault scenario with `size` requests each. */
function describeMode(mode: KeyEndpointMode): string {
  switch (mode) {
    case 'down':
      return 'down (503)';
    case 'reset':
      return 'drops the connection';
    case 'garbage':
      return 'returns garbage';
    case 'slow':
      return 'slow (3 s, fetch timeout 1 s)';
    default:
      return mode;
  }
}

export async function runFaults(size: number): Promise<FaultResult[]> {
  const results: FaultResult[] = [];
  for (const scenario of FAULT_SCENARIOS) {
    const { issuer, outcomes, requests, held, faultFetches } = await scenario.run(size);
    results.push({
      scenario: scenario.name,
      expectation: scenario.expectation,
      requests,
      outcomes,
      held,
      keyFetches: issuer.keyFetches,
      faultFetches,
    });
    await issuer.close();
  }
  return results;
}
