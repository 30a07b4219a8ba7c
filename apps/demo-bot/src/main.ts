#!/usr/bin/env node
// Runs one deployment of the demo bot. With CALLGATE_APP_ID set it serves a
// real Teams tenant; without it, it trusts a running `callgate-emulator serve`.
import { connectDevIssuer } from '@callgate/emulator';
import { type BotConfig, ENVIRONMENT, loadConfig } from './config';
import { consoleLogger } from './consoleLogger';
import { startBot } from './startBot';

async function main(): Promise<void> {
  let defaults: Partial<BotConfig> = {};
  if (!process.env.CALLGATE_APP_ID) {
    const emulatorUrl = process.env.CALLGATE_EMULATOR_URL ?? 'http://127.0.0.1:4700';
    const issuer = await connectDevIssuer(emulatorUrl).catch((error: unknown) => {
      throw new Error(
        `CALLGATE_APP_ID is not set, so the bot runs against the emulator, but none answers at ${emulatorUrl} (${String(error)}). Start it with: npx -y pnpm@10.34.9 emulator serve`,
      );
    });
    const port = Number(process.env.PORT ?? 3978);
    defaults = {
      appId: issuer.appId,
      issuers: issuer.issuers,
      publicUrl: `http://127.0.0.1:${port}/api/calls`,
      graphUrl: process.env.CALLGATE_GRAPH_URL ?? 'http://127.0.0.1:4701/v1.0',
      emulatorUrl,
    };
    console.log(`emulator mode: trusting the dev issuer at ${emulatorUrl}`);
  }
  const config = loadConfig(process.env, defaults);
  const bot = await startBot(config, consoleLogger(config.deployment, console.log), '0.0.0.0');
  console.log(
    `demo bot '${config.deployment}' listening on :${bot.port}, webhook ${config.publicUrl}`,
  );
  const stop = () => void bot.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error('\nEnvironment:');
  for (const [name, meaning] of Object.entries(ENVIRONMENT))
    console.error(`  ${name.padEnd(22)} ${meaning}`);
  process.exit(1);
});
