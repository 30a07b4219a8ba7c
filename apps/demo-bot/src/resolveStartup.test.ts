import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type DevIssuer,
  devIssuerProfiles,
  type RemoteDevIssuer,
  startDevIssuer,
} from '@callgate/emulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveStartup } from './resolveStartup';

const EMULATOR = 'http://127.0.0.1:4700';

function fakeEmulator(overrides: Partial<RemoteDevIssuer> = {}) {
  return vi.fn(
    async (url: string): Promise<RemoteDevIssuer> => ({
      url,
      appId: 'dev-app',
      tenantId: 'dev-tenant',
      issuers: devIssuerProfiles(url),
      mintToken: async () => 'token',
      mintForgedToken: async () => 'token',
      ...overrides,
    }),
  );
}

describe('resolveStartup: emulator mode only on request', () => {
  it('exits with what to set when CALLGATE_APP_ID is missing, without contacting any emulator', async () => {
    const connect = fakeEmulator();
    const startup = resolveStartup(
      { CALLGATE_PUBLIC_URL: 'https://bot.example.com/api/calls' },
      connect,
    );
    await expect(startup).rejects.toThrow(/CALLGATE_APP_ID is not set.*CALLGATE_MODE=emulator/);
    expect(connect).not.toHaveBeenCalled();
  });

  it('serves a tenant on every interface when CALLGATE_APP_ID is set', async () => {
    const startup = await resolveStartup({ CALLGATE_APP_ID: 'app' }, fakeEmulator());
    expect([startup.mode, startup.host, startup.defaults]).toEqual(['tenant', '0.0.0.0', {}]);
  });

  it('with CALLGATE_MODE=emulator, trusts the dev issuer profiles it builds itself and listens on 127.0.0.1', async () => {
    const startup = await resolveStartup({ CALLGATE_MODE: 'emulator' }, fakeEmulator());
    expect(startup.host).toBe('127.0.0.1');
    expect(startup.defaults).toMatchObject({
      appId: 'dev-app',
      issuers: devIssuerProfiles(EMULATOR),
      publicUrl: 'http://127.0.0.1:3978/api/calls',
    });
  });

  it('refuses an unknown mode, and tenant settings mixed into emulator mode', async () => {
    await expect(resolveStartup({ CALLGATE_MODE: 'dev' })).rejects.toThrow(/CALLGATE_MODE must be/);
    for (const name of ['CALLGATE_APP_ID', 'CALLGATE_ISSUERS', 'CALLGATE_CLOUD']) {
      await expect(
        resolveStartup({ CALLGATE_MODE: 'emulator', [name]: 'x' }, fakeEmulator()),
      ).rejects.toThrow(new RegExp(`unset ${name}`));
    }
  });

  it('refuses an emulator or webhook URL that is not loopback http:', async () => {
    for (const url of ['https://127.0.0.1:4700', 'http://emulator.example.com:4700', 'nonsense']) {
      const connect = fakeEmulator();
      await expect(
        resolveStartup({ CALLGATE_MODE: 'emulator', CALLGATE_EMULATOR_URL: url }, connect),
      ).rejects.toThrow(/CALLGATE_EMULATOR_URL must be a loopback http: URL/);
      expect(connect).not.toHaveBeenCalled();
    }
    await expect(
      resolveStartup(
        { CALLGATE_MODE: 'emulator', CALLGATE_PUBLIC_URL: 'https://bot.example.com/api/calls' },
        fakeEmulator(),
      ),
    ).rejects.toThrow(/CALLGATE_PUBLIC_URL must be a loopback http: URL/);
  });

  it("refuses an emulator that announces anything but the dev issuer's own profiles for its URL", async () => {
    const real = devIssuerProfiles(EMULATOR);
    const impostors: Array<Partial<RemoteDevIssuer>> = [
      // A profile trusting Microsoft's real issuer string with keys from the fake.
      { issuers: [{ ...real[0]!, issuers: ['https://api.botframework.com'] } as never, real[1]!] },
      // Keys from another loopback port, or over https from elsewhere.
      {
        issuers: [
          { ...real[0]!, openIdConfigurationUrl: 'http://127.0.0.1:9999/.well-known/x' } as never,
          real[1]!,
        ],
      },
      { issuers: devIssuerProfiles('https://evil.example') },
      // Claims to be another emulator.
      { url: 'http://127.0.0.1:4800' },
      { appId: '' },
    ];
    for (const impostor of impostors) {
      await expect(
        resolveStartup({ CALLGATE_MODE: 'emulator' }, fakeEmulator(impostor)),
      ).rejects.toThrow(/refusing to trust|announced no App ID/);
    }
  });
});

/** The built `main.js`, run as the README says, with a timeout. */
function runMain(env: Record<string, string>, until: RegExp) {
  const main = new URL('../dist/main.js', import.meta.url).pathname;
  expect(existsSync(main), 'build the demo bot first (the README test command does)').toBe(true);
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const timer = setTimeout(() => child.kill(), 8_000);
    child.stdout?.on('data', () => {
      if (until.test(output)) child.kill();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('main.js: the review reproduction', () => {
  let fake: Server;
  let fakeUrl: string;
  const infoRequests: string[] = [];
  let issuer: DevIssuer;
  beforeAll(async () => {
    // An "emulator" on the same host that anyone could run.
    fake = createServer((req, res) => {
      infoRequests.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ url: fakeUrl, appId: 'fake', tenantId: 't', issuers: [] }));
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    issuer = await startDevIssuer();
  });
  afterAll(async () => {
    await new Promise((resolve) => fake.close(resolve));
    await issuer.close();
  });

  it('without CALLGATE_APP_ID or CALLGATE_MODE it exits 1 saying what to set, and never asks the emulator', async () => {
    const { code, output } = await runMain(
      {
        CALLGATE_PUBLIC_URL: 'https://bot.example.com/api/calls',
        CALLGATE_EMULATOR_URL: fakeUrl,
        PORT: '0',
      },
      /listening on/,
    );
    expect(code).toBe(1);
    expect(output).toMatch(/CALLGATE_APP_ID is not set.*CALLGATE_MODE=emulator/);
    expect(output).not.toMatch(/listening on/);
    expect(infoRequests).toEqual([]);
  });

  it('with CALLGATE_MODE=emulator it refuses a fake emulator and trusts the real one on 127.0.0.1 only', async () => {
    const refused = await runMain(
      { CALLGATE_MODE: 'emulator', CALLGATE_EMULATOR_URL: fakeUrl, PORT: '0' },
      /listening on/,
    );
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/refusing to trust/);

    const trusted = await runMain(
      { CALLGATE_MODE: 'emulator', CALLGATE_EMULATOR_URL: issuer.url, PORT: '0' },
      /listening on \S+:\d+/,
    );
    expect(trusted.output).toMatch(/emulator mode \(CALLGATE_MODE=emulator\)/);
    expect(trusted.output).toMatch(/listening on 127\.0\.0\.1:\d+/);
  });
});
