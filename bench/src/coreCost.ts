import { startDevIssuer } from '@callgate/emulator';
import {
  benchWebhook,
  botFrameworkContender,
  type Contender,
  callgateContender,
  fetchJwks,
  joseContender,
  nodeCryptoContender,
  webCryptoContender,
} from './contenders';
import { graphBody } from './fixtures';
import { fetchCounts, metadataUrl, mintBenchTokens } from './issuer';
import { median, type RoundSample, runOps, type Spread, spread } from './measure';
import { openTelemetryContender } from './openTelemetryContender';
import { parseStage, stageWebhooks, verifyStage } from './stageContenders';

export type CoreContenderId =
  | 'callgateReused'
  | 'callgateFresh'
  | 'callgateOtel'
  | 'jose'
  | 'webCrypto'
  | 'nodeCrypto'
  | 'botframework'
  | 'stageVerify'
  | 'stageVerifyFresh'
  | 'stageParse'
  | 'stageBare'
  | 'stageHandler';

export interface CoreCostRow {
  id: CoreContenderId;
  name: string;
  /** Pre-minted tokens cycled through: 1 = reused token. */
  tokens: number;
  /** Median over rounds of wall-clock µs per awaited operation (latency). */
  usPerOp: number;
  /** Median over rounds of process CPU µs per operation. */
  cpuUsPerOp: number;
  rounds: RoundSample[];
}

/** A ratio of two contenders, computed within each round. */
export interface CorePair {
  name: string;
  /** Wall-clock (latency) ratio per round. */
  latency: Spread;
  /** CPU-time ratio per round. */
  cpu: Spread;
}

/** One stage of callgate's pipeline: `minuend - subtrahend` contenders, per round. */
export interface CoreStage {
  name: string;
  /** What the stage pays for. */
  buys: string;
  /** Wall-clock µs per notification, per round. */
  latencyUs: Spread;
  /** CPU µs per notification, per round. */
  cpuUs: Spread;
}

export interface CoreCostResult {
  rows: CoreCostRow[];
  pairs: CorePair[];
  /** What each stage of the pipeline costs, as differences paired within each round (µs). */
  stages: CoreStage[];
  /** Metadata/key fetches the dev issuer served during the run (all contenders). */
  fetches: { metadata: number; keys: number };
  settings: { warmupOps: number; rounds: number; opsPerRound: number; freshTokens: number };
}

/**
 * Per-notification cost in one process: callgate (a `notification` handler
 * registered) against a hand-written jose route, the WebCrypto and
 * node:crypto signature floors and botframework-connector. Rounds are
 * interleaved: every round runs every contender once, in a rotating order,
 * so the ratios of a round compare contenders measured within seconds of
 * each other. Fresh-token contenders cycle through more tokens than
 * callgate's verified-token cache holds (1000), so every one is a signature
 * check.
 */
export async function runCoreCost(options: {
  quick: boolean;
  /** Only contenders whose name contains this (profiling). */
  only?: string;
}): Promise<CoreCostResult> {
  const settings = options.quick
    ? { warmupOps: 500, rounds: 3, opsPerRound: 600, freshTokens: 1200 }
    : { warmupOps: 2000, rounds: 9, opsPerRound: 2000, freshTokens: 2500 };
  const issuer = await startDevIssuer();
  try {
    const fresh = await mintBenchTokens(issuer, settings.freshTokens);
    const reused = fresh[0]!;
    const jwks = await fetchJwks(metadataUrl(issuer));
    const webhook = benchWebhook(issuer);
    await webhook.warm();
    // Tracing channels are global: the OpenTelemetry contender subscribes only around its own runs.
    const traced = openTelemetryContender((instrument) => benchWebhook(issuer, { instrument }));
    const lifecycles = new Map<CoreContenderId, { start(): void; stop(): Promise<void> }>([
      ['callgateOtel', traced],
    ]);
    const stages = stageWebhooks(issuer);
    await stages.bare.warm();
    await stages.handlerOnly.warm();
    await stages.freshVerifier.warm();
    const all: [CoreContenderId, string, Contender, 'reused' | 'fresh'][] = [
      [
        'callgateReused',
        'callgate webhook.handle, reused token',
        callgateContender(webhook),
        'reused',
      ],
      [
        'callgateFresh',
        'callgate webhook.handle, fresh token',
        callgateContender(webhook),
        'fresh',
      ],
      [
        'callgateOtel',
        'callgate webhook.handle + OpenTelemetry (in-memory exporter), reused token',
        traced.contender,
        'reused',
      ],
      [
        'jose',
        'hand-written jose jwtVerify (local JWKS) + JSON.parse',
        joseContender(jwks),
        'fresh',
      ],
      [
        'webCrypto',
        'floor: WebCrypto crypto.subtle.verify (awaited) + JSON.parse',
        await webCryptoContender(jwks),
        'fresh',
      ],
      [
        'nodeCrypto',
        'floor: node:crypto verify (synchronous) + JSON.parse',
        nodeCryptoContender(jwks),
        'fresh',
      ],
      [
        'botframework',
        'botframework-connector authenticateRequest',
        await botFrameworkContender(metadataUrl(issuer)),
        'fresh',
      ],
      [
        'stageVerify',
        'stage: webhook.verifier.verify, reused token',
        verifyStage(webhook.verifier),
        'reused',
      ],
      [
        'stageVerifyFresh',
        'stage: createTokenVerifier().verify, fresh token',
        verifyStage(stages.freshVerifier),
        'fresh',
      ],
      ['stageParse', 'stage: parseNotifications(body)', parseStage(), 'reused'],
      [
        'stageBare',
        'stage: webhook.handle, nothing registered, reused token',
        callgateContender(stages.bare),
        'reused',
      ],
      [
        'stageHandler',
        'stage: webhook.handle, a handler and no calls client, reused token',
        callgateContender(stages.handlerOnly),
        'reused',
      ],
    ];
    const contenders = all.filter(
      ([, name]) => options.only === undefined || name.includes(options.only),
    );
    const next = new Map<CoreContenderId, number>();
    const samples = new Map<CoreContenderId, RoundSample[]>();
    const opOf = (contender: Contender, mode: 'reused' | 'fresh') => (i: number) =>
      contender(mode === 'reused' ? reused : fresh[i % fresh.length]!, graphBody);

    for (const [id, , contender, mode] of contenders) {
      lifecycles.get(id)?.start();
      // Fail loudly if a contender rejects the token instead of timing its error path.
      await opOf(contender, mode)(0);
      await runOps(opOf(contender, mode), 1, settings.warmupOps);
      await lifecycles.get(id)?.stop();
      next.set(id, 1 + settings.warmupOps);
      samples.set(id, []);
    }
    for (let round = 0; round < settings.rounds; round++) {
      const offset = round % contenders.length;
      for (const [id, , contender, mode] of [
        ...contenders.slice(offset),
        ...contenders.slice(0, offset),
      ]) {
        const start = next.get(id)!;
        lifecycles.get(id)?.start();
        samples.get(id)!.push(await runOps(opOf(contender, mode), start, settings.opsPerRound));
        await lifecycles.get(id)?.stop();
        next.set(id, start + settings.opsPerRound);
        await webhook.idle();
        await stages.handlerOnly.idle();
      }
    }

    const rows: CoreCostRow[] = contenders.map(([id, name, , mode]) => {
      const rounds = samples.get(id)!;
      return {
        id,
        name,
        tokens: mode === 'reused' ? 1 : fresh.length,
        usPerOp: median(rounds.map((r) => r.nsPerOp)) / 1000,
        cpuUsPerOp: median(rounds.map((r) => r.cpuNsPerOp)) / 1000,
        rounds,
      };
    });
    return {
      rows,
      pairs: pairsOf(samples),
      stages: stagesOf(samples),
      fetches: fetchCounts(issuer),
      settings,
    };
  } finally {
    await issuer.close();
  }
}

