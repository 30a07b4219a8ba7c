import {
  playScenario,
  type ScenarioResult,
  startDevIssuer,
  startMockGraph,
  suites,
} from '@callgate/emulator';
import { loadConfig } from './config';
import { consoleLogger } from './consoleLogger';
import { type RunningBot, startBot } from './startBot';

/**
 * The scenarios the demo plays: every suite of the emulator — `well-behaved`,
 * `scripted`, `calls-client` (a 429 on answer, Graph unavailable, a slow answer)
 * and `tracking` (keepAlive on a compressed clock, a completion that arrives
 * before it is awaited, a call that vanishes, a roster that churns).
 */
export const demoScenarios: string[] = [
  ...new Set(
    ['well-behaved', 'scripted', 'calls-client', 'tracking'].flatMap(
      (suite) => suites[suite] ?? [],
    ),
  ),
];

/** Options of {@link runDemo}. */
export interface DemoOptions {
  print: (line: string) => void;
  /** Scenario names; default {@link demoScenarios}. */
  scenarios?: string[];
  /**
   * How long the service waits in `never-answers` before it gives up (default
   * 3000 ms, so the demo is quick); every other scenario has the real 15 s window.
   */
  answerTimeoutMs?: number;
}

/**
 * The README's demo: the emulator (dev issuer + mock Graph), two regional
 * deployments of the bot (amer, emea), every scenario played against amer.
 * Resolves with each scenario's result; passes when all passed.
 */
export async function runDemo(
  options: DemoOptions,
): Promise<{ passed: boolean; results: ScenarioResult[] }> {
  const { print } = options;
  const issuer = await startDevIssuer();
  const graph = await startMockGraph({ issuer });
  const bots: RunningBot[] = [];
  try {
    // Ports first, so each deployment knows the other's URL.
    const ports = await Promise.all([freePort(), freePort()]);
    const urls = {
      amer: `http://127.0.0.1:${ports[0]}/api/calls`,
      emea: `http://127.0.0.1:${ports[1]}/api/calls`,
    };
    const partitions = { 'amer-1': urls.amer, 'emea-1': urls.emea };
    for (const [index, deployment] of (['amer', 'emea'] as const).entries()) {
      const config = loadConfig(
        {},
        {
          appId: issuer.appId,
          issuers: issuer.issuers,
          publicUrl: urls[deployment],
          port: ports[index] as number,
          graphUrl: graph.baseUrl,
          deployment,
          deployments: urls,
          regionMap: { westus: 'amer', eastus: 'amer', westeurope: 'emea', northeurope: 'emea' },
          partition: `${deployment}-1`,
          partitions,
          emulatorUrl: issuer.url,
          // The emulator's clock is compressed: Graph drops a call after 3 s without keepAlive.
          keepAliveInterval: 1,
        },
      );
      bots.push(await startBot(config, consoleLogger(`bot ${deployment}`, print)));
    }
    print(`emulator: dev issuer ${issuer.url}, mock Graph ${graph.baseUrl}`);
    print(
      `bot deployments: amer ${urls.amer}, emea ${urls.emea} (westeurope callers belong to emea)\n`,
    );

    const names = options.scenarios ?? demoScenarios;
    const results: ScenarioResult[] = [];
    for (const name of names) {
      print(`== ${name}`);
      const result = await playScenario(name, {
        webhookUrl: urls.amer,
        issuer,
        graph,
        appId: issuer.appId,
        answerTimeoutMs: name === 'never-answers' ? (options.answerTimeoutMs ?? 3000) : 15_000,
        hangUpWaitMs: 300,
        log: (line: string) => print(`   service: ${line}`),
      });
      results.push(result);
      for (const failure of result.failures) print(`   FAILED: ${failure}`);
      print(`== ${name}: ${result.passed ? 'passed' : 'FAILED'} in ${result.durationMs} ms\n`);
    }
    await Promise.all(bots.map((bot) => bot.webhook.idle()));
    const failed = results.filter((result) => !result.passed);
    print(`${results.length - failed.length} of ${results.length} scenarios ended as expected`);
    print(
      `key fetches: metadata ${issuer.stats.botFrameworkMetadataFetches + issuer.stats.aadMetadataFetches}, JWKS ${issuer.stats.botFrameworkKeyFetches + issuer.stats.aadKeyFetches}`,
    );
    return { passed: failed.length === 0, results };
  } finally {
    await Promise.all(bots.map((bot) => bot.close()));
    await graph.close();
    await issuer.close();
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
