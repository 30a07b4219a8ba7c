import { startDevIssuer } from '@callgate/emulator';
import {
  benchWebhook,
  botFrameworkContender,
  type Contender,
  callgateContender,
  fetchJwks,
  floorContender,
  joseContender,
} from './contenders';
import { graphBody } from './fixtures';
import { fetchCounts, metadataUrl, mintBenchTokens } from './issuer';
import { type Measurement, measure } from './measure';
import { openTelemetryContender } from './openTelemetryContender';

export interface CoreCostRow extends Measurement {
  /** Pre-minted tokens cycled through: 1 = reused token. */
  tokens: number;
  opsPerSec: number;
}

export interface CoreCostResult {
  rows: CoreCostRow[];
  /** Metadata/key fetches the dev issuer served during the run (all contenders). */
  fetches: { metadata: number; keys: number };
  settings: { warmupOps: number; rounds: number; opsPerRound: number; freshTokens: number };
}

/**
 * Per-notification cost of verify + parse in one process, callgate against
 * the floor (bare signature check), hand-written jose and botframework-connector.
 * Fresh-token runs cycle through more tokens than callgate's verified-token
 * cache holds (1000), so every one is a signature check.
 */
export async function runCoreCost(options: {
  quick: boolean;
  /** Only contenders whose name contains this (profiling). */
  only?: string;
}): Promise<CoreCostResult> {
  const settings = options.quick
    ? { warmupOps: 1000, rounds: 3, opsPerRound: 1500, freshTokens: 1200 }
    : { warmupOps: 3000, rounds: 7, opsPerRound: 5000, freshTokens: 2500 };
  const issuer = await startDevIssuer();
  try {
    const fresh = await mintBenchTokens(issuer, settings.freshTokens);
    const reused = fresh[0]!;
    const jwks = await fetchJwks(metadataUrl(issuer));
    const webhook = benchWebhook(issuer);
    await webhook.warm();
    const traced = openTelemetryContender((instrument) => benchWebhook(issuer, { instrument }));
    const contenders: [
      string,
      Contender,
      'reused' | 'fresh',
      { start(): void; stop(): Promise<void> }?,
    ][] = [
      ['callgate webhook.handle, reused token', callgateContender(webhook), 'reused'],
      ['callgate webhook.handle, fresh token', callgateContender(webhook), 'fresh'],
      [
        'callgate webhook.handle + OpenTelemetry (in-memory exporter), reused token',
        traced.contender,
        'reused',
        traced,
      ],
      ['floor: crypto.subtle.verify + JSON.parse', await floorContender(jwks), 'fresh'],
      ['jose jwtVerify (local JWKS) + JSON.parse', joseContender(jwks), 'fresh'],
      [
        'botframework-connector authenticateRequest, fresh token',
        await botFrameworkContender(metadataUrl(issuer)),
        'fresh',
      ],
      [
        'botframework-connector authenticateRequest, reused token',
        await botFrameworkContender(metadataUrl(issuer)),
        'reused',
      ],
    ];
    const rows: CoreCostRow[] = [];
    for (const [name, contender, mode, lifecycle] of contenders) {
      if (options.only !== undefined && !name.includes(options.only)) continue;
      const tokenAt = mode === 'reused' ? () => reused : (i: number) => fresh[i % fresh.length]!;
      lifecycle?.start();
      // Fail loudly if a contender rejects the token instead of timing its error path.
      await contender(tokenAt(0), graphBody);
      const result = await measure(name, (i) => contender(tokenAt(i), graphBody), settings);
      await lifecycle?.stop();
      rows.push({
        ...result,
        tokens: mode === 'reused' ? 1 : fresh.length,
        opsPerSec: 1e9 / result.nsPerOp,
      });
      await webhook.idle();
    }
    return { rows, fetches: fetchCounts(issuer), settings };
  } finally {
    await issuer.close();
  }
}