/** `a - b` (or `a` alone) per round, in µs: what each stage of the pipeline costs. */
function stagesOf(samples: Map<CoreContenderId, RoundSample[]>): CoreStage[] {
  const stage = (
    name: string,
    buys: string,
    a: CoreContenderId,
    ...minus: CoreContenderId[]
  ): CoreStage | undefined => {
    const x = samples.get(a);
    const ys = minus.map((id) => samples.get(id));
    if (x === undefined || ys.some((y) => y === undefined)) return undefined;
    const per = (pick: (s: RoundSample) => number) =>
      spread(x.map((s, i) => (pick(s) - ys.reduce((sum, y) => sum + pick(y![i]!), 0)) / 1000));
    return { name, buys, latencyUs: per((s) => s.nsPerOp), cpuUs: per((s) => s.cpuNsPerOp) };
  };
  return [
    stage(
      'token check, reused token (verified-token cache)',
      'times re-checked on every request; key provenance re-checked when keys reload',
      'stageVerify',
    ),
    stage(
      'token check, fresh token',
      'RS256 signature (node:crypto), claims, issuer/tenant/app rules, cache entry',
      'stageVerifyFresh',
    ),
    stage(
      'body: decode + size/depth limits + zod into typed events',
      'typed events; hostile bodies bounded before parsing',
      'stageParse',
    ),
    stage(
      'the rest of handle: method, routing decision, redelivery filter, answer',
      'region redirects, partitions, legacy 204, logging of decisions',
      'stageBare',
      'stageVerify',
      'stageParse',
    ),
    stage(
      'dispatch to one handler (ack first, per-call order)',
      'the 202 goes out before any handler runs; one call handled in arrival order',
      'stageHandler',
      'stageBare',
    ),
    stage(
      'a linked calls client following the call',
      'call state, roster and completions tracked for the Graph client',
      'callgateReused',
      'stageHandler',
    ),
  ].filter((s): s is CoreStage => s !== undefined);
}

/** `a / b` per round, for the comparisons the targets and the docs name. */
function pairsOf(samples: Map<CoreContenderId, RoundSample[]>): CorePair[] {
  const pair = (name: string, a: CoreContenderId, b: CoreContenderId): CorePair | undefined => {
    const x = samples.get(a);
    const y = samples.get(b);
    if (x === undefined || y === undefined) return undefined;
    return {
      name,
      latency: spread(x.map((s, i) => s.nsPerOp / y[i]!.nsPerOp)),
      cpu: spread(x.map((s, i) => s.cpuNsPerOp / y[i]!.cpuNsPerOp)),
    };
  };
  return [
    pair('jose / callgate, fresh tokens (>= 0.9 is the target)', 'jose', 'callgateFresh'),
    pair('callgate fresh / WebCrypto floor', 'callgateFresh', 'webCrypto'),
    pair('callgate fresh / node:crypto floor', 'callgateFresh', 'nodeCrypto'),
    pair('callgate token check alone, fresh / node:crypto floor', 'stageVerifyFresh', 'nodeCrypto'),
    pair('jose / WebCrypto floor', 'jose', 'webCrypto'),
    pair('WebCrypto floor / node:crypto floor', 'webCrypto', 'nodeCrypto'),
    pair('botframework-connector / callgate, fresh tokens', 'botframework', 'callgateFresh'),
    pair('callgate with OpenTelemetry / without, reused token', 'callgateOtel', 'callgateReused'),
  ].filter((p): p is CorePair => p !== undefined);
}
