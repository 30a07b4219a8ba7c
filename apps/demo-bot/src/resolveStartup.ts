import { isLoopbackHost } from '@callgate/core';
import { connectDevIssuer, devIssuerProfiles, type RemoteDevIssuer } from '@callgate/emulator';
import type { BotConfig } from './config';

type Env = Record<string, string | undefined>;

/** How `main.js` runs: against a real tenant, or (explicitly) against a local emulator. */
export interface Startup {
  mode: 'tenant' | 'emulator';
  /** What the environment does not say (emulator mode: the dev issuer's App ID and issuers). */
  defaults: Partial<BotConfig>;
  /** Where to listen: every interface for a tenant (behind a tunnel), loopback only for the emulator. */
  host: '0.0.0.0' | '127.0.0.1';
  /** A line for the console saying what is trusted. */
  banner: string;
}

const DEFAULT_EMULATOR_URL = 'http://127.0.0.1:4700';

/**
 * Decides from the environment how the demo bot starts.
 *
 * A real tenant is the default and needs `CALLGATE_APP_ID`. Emulator mode is
 * only ever chosen by `CALLGATE_MODE=emulator`: the bot then trusts tokens of
 * the dev issuer at `CALLGATE_EMULATOR_URL`, so that URL must be loopback
 * `http:`, the emulator must announce exactly the dev issuer's own profiles for
 * it, and the bot listens on 127.0.0.1 only.
 *
 * @throws {Error} with a message naming the variable to set or fix.
 * @example
 * ```ts
 * const startup = await resolveStartup({ CALLGATE_MODE: 'emulator' });
 * const bot = await startBot(loadConfig(process.env, startup.defaults), logger, startup.host);
 * ```
 */
export async function resolveStartup(
  env: Env,
  connect: (url: string) => Promise<RemoteDevIssuer> = connectDevIssuer,
): Promise<Startup> {
  const mode = env.CALLGATE_MODE ?? 'tenant';
  if (mode === 'tenant') {
    if (!env.CALLGATE_APP_ID) {
      throw new Error(
        'CALLGATE_APP_ID is not set. To serve a Teams tenant, set CALLGATE_APP_ID (the bot App ID) with CALLGATE_APP_SECRET, CALLGATE_TENANT_ID and CALLGATE_PUBLIC_URL; to run against a local emulator instead, set CALLGATE_MODE=emulator.',
      );
    }
    return {
      mode,
      defaults: {},
      host: '0.0.0.0',
      banner: `tenant mode: App ID ${env.CALLGATE_APP_ID}`,
    };
  }
  if (mode !== 'emulator') {
    throw new Error(
      `CALLGATE_MODE must be tenant (the default) or emulator; got ${JSON.stringify(mode)}`,
    );
  }
  for (const name of ['CALLGATE_APP_ID', 'CALLGATE_ISSUERS', 'CALLGATE_CLOUD'] as const) {
    if (env[name] !== undefined) {
      throw new Error(
        `CALLGATE_MODE=emulator trusts the emulator's dev issuer only: unset ${name}, or unset CALLGATE_MODE to serve a tenant`,
      );
    }
  }
  const emulatorUrl = loopbackHttpOrigin(env.CALLGATE_EMULATOR_URL ?? DEFAULT_EMULATOR_URL);
  if (emulatorUrl === undefined) {
    throw new Error(
      `CALLGATE_EMULATOR_URL must be a loopback http: URL such as ${DEFAULT_EMULATOR_URL}; got ${JSON.stringify(env.CALLGATE_EMULATOR_URL)}`,
    );
  }
  const port = Number(env.PORT ?? 3978);
  const publicUrl = env.CALLGATE_PUBLIC_URL ?? `http://127.0.0.1:${port}/api/calls`;
  if (loopbackHttpOrigin(publicUrl) === undefined) {
    throw new Error(
      `CALLGATE_MODE=emulator serves loopback only, so CALLGATE_PUBLIC_URL must be a loopback http: URL; got ${JSON.stringify(publicUrl)}`,
    );
  }
  const issuer = await connect(emulatorUrl).catch((error: unknown) => {
    throw new Error(
      `CALLGATE_MODE=emulator, but no emulator answers at ${emulatorUrl} (${String(error)}). Start it with: npx -y pnpm@10.34.9 emulator serve`,
    );
  });
  const issuers = devIssuerProfiles(emulatorUrl);
  if (issuer.url !== emulatorUrl || JSON.stringify(issuer.issuers) !== JSON.stringify(issuers)) {
    throw new Error(
      `the emulator at ${emulatorUrl} announced issuers that are not the dev issuer's own for that URL (${clip(JSON.stringify({ url: issuer.url, issuers: issuer.issuers }))}); refusing to trust them`,
    );
  }
  if (typeof issuer.appId !== 'string' || issuer.appId === '') {
    throw new Error(`the emulator at ${emulatorUrl} announced no App ID`);
  }
  return {
    mode,
    defaults: {
      appId: issuer.appId,
      issuers,
      publicUrl,
      graphUrl: env.CALLGATE_GRAPH_URL ?? 'http://127.0.0.1:4701/v1.0',
      emulatorUrl,
    },
    host: '127.0.0.1',
    banner: `emulator mode (CALLGATE_MODE=emulator): trusting only the dev issuer at ${emulatorUrl}, serving 127.0.0.1 only`,
  };
}

/** The origin of `url` when it is `http:` on a loopback host, else undefined. */
function loopbackHttpOrigin(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' || !isLoopbackHost(parsed.hostname)) return undefined;
  return parsed.origin;
}

function clip(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
