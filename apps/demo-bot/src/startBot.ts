import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@callgate/core';
import type { BotConfig } from './config';
import { type Bot, createBot } from './createBot';
import { graphCredential } from './graphCredential';

/** A listening bot. */
export interface RunningBot extends Bot {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the demo bot: Graph tokens from `@azure/identity` (secret,
 * certificate or managed identity) for a real tenant, else from the emulator's
 * dev credential; warms the signing keys and the Graph token before listening.
 */
export async function startBot(
  config: BotConfig,
  logger: Logger,
  host = '127.0.0.1',
): Promise<RunningBot> {
  const bot = createBot(config, graphCredential(config), logger);
  // The first call after a cold start is answered in milliseconds, not after the key and token fetches.
  await Promise.all([bot.webhook.warm(), bot.graph.warm()]);
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
      bot.graph.close();
    },
  };
}
