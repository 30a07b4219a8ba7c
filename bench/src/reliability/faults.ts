import { Agent } from 'node:http';
import { type CallWebhookOptions, createCallWebhook } from '@callgate/core';
import { graphBody } from '../fixtures';
import { APP_ID } from '../issuer';
import { startBenchServer } from '../servers';
import { startFaultyIssuer, type FaultyIssuer } from './faultyIssuer';
import { send } from './httpClient';
import { count, type Tally, withHangDetector } from './statuses';

export interface FaultResult {
  scenario: string;
  expectation: string;
  requests: number;
  /** `"<status>"` (with `+retry-after` on 503s that carry it, `:<code>` on 500s) -> count. */
  outcomes: Tally;
  held: boolean;
  /** Key fetches the issuer served during the scenario. */
  keyFetches: number;
}

interface Scenario {
  name: string;
  expectation: string;
  run(
    size: number,
  ): Promise<{ outcomes: Tally; requests: number; held: boolean; issuer: FaultyIssuer }>;
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
            let key = String(outcome.status);
            if (outcome.status === 503 && outcome.headers['retry-after'] !== undefined)
              key += '+retry-after';
            count(outcomes, key);
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

export const FAULT_SCENARIOS: Scenario[] = [
  {
    name: 'key endpoint down (503), warm cache',
    expectation: 'every valid request 202',
    async run(n) {
      const issuer = await startFaultyIssuer('ok');
      await warm(issuer);
      issuer.mode = 'down';
      const outcomes = await fire(
        { auth: { issuers: [issuer.profile] } },
        await mintMany(issuer, n),
      );
      return { issuer, outcomes, requests: n, held: only(outcomes, '202', n) };
    },
  },
  ...(['down', 'reset', 'garbage'] as const).map(
    (mode): Scenario => ({
      name: `key endpoint ${mode === 'down' ? 'down (503)' : mode === 'reset' ? 'drops the connection' : 'returns garbage'}, cold cache`,
      expectation: 'every request 503 with Retry-After',
      async run(n) {
        const issuer = await startFaultyIssuer(mode);
        const outcomes = await fire(
          { auth: { issuers: [issuer.profile] } },
          await mintMany(issuer, n),
        );
        return { issuer, outcomes, requests: n, held: only(outcomes, '503+retry-after', n) };
      },
    }),
  ),
  {
    name: 'key endpoint slower (3 s) than the fetch timeout (1 s), cold cache',
    expectation: 'every request 503 with Retry-After, none hangs',
    async run(n) {
      const issuer = await startFaultyIssuer('slow');
      const outcomes = await fire(
        { auth: { issuers: [issuer.profile], keyCache: { timeout: 1 } } },
        await mintMany(issuer, n),
      );
      return { issuer, outcomes, requests: n, held: only(outcomes, '503+retry-after', n) };
    },
  },
  {
    name: 'key endpoint slow (3 s), warm cache',
    expectation: 'every valid request 202',
    async run(n) {
      const issuer = await startFaultyIssuer('ok');
      await warm(issuer);
      issuer.mode = 'slow';
      const outcomes = await fire(
        { auth: { issuers: [issuer.profile] } },
        await mintMany(issuer, n),
      );
      return { issuer, outcomes, requests: n, held: only(outcomes, '202', n) };
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
      for (let rotation = 0; rotation < 2; rotation++) {
        await sleep(1100);
        await issuer.rotate();
        const fetchesBefore = issuer.keyFetches;
        const round = await fire({ auth }, await mintMany(issuer, n));
        for (const [key, value] of Object.entries(round)) count(outcomes, key, value);
        held &&= only(round, '202', n) && issuer.keyFetches - fetchesBefore === 1;
      }
      return { issuer, outcomes, requests: 2 * n, held };
    },
  },
  {
    name: 'key endpoint returns garbage after a rotation, warm cache',
    expectation: 'old-key tokens 202; new-key tokens 401 or 503, never 202',
    async run(n) {
      const issuer = await startFaultyIssuer('ok');
      await warm(issuer);
      const oldKey = issuer.currentKey;
      const oldTokens: string[] = [];
      for (let i = 0; i < n; i++) oldTokens.push(await issuer.mint(oldKey));
      await issuer.rotate();
      issuer.mode = 'garbage';
      const fresh = await mintMany(issuer, n);
      const oldOutcomes = await fire({ auth: { issuers: [issuer.profile] } }, oldTokens);
      const newOutcomes = await fire({ auth: { issuers: [issuer.profile] } }, fresh);
      const outcomes: Tally = {};
      for (const [key, value] of Object.entries(oldOutcomes)) count(outcomes, `old ${key}`, value);
      for (const [key, value] of Object.entries(newOutcomes)) count(outcomes, `new ${key}`, value);
      const newHeld = Object.keys(newOutcomes).every(
        (key) => key === '401' || key.startsWith('503'),
      );
      return { issuer, outcomes, requests: 2 * n, held: only(oldOutcomes, '202', n) && newHeld };
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
    ['handler throws (awaitHandlers)', 'every request 500', boom, true, '500'],
    [
      'handler never settles (awaitHandlers, handlerTimeout 0.2 s)',
      'every request 500 after the timeout',
      never,
      true,
      '500',
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
      return { issuer, outcomes, requests: n, held: only(outcomes, status, n) && reportedAll };
    },
  }));
}

/** Runs every fault scenario with `size` requests each. */
export async function runFaults(size: number): Promise<FaultResult[]> {
  const results: FaultResult[] = [];
  for (const scenario of FAULT_SCENARIOS) {
    const { issuer, outcomes, requests, held } = await scenario.run(size);
    results.push({
      scenario: scenario.name,
      expectation: scenario.expectation,
      requests,
      outcomes,
      held,
      keyFetches: issuer.keyFetches,
    });
    await issuer.close();
  }
  return results;
}
