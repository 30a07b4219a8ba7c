import type { IssuerProfile } from '@callgate/core';

/** Everything the demo bot needs to run, for a real tenant or the emulator. */
export interface BotConfig {
  /** The bot's Microsoft App ID (the token audience). */
  appId: string;
  /** Client secret of the app registration, for app-only Graph tokens (real tenant only). */
  appSecret: string | undefined;
  /** Tenant whose token endpoint issues the Graph token (real tenant only). */
  graphTenantId: string | undefined;
  /** PEM certificate (with its private key) of the app registration, instead of a secret. */
  certificatePath: string | undefined;
  /** Use the managed identity (App Service, AKS, VMs); its client id for a user-assigned one. */
  managedIdentity: string | undefined;
  /** Seconds between keepAlives of each established call (Graph needs one every 45 minutes). */
  keepAliveInterval: number;
  cloud: 'public' | 'gcch' | 'dod' | 'china';
  /** Explicit issuers (the emulator's); undefined: the cloud's presets. */
  issuers: IssuerProfile[] | undefined;
  /** This deployment's public webhook URL, e.g. https://bot.example.com/api/calls. */
  publicUrl: string;
  port: number;
  /** Graph base URL, e.g. https://graph.microsoft.com/v1.0. */
  graphUrl: string;
  /** This deployment's name, and every deployment's webhook URL by name. */
  deployment: string;
  deployments: Record<string, string>;
  /** Caller region (source.region, any case) -> deployment name. */
  regionMap: Record<string, string>;
  /** This instance's partition, and every partition's webhook URL. */
  partition: string;
  partitions: Record<string, string>;
  /** The emulator's dev issuer URL, in emulator mode: Graph tokens come from its devCredential. */
  emulatorUrl?: string | undefined;
}

/** Environment variables the demo bot reads; in emulator mode only the optional ones. */
export const ENVIRONMENT = {
  CALLGATE_MODE: 'tenant (default) | emulator: trust only a local emulator, listen on 127.0.0.1',
  CALLGATE_APP_ID: 'the bot App ID (required in tenant mode; not allowed in emulator mode)',
  CALLGATE_APP_SECRET: 'client secret, for app-only Graph tokens',
  CALLGATE_TENANT_ID: 'tenant of the app registration (Graph token endpoint)',
  CALLGATE_CERTIFICATE_PATH: 'PEM certificate + key of the app registration, instead of a secret',
  CALLGATE_MANAGED_IDENTITY: '"system", or the client id of a user-assigned managed identity',
  CALLGATE_KEEPALIVE_INTERVAL: 'seconds between keepAlives of a call (default 1800)',
  CALLGATE_CLOUD: 'public (default) | gcch | dod | china',
  CALLGATE_ISSUERS: 'JSON list of issuer profiles (overrides the cloud presets)',
  CALLGATE_PUBLIC_URL: 'public https URL of this webhook, e.g. https://<tunnel>/api/calls',
  PORT: 'listening port (default 3978)',
  CALLGATE_GRAPH_URL: 'Graph base URL (default https://graph.microsoft.com/v1.0)',
  CALLGATE_DEPLOYMENT: 'this deployment name (default "main")',
  CALLGATE_DEPLOYMENTS: 'JSON {name: webhook URL} of every deployment',
  CALLGATE_REGION_MAP: 'JSON {callerRegion: deployment}',
  CALLGATE_PARTITION: 'this instance partition (default "p1")',
  CALLGATE_PARTITIONS: 'JSON {partition: webhook URL}',
  CALLGATE_EMULATOR_URL: 'loopback emulator URL in emulator mode (default http://127.0.0.1:4700)',
} as const;

type Env = Record<string, string | undefined>;

/**
 * Reads a {@link BotConfig} from the environment. `defaults` fills what the
 * environment leaves out (emulator mode passes the emulator's values).
 */
export function loadConfig(env: Env, defaults: Partial<BotConfig> = {}): BotConfig {
  const port = Number(env.PORT ?? defaults.port ?? 3978);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number; got ${env.PORT}`);
  const appId = env.CALLGATE_APP_ID ?? defaults.appId;
  if (!appId)
    throw new Error('CALLGATE_APP_ID is required (the bot App ID from its app registration)');
  const publicUrl = env.CALLGATE_PUBLIC_URL ?? defaults.publicUrl;
  if (!publicUrl)
    throw new Error(
      'CALLGATE_PUBLIC_URL is required: the https URL the calling service reaches, e.g. https://<tunnel>/api/calls',
    );
  const deployment = env.CALLGATE_DEPLOYMENT ?? defaults.deployment ?? 'main';
  const partition = env.CALLGATE_PARTITION ?? defaults.partition ?? 'p1';
  const cloud = (env.CALLGATE_CLOUD ?? defaults.cloud ?? 'public') as BotConfig['cloud'];
  if (!['public', 'gcch', 'dod', 'china'].includes(cloud))
    throw new Error(`CALLGATE_CLOUD must be public, gcch, dod or china; got ${cloud}`);
  const keepAliveInterval = Number(
    env.CALLGATE_KEEPALIVE_INTERVAL ?? defaults.keepAliveInterval ?? 1800,
  );
  if (!(keepAliveInterval > 0 && keepAliveInterval <= 2700))
    throw new Error(
      `CALLGATE_KEEPALIVE_INTERVAL must be seconds in (0, 2700]; got ${env.CALLGATE_KEEPALIVE_INTERVAL}`,
    );
  return {
    appId,
    appSecret: env.CALLGATE_APP_SECRET ?? defaults.appSecret,
    graphTenantId: env.CALLGATE_TENANT_ID ?? defaults.graphTenantId,
    certificatePath: env.CALLGATE_CERTIFICATE_PATH ?? defaults.certificatePath,
    managedIdentity: env.CALLGATE_MANAGED_IDENTITY ?? defaults.managedIdentity,
    keepAliveInterval,
    cloud,
    issuers: json(env, 'CALLGATE_ISSUERS') ?? defaults.issuers,
    publicUrl,
    port,
    graphUrl: env.CALLGATE_GRAPH_URL ?? defaults.graphUrl ?? 'https://graph.microsoft.com/v1.0',
    deployment,
    deployments: json(env, 'CALLGATE_DEPLOYMENTS') ??
      defaults.deployments ?? { [deployment]: publicUrl },
    regionMap: json(env, 'CALLGATE_REGION_MAP') ?? defaults.regionMap ?? {},
    partition,
    partitions: json(env, 'CALLGATE_PARTITIONS') ??
      defaults.partitions ?? { [partition]: publicUrl },
    emulatorUrl: defaults.emulatorUrl,
  };
}

function json<T>(env: Env, name: string): T | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${name} must be JSON; got ${text.slice(0, 80)}`);
  }
}
