import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTinyBot, type TinyBot, type TinyBotOptions } from '../test/tinyBot';
import { devCredential } from './devCredential';
import { main } from './main';
import type { ScenarioResult } from './scenario';
import { DEV_APP_ID, DEV_TENANT_ID, type DevIssuer } from './startDevIssuer';

function capture() {
  const lines: string[] = [];
  const write = (text: string) => lines.push(text);
  return { lines, io: { stdout: write, stderr: write }, text: () => lines.join('\n') };
}

describe('callgate-emulator without a server', () => {
  it('list prints every scenario and exits 0', async () => {
    const out = capture();
    expect(await main(['list'], out.io)).toBe(0);
    for (const name of ['p2p-call', 'meeting-join', 'forged-token', 'never-answers']) {
      expect(out.text()).toContain(name);
    }
  });

  it.each([
    [[], 'Usage'],
    [['frobnicate'], 'Unknown command "frobnicate"'],
    [['play', 'p2p-call'], 'play needs --to <webhook-url>'],
    [['play', 'nope', '--to', 'http://127.0.0.1:1/'], 'Unknown scenario "nope"'],
    [['play', '--to', 'http://127.0.0.1:1/'], 'play needs scenario or suite names'],
    [['play', 'p2p-call', 'nope', '--to', 'http://127.0.0.1:1/'], 'Unknown scenario "nope"'],
    [['play', 'p2p-call', '--to', 'http://127.0.0.1:1/', '--bogus'], "Unknown option '--bogus'"],
    [['token', '--kind', 'saml'], '--kind must be botframework, aad-v1 or aad-v2'],
    [['serve', '--port', 'many'], '"many" is not a port number'],
  ])('exits 2 for %j, saying %s', async (argv, message) => {
    const out = capture();
    expect(await main(argv, out.io)).toBe(2);
    expect(out.text()).toContain(message);
  });

  it('exits 2 when the port of serve is taken, naming the cause', async () => {
    const stop = new AbortController();
    const first = capture();
    const running = main(['serve', '--port', '0', '--graph-port', '0'], {
      ...first.io,
      signal: stop.signal,
    });
    while (first.lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const taken = /dev issuer {2}http:\/\/127\.0\.0\.1:(\d+)/.exec(first.text())?.[1] ?? '';
    const second = capture();
    expect(await main(['serve', '--port', taken, '--graph-port', '0'], second.io)).toBe(2);
    expect(second.text()).toContain(`cannot listen on 127.0.0.1:${taken}: the port is in use`);
    stop.abort();
    expect(await running).toBe(0);
  });

  it('exits 2 when no emulator listens at --issuer-url', async () => {
    const out = capture();
    const code = await main(['token', '--issuer-url', 'http://127.0.0.1:9'], out.io);
    expect(code).toBe(2);
    expect(out.text()).toContain('No dev issuer answers at http://127.0.0.1:9');
  });
});

describe('callgate-emulator serve, token and play', () => {
  const stop = new AbortController();
  const served = capture();
  let serving: Promise<number>;
  let issuerUrl = '';
  let graphUrl = '';
  const bots: TinyBot[] = [];

  beforeAll(async () => {
    serving = main(['serve', '--port', '0', '--graph-port', '0'], {
      ...served.io,
      signal: stop.signal,
    });
    while (served.lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    issuerUrl = /dev issuer {2}(\S+)/.exec(served.text())?.[1] ?? '';
    graphUrl = /mock Graph {2}(\S+)/.exec(served.text())?.[1] ?? '';
  });
  afterAll(async () => {
    await Promise.all(bots.map((bot) => bot.close()));
    stop.abort();
    await serving;
  });

  it('serve prints the issuer, the Graph base URL and the auth.issuers to configure', () => {
    expect(issuerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(graphUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\.0$/);
    expect(served.text()).toContain(
      `"openIdConfigurationUrl": "${issuerUrl}/botframework/.well-known/OpenIdConfiguration"`,
    );
    expect(served.text()).toContain(`"${issuerUrl}/aad/{tenantid}/v2.0"`);
  });

  it('token prints a token signed by the served keys', async () => {
    const out = capture();
    expect(await main(['token', '--issuer-url', issuerUrl, '--kind', 'aad-v2'], out.io)).toBe(0);
    const keys = createRemoteJWKSet(new URL(`${issuerUrl}/aad/common/discovery/v2.0/keys`));
    const { payload } = await jwtVerify(out.lines[0] ?? '', keys, { audience: DEV_APP_ID });
    expect(payload.ver).toBe('2.0');
  });

  it('token --graph prints a dev credential token the served mock Graph accepts', async () => {
    const out = capture();
    expect(await main(['token', '--graph', '--issuer-url', issuerUrl], out.io)).toBe(0);
    const response = await fetch(`${graphUrl}/communications/calls/unknown-call`, {
      headers: { authorization: `Bearer ${out.lines[0]}` },
    });
    // Past the token check: the call does not exist.
    expect(response.status).toBe(404);
    const refused = await fetch(`${graphUrl}/communications/calls/unknown-call`, {
      headers: { authorization: 'Bearer not-a-token' },
    });
    expect(refused.status).toBe(401);
  });

  /** `play <scenario> --to <a fresh tiny bot> --issuer-url … --graph-url …`, plus `extra`. */
  async function playArgs(
    scenario: string | string[],
    extra: string[] = [],
    botOptions: Partial<TinyBotOptions> = {},
  ): Promise<string[]> {
    const credential = devCredential(issuerUrl);
    const bot = await startTinyBot({
      graphBaseUrl: graphUrl,
      graphToken: async () =>
        (await credential.getToken('https://graph.microsoft.com/.default')).token,
      appId: DEV_APP_ID,
      ...botOptions,
    });
    bots.push(bot);
    return [
      'play',
      ...(Array.isArray(scenario) ? scenario : [scenario]),
      '--to',
      bot.webhookUrl,
      '--issuer-url',
      issuerUrl,
      '--graph-url',
      graphUrl,
      ...extra,
    ];
  }

  it('play exits 0 when the bot passes, with readable progress', async () => {
    const out = capture();
    const argv = await playArgs('p2p-call');
    expect(await main(argv, out.io)).toBe(0);
    expect(out.text()).toContain('POST   incoming call, legacy format -> 204 (expected 204)');
    expect(out.text()).toContain('p2p-call: PASSED');
    expect(out.text()).toContain('All 1 scenario(s) passed.');
  });

  it('play exits 1 when a scenario fails, and says why', async () => {
    const out = capture();
    const argv = await playArgs('forged-token');
    expect(await main(argv, out.io)).toBe(1);
    expect(out.text()).toContain('expected 401');
    expect(out.text()).toContain('1 of 1 scenario(s) failed: forged-token');
  });

  it('play takes several scenario names, prints each expectation and plays them in turn', async () => {
    const out = capture();
    const argv = await playArgs(['p2p-call', 'roster-churn']);
    expect(await main(argv, out.io)).toBe(0);
    expect(out.text()).toContain('  expect answer 204 to the legacy incoming call');
    expect(out.text()).toContain('roster-churn: PASSED');
    expect(out.text()).toContain('All 2 scenario(s) passed.');
  });

  it('a bot that answers every call and refuses bad tokens passes the well-behaved suite', async () => {
    const out = capture();
    const verifying = { url: issuerUrl, tenantId: DEV_TENANT_ID } as DevIssuer;
    const argv = await playArgs('well-behaved', [], { plain: true, issuer: verifying });
    expect(await main(argv, out.io)).toBe(0);
    expect(out.text()).toContain('All 4 scenario(s) passed.');
    // The bot's problem code is in the transcript.
    expect(out.text()).toContain(
      'POST   Graph incoming call, token for another app -> 401 wrong_audience (expected 401)',
    );
  });

  it('play --json carries the bot problem code of each refused POST', async () => {
    const out = capture();
    const verifying = { url: issuerUrl, tenantId: DEV_TENANT_ID } as DevIssuer;
    const argv = await playArgs('forged-token', ['--json'], { issuer: verifying });
    expect(await main(argv, out.io)).toBe(0);
    const [result] = JSON.parse(out.text()) as ScenarioResult[];
    expect(result?.steps.map((s) => (s.kind === 'post' ? s.code : undefined))).toEqual([
      'invalid_token',
      'invalid_token',
      'token_expired',
      'wrong_audience',
      'missing_token',
    ]);
  });

  it('play --json prints the results as JSON', async () => {
    const out = capture();
    const argv = await playArgs('rejected-call', ['--json']);
    expect(await main(argv, out.io)).toBe(0);
    expect(JSON.parse(out.text())).toEqual([
      expect.objectContaining({ scenario: 'rejected-call', passed: true }),
    ]);
  });
});

const distCli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const bin = fileURLToPath(new URL('../bin/callgate-emulator.js', import.meta.url));

describe('the callgate-emulator bin', () => {
  it('points at a committed file, so installing the workspace links it before any build', () => {
    const manifest = JSON.parse(
      readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
    ) as { bin: Record<string, string>; files: string[] };
    expect(manifest.bin).toEqual({ 'callgate-emulator': './bin/callgate-emulator.js' });
    expect(existsSync(bin)).toBe(true);
    expect(manifest.files).toContain('bin');
  });

  it('says how to build it when dist/cli.js is missing, and exits 2', async () => {
    // A copy of the bin in a folder with no dist beside it.
    const scratch = fileURLToPath(new URL('../.scratch-bin/', import.meta.url));
    mkdirSync(join(scratch, 'bin'), { recursive: true });
    try {
      copyFileSync(bin, join(scratch, 'bin', 'callgate-emulator.js'));
      writeFileSync(join(scratch, 'package.json'), '{"type":"module"}');
      const run = await promisify(execFile)(process.execPath, [
        join(scratch, 'bin', 'callgate-emulator.js'),
        'list',
      ]).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => error,
      );
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('npx -y pnpm@10.34.9 emulator <command>');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

// The README's test command builds every package before vitest runs, so the bin
// is there; a missing build fails here rather than skipping the check.
describe('the built bin', () => {
  it('exists (built by the test command before vitest)', () => {
    expect(existsSync(distCli)).toBe(true);
  });

  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [bin, ...args]).then(
      () => 0,
      (error: { code: number }) => error.code,
    );

  it('runs through bin/callgate-emulator.js: exits 0 for list and 2 for a usage error', async () => {
    expect(await run(['list'])).toBe(0);
    expect(await run(['play', 'p2p-call'])).toBe(2);
  });
});
