import { parseArgs } from 'node:util';
import { connectDevIssuer } from './connectDevIssuer';
import { connectMockGraph } from './connectMockGraph';
import { devCredential } from './devCredential';
import { EmulatorError } from './EmulatorError';
import { playScenario } from './playScenario';
import type { ScenarioResult } from './scenario';
import { listScenarios, scenarios, suites } from './scenarios';
import { startDevIssuer, type TokenKind } from './startDevIssuer';
import { startMockGraph } from './startMockGraph';

/** Where the CLI writes, and what stops `serve` (tests pass their own). */
export interface CliIo {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** Stops `serve`; SIGINT and SIGTERM do too. */
  signal?: AbortSignal;
}

/** Default ports of `serve`, and so the default URLs of `play` and `token`. */
export const DEFAULT_ISSUER_PORT = 4700;
export const DEFAULT_GRAPH_PORT = 4701;

const usage = `callgate-emulator: a local Microsoft Teams calling service for bot development

Usage:
  callgate-emulator serve [--port 4700] [--graph-port 4701] [--host 127.0.0.1] [--app-id ID] [--tenant ID]
      Start the dev issuer and the mock Graph; print the bot's auth.issuers and Graph base URL.
  callgate-emulator play <scenario|suite>... --to <webhook-url> [--app-id ID]
                         [--issuer-url http://127.0.0.1:4700] [--graph-url http://127.0.0.1:4701/v1.0]
                         [--answer-timeout 15000] [--keep-alive-timeout SECONDS] [--json]
      Play scenarios against a bot, with a running \`serve\`. Exit code 1 if one fails.
      Suites: ${Object.keys(suites).join(', ')} (well-behaved: any bot that answers every call passes).
  callgate-emulator token [--kind botframework|aad-v1|aad-v2] [--audience ID] [--tenant ID]
                          [--expired] [--issuer-url http://127.0.0.1:4700]
      Print a dev token from a running \`serve\`, e.g. for curl.
  callgate-emulator token --graph [--app-id ID] [--issuer-url http://127.0.0.1:4700]
      Print a Graph access token of the dev credential (for curl against the mock Graph).
  callgate-emulator list
      List the scenarios.

Exit codes: 0 ok, 1 a scenario failed, 2 usage error or emulator unreachable.`;

/**
 * The `callgate-emulator` command line, as a function: parses `argv`
 * (without the node and script paths), runs the command and resolves to the
 * process exit code. Never throws.
 *
 * @example
 * ```ts
 * process.exitCode = await main(['play', 'p2p-call', '--to', 'http://127.0.0.1:3978/api/calls']);
 * ```
 */
