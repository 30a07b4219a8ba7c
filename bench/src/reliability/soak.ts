import { Agent } from 'node:http';
import { startDevIssuer } from '@callgate/emulator';
import { benchIssuerProfile, APP_ID } from '../issuer';
import { createCallWebhook } from '@callgate/core';
import { type Framework, startBenchServer } from '../servers';
import { send } from './httpClient';
import { count, DOCUMENTED_STATUSES, type Tally } from './statuses';
import { TRAFFIC_KINDS, type TrafficKind, trafficRequest, trafficTokens } from './traffic';

export interface SoakOptions {
  framework: Framework;
  durationMs: number;
  /** Concurrent clients; each loops through every traffic kind. */
  concurrency: number;
  maxBodyBytes?: number;
}

export interface SoakResult {
  framework: Framework;
  requests: number;
  /** `"<kind> <status>"` -> count. */
  outcomes: Tally;
  /** Outcomes not allowed for their kind (and any status outside the documented set). */
  unexpected: Tally;
  /** 5xx answers to valid traffic. */
  valid5xx: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  heapBeforeMb: number;
  heapAfterMb: number;
}

const KINDS = Object.keys(TRAFFIC_KINDS) as TrafficKind[];
const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/**
 * Mixed traffic against a real callgate server on loopback for a fixed time.
 * Memory is read after a GC when node runs with --expose-gc.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
  const issuer = await startDevIssuer();
  const webhook = createCallWebhook({
    appId: APP_ID,
    auth: { issuers: [benchIssuerProfile(issuer)] },
    limits: { maxBodyBytes },
  });
  const { server, url } = await startBenchServer({
    framework: options.framework,
    mode: 'callgate',
    metadataUrl: '',
    webhook,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const outcomes: Tally = {};
  const unexpected: Tally = {};
  let requests = 0;
  let valid5xx = 0;
  try {
    const tokens = await trafficTokens(issuer, 50);
    gc();
    const before = process.memoryUsage();
    const deadline = Date.now() + options.durationMs;
    await Promise.all(
      Array.from({ length: options.concurrency }, async (_, worker) => {
        for (let i = worker; Date.now() < deadline; i++) {
          const kind = KINDS[i % KINDS.length]!;
          const outcome = await send(url, trafficRequest(kind, tokens, i, maxBodyBytes), agent);
          requests++;
          const key = `${kind} ${outcome.status}`;
          count(outcomes, key);
          const allowed = (TRAFFIC_KINDS[kind] as readonly (number | string)[]).includes(
            outcome.status,
          );
          if (!allowed || !DOCUMENTED_STATUSES.has(outcome.status as number))
            count(unexpected, key);
          if ((kind === 'valid' || kind === 'slowClient') && Number(outcome.status) >= 500)
            valid5xx++;
        }
      }),
    );
    await webhook.idle();
    gc();
    const after = process.memoryUsage();
    return {
      framework: options.framework,
      requests,
      outcomes,
      unexpected,
      valid5xx,
      rssBeforeMb: mb(before.rss),
      rssAfterMb: mb(after.rss),
      heapBeforeMb: mb(before.heapUsed),
      heapAfterMb: mb(after.heapUsed),
    };
  } finally {
    agent.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await issuer.close();
  }
}
