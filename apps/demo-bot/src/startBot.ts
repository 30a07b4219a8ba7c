import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@callgate/core';
import { devCredential } from '@callgate/emulator';
import { clientCredentials } from './clientCredentials';
import type { BotConfig } from './config';
import { type Bot, createBot } from './createBot';
import { createGraphClient } from './graphClient';

/** A listening bot. */
export interface RunningBot extends Bot {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the demo bot: Graph tokens by client credentials when a secret is
 * configured (real tenant), else from the emulator's dev credential.
 */
export async function startBot(
  config: BotConfig,
  logger: Logger,
  host = '127.0.0.1',
): Promise<RunningBot> {
  const getToken =
    config.appSecret && config.graphTenantId
      ? clientCredentials({
          tokenUrl: `https://login.microsoftonline.com/${config.graphTenantId}/oauth2/v2.0/token`,
          clientId: config.appId,
          clientSecret: config.appSecret,
          scope: 'https://graph.microsoft.com/.default',
        })
      : emulatorToken(config);
  const bot = createBot(config, createGraphClient({ baseUrl: config.graphUrl, getToken }), logger);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = bot.app.listen(config.port, host, () => resolve(listening));
    listening.once('error', reject);
  });
  return {
    ...bot,
    server,
    port: (server.address() as AddressInfo).port,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bot.webhook.idle();
    },
  };
}

function emulatorToken(config: BotConfig): () => Promise<string> {
  if (config.emulatorUrl === undefined) {
    return async () => {
      throw new Error('no Graph credential: set CALLGATE_APP_SECRET and CALLGATE_TENANT_ID');
    };
  }
  const credential = devCredential(config.emulatorUrl, { appId: config.appId });
  return async () => (await credential.getToken('https://graph.microsoft.com/.default')).token;
}
