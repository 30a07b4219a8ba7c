import { randomUUID } from 'node:crypto';
import type { BotFrameworkIssuerProfile } from '@callgate/core';
import { DEV_APP_ID, type DevIssuer } from '@callgate/emulator';

/** The audience of every benchmark token. */
export const APP_ID = DEV_APP_ID;
/**
 * The real Skype issuer string: botframework-connector accepts no other, so
 * every contender is given tokens with it (signed by the dev issuer's key,
 * whose metadata lives on 127.0.0.1).
 */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';
export const SERVICE_URL = 'https://smba.trafficmanager.net/amer/';
/** The bench bot's public webhook URL (its `callbackUri`; never requested). */
export const BOT_PUBLIC_URL = 'https://bot.bench.example/api/calls';

/** The dev issuer's keys under the real Skype `iss`: what callgate is told to trust. */
export function benchIssuerProfile(issuer: DevIssuer): BotFrameworkIssuerProfile {
  return {
    kind: 'botframework',
    issuers: [BOT_FRAMEWORK_ISSUER],
    openIdConfigurationUrl: metadataUrl(issuer),
  };
}

export function metadataUrl(issuer: DevIssuer): string {
  const profile = issuer.issuers.find((p) => p.kind === 'botframework');
  if (profile === undefined) throw new Error('the dev issuer has no botframework profile');
  return profile.openIdConfigurationUrl;
}

/** One Skype-shaped token; unique (`uti`), valid for an hour so long runs do not outlive it. */
export function mintBenchToken(issuer: DevIssuer): Promise<string> {
  return issuer.mintToken({
    audience: APP_ID,
    lifetimeSeconds: 3600,
    claims: { iss: BOT_FRAMEWORK_ISSUER, serviceurl: SERVICE_URL, uti: randomUUID() },
  });
}

export async function mintBenchTokens(issuer: DevIssuer, count: number): Promise<string[]> {
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) tokens.push(await mintBenchToken(issuer));
  return tokens;
}

/** Metadata + key fetches the dev issuer has served so far (Skype profile). */
export function fetchCounts(issuer: DevIssuer): { metadata: number; keys: number } {
  return {
    metadata: issuer.stats.botFrameworkMetadataFetches,
    keys: issuer.stats.botFrameworkKeyFetches,
  };
}
