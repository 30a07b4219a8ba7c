/**
 * Child-process entry (run with --expose-gc): follows `calls` concurrent calls
 * through their whole life — incoming → established → 5 roster changes → 3
 * prompts awaited with `calls.completion` → terminated — through
 * `webhook.handle` with a linked `@callgate/calls` client, against a webhook
 * with the same handlers and no client in the same run (alternating rounds).
 * Reports µs per notification and the heap (RSS beside it) before, with every
 * call live, and after the calls ended and were forgotten, each after a full GC.
 * argv[2] is `{"calls": N, "rounds": R}`. Graph is an in-process fake fetch and
 * the token check a stub: this measures tracking, not crypto or sockets.
 */
import { createCallsClient } from '@callgate/calls';
import {
  type CallWebhook,
  createCallWebhook,
  silentLogger,
  type TokenVerifier,
} from '@callgate/core';

export interface TrackingResult {
  calls: number;
  notificationsPerCall: number;
  rounds: number;
  /** µs per notification, median of rounds, with the linked client and without. */
  trackedUs: number;
  untrackedUs: number;
  trackedUsRange: [number, number];
  untrackedUsRange: [number, number];
  heapStartMb: number;
  heapLiveMb: number;
  heapEndMb: number;
  rssStartMb: number;
  rssLiveMb: number;
  rssEndMb: number;
  trackedAtPeak: number;
  trackedAtEnd: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const { calls: count = 10_000, rounds = 3 } = JSON.parse(process.argv[2] ?? '{}') as {
  calls?: number;
  rounds?: number;
};
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
const verifier: TokenVerifier = {
  verify: async () => ({
    kind: 'botframework',
    tenantId: 't',
    appId: 'a',
    issuer: 'i',
    claims: {},
  }),
  warm: async () => {},
  appIds: ['a'],
};
let clock = Date.now();
const now = () => clock;

// Graph: every playPrompt answers 200 with a running operation whose id names the call and prompt.
const fakeGraph: typeof fetch = async (input) => {
  const url = String(input);
  const match = /calls\/([^/]+)\/playPrompt$/.exec(url);
  if (match !== null) {
    const id = `${match[1]}-op-${prompts.get(match[1]!) ?? 0}`;
    return new Response(JSON.stringify({ id, status: 'running' }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }
  return new Response(null, { status: 202 });
};
const prompts = new Map<string, number>();

const callId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const item = (id: string, changeType: string, data: unknown, path = '') => ({
  changeType,
  resourceUrl: `/communications/calls/${id}${path}`,
  resourceData: data,
});
const participant = (id: string) => ({
  '@odata.type': '#microsoft.graph.participant',
  id,
  info: { identity: { user: { id: `user-${id}` } } },
  isMuted: false,
});

/** The notifications of one phase for call `i`; phases run across all calls in turn. */
function phases(i: number): unknown[][] {
  const id = callId(i);
  const roster = (n: number) => Array.from({ length: n }, (_, k) => participant(`${i}-${k}`));
  const op = (k: number) =>
    item(
      id,
      'deleted',
      {
        '@odata.type': '#microsoft.graph.playPromptOperation',
        id: `${id}-op-${k}`,
        status: 'completed',
      },
      `/operations/${id}-op-${k}`,
    );
  return [
    [
      item(id, 'created', {
        '@odata.type': '#microsoft.graph.call',
        state: 'incoming',
        direction: 'incoming',
      }),
    ],
    [item(id, 'updated', { '@odata.type': '#microsoft.graph.call', state: 'established' })],
    [item(id, 'updated', roster(2), '/participants')],
    [item(id, 'updated', roster(3), '/participants')],
    [op(1)],
    [item(id, 'updated', roster(4), '/participants')],
    [op(2)],
    [item(id, 'updated', roster(3), '/participants')],
    [op(3)],
    [item(id, 'updated', roster(2), '/participants')],
    [
      item(id, 'deleted', {
        '@odata.type': '#microsoft.graph.call',
        state: 'terminated',
        resultInfo: { code: 200, subcode: 0 },
      }),
    ],
  ];
}
const NOTIFICATIONS_PER_CALL = phases(0).length;
const bodies = Array.from({ length: count }, (_, i) =>
  phases(i).map((items) => JSON.stringify({ value: items })),
);

function bot(linked: boolean) {
  const webhook = createCallWebhook({
    appId: 'a',
    auth: { verifier },
    publicUrl: 'https://bot.example.com/api/calls',
    logger: silentLogger,
    now,
  });
  const calls = linked
    ? createCallsClient({
        credential: async () => 'token',
        webhook,
        baseUrl: 'https://graph.example.test/v1.0',
        fetch: fakeGraph,
        logger: silentLogger,
        now,
      })
    : undefined;
  // The same handlers either way: a bot that plays a prompt on each roster change it sees.
  webhook.on('incomingCall', async (event) => {
    await calls?.answer(event.callId, { acceptedModalities: ['audio'] });
  });
  webhook.on('notification', () => {});
  return { webhook, calls };
}

let message = 0;
async function deliverPhase(webhook: CallWebhook, phase: number): Promise<void> {
  const BATCH = 500;
  for (let start = 0; start < count; start += BATCH) {
    const batch: Promise<unknown>[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      batch.push(
        webhook.handle({
          method: 'POST',
          url: '/api/calls',
          headers: { 'x-microsoft-skype-message-id': `m-${++message}` },
          body: bodies[i]![phase]!,
        }),
      );
    }
    await Promise.all(batch);
    await webhook.idle();
  }
}

/** One whole life of every call; returns µs per notification and, for the linked run, the live heap. */
async function lifetime(linked: boolean, measureLive: boolean) {
  const { webhook, calls } = bot(linked);
  prompts.clear();
  let live: { heap: number; rss: number; tracked: number } | undefined;
  const waits: Promise<unknown>[] = [];
  let elapsedNs = 0n;
  for (let phase = 0; phase < NOTIFICATIONS_PER_CALL; phase++) {
    // The prompts whose completions the next phase delivers: started and awaited as a bot would.
    if (calls !== undefined && [4, 6, 8].includes(phase)) {
      for (let i = 0; i < count; i++) {
        const id = callId(i);
        prompts.set(id, (prompts.get(id) ?? 0) + 1);
        const operation = await calls.playPrompt(id, {
          prompts: [{ mediaInfo: { uri: 'https://x.test/a.wav' } }],
        });
        waits.push(calls.completion(id, operation.id ?? ''));
      }
    }
    const start = process.hrtime.bigint();
    await deliverPhase(webhook, phase);
    elapsedNs += process.hrtime.bigint() - start;
    if (measureLive && phase === 9) {
      gc!();
      const usage = process.memoryUsage();
      live = { heap: usage.heapUsed, rss: usage.rss, tracked: calls?.trackedCalls().length ?? 0 };
    }
  }
  const settled = await Promise.allSettled(waits);
  const failed = settled.filter((s) => s.status === 'rejected').length;
  if (failed > 0) throw new Error(`${failed} completions failed`);
  // Ended calls stay readable retainEnded (300 s); move the clock past it and past the
  // webhook's redelivery window (600 s), then let one notification sweep them.
  clock += 700_000;
  await webhook.handle({
    method: 'POST',
    url: '/api/calls',
    headers: { 'x-microsoft-skype-message-id': 'sweep' },
    body: bodies[0]![0]!,
  });
  await webhook.idle();
  const trackedAtEnd = calls?.trackedCalls().length ?? 0;
  calls?.close();
  const us = Number(elapsedNs) / 1000 / (count * NOTIFICATIONS_PER_CALL);
  return { us, live, trackedAtEnd };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round1 = (n: number) => Math.round(n * 10) / 10;

await lifetime(true, false); // warm-up
gc();
const start = process.memoryUsage();
const tracked: number[] = [];
const untracked: number[] = [];
let live: { heap: number; rss: number; tracked: number } | undefined;
let trackedAtEnd = 0;
for (let round = 0; round < rounds; round++) {
  const withClient = await lifetime(true, round === 0);
  tracked.push(withClient.us);
  live ??= withClient.live;
  trackedAtEnd = withClient.trackedAtEnd;
  untracked.push((await lifetime(false, false)).us);
}
gc();
const end = process.memoryUsage();
const result: TrackingResult = {
  calls: count,
  notificationsPerCall: NOTIFICATIONS_PER_CALL,
  rounds,
  trackedUs: round1(median(tracked)),
  untrackedUs: round1(median(untracked)),
  trackedUsRange: [round1(Math.min(...tracked)), round1(Math.max(...tracked))],
  untrackedUsRange: [round1(Math.min(...untracked)), round1(Math.max(...untracked))],
  heapStartMb: mb(start.heapUsed),
  heapLiveMb: mb(live?.heap ?? 0),
  heapEndMb: mb(end.heapUsed),
  rssStartMb: mb(start.rss),
  rssLiveMb: mb(live?.rss ?? 0),
  rssEndMb: mb(end.rss),
  trackedAtPeak: live?.tracked ?? 0,
  trackedAtEnd,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
