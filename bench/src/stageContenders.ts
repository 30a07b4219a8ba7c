import {
  type CallWebhook,
  createTokenVerifier,
  parseNotifications,
  type TokenVerifier,
} from '@callgate/core';
import type { DevIssuer } from '@callgate/emulator';
import { bareBenchWebhook, type Contender } from './contenders';
import { APP_ID, benchIssuerProfile } from './issuer';

/**
 * The stages of callgate's pipeline measured on their own, so that the
 * difference between two of them, paired within a round, is what one stage
 * costs: the token check alone, the body alone, a webhook with nothing
 * registered (verify, parse, route, answer), and one with a handler but no
 * calls client. The whole bot is `callgateContender(benchWebhook(...))`.
 */
export interface StageWebhooks {
  /** Nothing registered: `handle` answers 202 without dispatching. */
  bare: CallWebhook;
  /** A `notification` handler, no calls client. */
  handlerOnly: CallWebhook;
  /** A verifier of its own for fresh tokens: another contender's tokens are never in its cache. */
  freshVerifier: TokenVerifier;
}

export function stageWebhooks(issuer: DevIssuer): StageWebhooks {
  const handlerOnly = bareBenchWebhook(issuer);
  handlerOnly.on('notification', () => undefined);
  const freshVerifier = createTokenVerifier({
    appId: APP_ID,
    issuers: [benchIssuerProfile(issuer)],
  });
  return { bare: bareBenchWebhook(issuer), handlerOnly, freshVerifier };
}

/** `verifier.verify` alone: the token check as `handle` runs it. */
export function verifyStage(verifier: TokenVerifier): Contender {
  return async (token) => {
    await verifier.verify({ authorization: `Bearer ${token}` });
  };
}

/** `parseNotifications` alone: decode, depth and size checks, zod normalisation into typed events. */
export function parseStage(): Contender {
  return async (_token, body) => {
    const parsed = parseNotifications(body);
    if (parsed.format !== 'graph' || parsed.events.length === 0)
      throw new Error('the bench body is a Graph notification');
  };
}