export async function main(argv: string[], io: CliIo = {}): Promise<number> {
  const out = io.stdout ?? ((text: string) => process.stdout.write(`${text}\n`));
  const err = io.stderr ?? ((text: string) => process.stderr.write(`${text}\n`));
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest, out, io.signal);
      case 'play':
        return await play(rest, out);
      case 'token':
        return await token(rest, out);
      case 'list':
        for (const s of listScenarios())
          out(
            `${s.name.padEnd(18)} ${s.summary}\n${''.padEnd(18)} expect: ${s.botShould}\n${''.padEnd(18)} suites: ${s.suites.join(', ')}`,
          );
        out(
          `\nSuites: ${Object.entries(suites)
            .map(([name, members]) => `${name} (${members.length})`)
            .join(', ')}`,
        );
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(usage);
        return command === undefined ? 2 : 0;
      default:
        err(`Unknown command "${command}".\n\n${usage}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof EmulatorError || isParseArgsError(error)) {
      err(`callgate-emulator: ${(error as Error).message}`);
      return 2;
    }
    err(
      `callgate-emulator: unexpected error: ${error instanceof Error ? error.stack : String(error)}`,
    );
    return 2;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function port(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new EmulatorError('invalid_options', `"${value}" is not a port number`);
  }
  return n;
}

async function serve(
  args: string[],
  out: (text: string) => void,
  signal?: AbortSignal,
): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      'graph-port': { type: 'string' },
      host: { type: 'string' },
      'app-id': { type: 'string' },
      tenant: { type: 'string' },
    },
  });
  const host = values.host ?? '127.0.0.1';
  const issuer = await startDevIssuer({
    host,
    port: port(values.port, DEFAULT_ISSUER_PORT),
    ...(values['app-id'] === undefined ? {} : { appId: values['app-id'] }),
    ...(values.tenant === undefined ? {} : { tenantId: values.tenant }),
  });
  const graph = await startMockGraph({
    host,
    issuer,
    port: port(values['graph-port'], DEFAULT_GRAPH_PORT),
  }).catch(async (error: unknown) => {
    await issuer.close();
    throw error;
  });
  out(`callgate emulator running
  dev issuer  ${issuer.url}
  mock Graph  ${graph.baseUrl}   (tokens of devCredential('${issuer.url}') only)
  app id      ${issuer.appId}
  tenant      ${issuer.tenantId}

Give your bot these trusted issuers (auth.issuers):
${JSON.stringify(issuer.issuers, null, 2)}

send its Graph requests to ${graph.baseUrl} with the credential
devCredential('${issuer.url}') from @callgate/emulator (a TokenCredential). Then, from another terminal:
  callgate-emulator play well-behaved --to http://127.0.0.1:3978/api/calls --issuer-url ${issuer.url} --graph-url ${graph.baseUrl}

Ctrl+C stops.`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await Promise.all([issuer.close(), graph.close()]);
  return 0;
}

async function play(args: string[], out: (text: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      'app-id': { type: 'string' },
      'issuer-url': { type: 'string' },
      'graph-url': { type: 'string' },
      'answer-timeout': { type: 'string' },
      'keep-alive-timeout': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length === 0) {
    throw new EmulatorError(
      'invalid_options',
      `play needs scenario or suite names (suites: ${Object.keys(suites).join(', ')})`,
    );
  }
  const names: string[] = [];
  for (const n of positionals) {
    const members = suites[n] ?? (scenarios[n] ? [n] : undefined);
    if (!members) {
      throw new EmulatorError(
        'unknown_scenario',
        `Unknown scenario "${n}"; known: ${Object.keys(scenarios).join(', ')}; suites: ${Object.keys(suites).join(', ')}`,
      );
    }
    for (const member of members) if (!names.includes(member)) names.push(member);
  }
  if (values.to === undefined)
    throw new EmulatorError('invalid_options', 'play needs --to <webhook-url>');
  const answerTimeoutMs =
    values['answer-timeout'] === undefined ? undefined : Number(values['answer-timeout']);
  if (answerTimeoutMs !== undefined && !(answerTimeoutMs > 0)) {
    throw new EmulatorError(
      'invalid_options',
      '--answer-timeout must be a positive number of milliseconds',
    );
  }
  const keepAliveTimeout =
    values['keep-alive-timeout'] === undefined ? undefined : Number(values['keep-alive-timeout']);
  if (keepAliveTimeout !== undefined && !(keepAliveTimeout > 0)) {
    throw new EmulatorError(
      'invalid_options',
      '--keep-alive-timeout must be a positive number of seconds',
    );
  }
  const issuer = await connectDevIssuer(
    values['issuer-url'] ?? `http://127.0.0.1:${DEFAULT_ISSUER_PORT}`,
  );
  const graph = connectMockGraph(
    values['graph-url'] ?? `http://127.0.0.1:${DEFAULT_GRAPH_PORT}/v1.0`,
  );
  const json = values.json === true;
  const results: ScenarioResult[] = [];
  for (const n of names) {
    const result = await playScenario(n, {
      webhookUrl: values.to,
      issuer,
      graph,
      appId: values['app-id'] ?? issuer.appId,
      ...(json ? {} : { log: out }),
      ...(answerTimeoutMs === undefined ? {} : { answerTimeoutMs }),
      ...(keepAliveTimeout === undefined ? {} : { keepAliveTimeout }),
    });
    results.push(result);
    if (!json) {
      for (const failure of result.failures) out(`  - ${failure}`);
      out('');
    }
  }
  const failed = results.filter((r) => !r.passed);
  if (json) out(JSON.stringify(results, null, 2));
  else {
    out(
      failed.length === 0
        ? `All ${results.length} scenario(s) passed.`
        : `${failed.length} of ${results.length} scenario(s) failed: ${failed.map((r) => r.scenario).join(', ')}`,
    );
  }
  return failed.length === 0 ? 0 : 1;
}

async function token(args: string[], out: (text: string) => void): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kind: { type: 'string' },
      audience: { type: 'string' },
      tenant: { type: 'string' },
      expired: { type: 'boolean' },
      'issuer-url': { type: 'string' },
      graph: { type: 'boolean' },
      'app-id': { type: 'string' },
    },
  });
  if (values.graph === true) {
    const credential = devCredential(
      values['issuer-url'] ?? `http://127.0.0.1:${DEFAULT_ISSUER_PORT}`,
      values['app-id'] === undefined ? {} : { appId: values['app-id'] },
    );
    out((await credential.getToken('https://graph.microsoft.com/.default')).token);
    return 0;
  }
  const kind = (values.kind ?? 'botframework') as TokenKind;
  if (!['botframework', 'aad-v1', 'aad-v2'].includes(kind)) {
    throw new EmulatorError(
      'invalid_options',
      `--kind must be botframework, aad-v1 or aad-v2, not "${kind}"`,
    );
  }
  const issuer = await connectDevIssuer(
    values['issuer-url'] ?? `http://127.0.0.1:${DEFAULT_ISSUER_PORT}`,
  );
  out(
    await issuer.mintToken({
      kind,
      audience: values.audience ?? issuer.appId,
      ...(values.tenant === undefined ? {} : { tenantId: values.tenant }),
      ...(values.expired === true ? { expired: true } : {}),
    }),
  );
  return 0;
}
