#!/usr/bin/env node
// Runs one deployment of the demo bot: for a real Teams tenant (CALLGATE_APP_ID,
// listening on every interface), or with CALLGATE_MODE=emulator against a running
// `callgate-emulator serve` (its dev issuer only, listening on 127.0.0.1 only).
import { ENVIRONMENT, loadConfig } from './config';
import { consoleLogger } from './consoleLogger';
import { resolveStartup } from './resolveStartup';
import { startBot } from './startBot';

async function main(): Promise<void> {
  const startup = await resolveStartup(process.env);
  const config = loadConfig(process.env, startup.defaults);
  console.log(startup.banner);
  const bot = await startBot(config, consoleLogger(config.deployment, console.log), startup.host);
  console.log(
    `demo bot '${config.deployment}' listening on ${startup.host}:${bot.port}, webhook ${config.publicUrl}`,
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
