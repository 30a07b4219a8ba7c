import type { VerifiedCaller } from '../auth/index';
import type { HeaderMap } from '../http/types';
import type { Decision } from '../routing/types';
import type { Logger } from './Logger';

/** The correlation headers the calling service sends; quote them to Microsoft support. */
export interface CorrelationIds {
  /** `X-Microsoft-Skype-Chain-ID`: one per call. */
  chainId: string | undefined;
  /** `X-Microsoft-Skype-Message-ID`: one per notification POST, the same on retries. */
  messageId: string | undefined;
  /** `Scenario-Id`. */
  scenarioId: string | undefined;
  /** `Client-Request-Id`. */
  clientRequestId: string | undefined;
}

/**
 * What a handler knows besides the event: who sent it (verified), where it
 * was addressed, how to correlate it, and how long the bot has to answer.
 */
export interface CallContext {
  /** The caller's tenant, from the verified token's `tid`. */
  tenantId: string;
  /** The call this notification belongs to, if its resource names one. */
  callId: string | undefined;
  /** The verified token: kind, calling-service app id, claims. */
  caller: VerifiedCaller;
  /** The partition the notification was addressed to (its URL's `callgate-partition`), if any. */
  partition: string | undefined;
  correlation: CorrelationIds;
  /** `X-Microsoft-Skype-Caller-Region`, if sent. */
  callerRegion: string | undefined;
  /** When the webhook received the request. */
  receivedAt: Date;
  /**
   * For an incoming call: the time by which the bot must answer, reject or
   * redirect it (15 s after receipt by default). Undefined for other events.
   */
  deadline: Date | undefined;
  /** The routing decision that accepted this notification, with its reason. */
  decision: Decision;
  /**
   * The request's headers as received, frozen, with `Authorization` /
   * `Authentication` redacted (`'[redacted]'`): logging `ctx` never leaks the
   * bearer token. What the token proved is in `caller`.
   */
  headers: HeaderMap;
  logger: Logger;
}
