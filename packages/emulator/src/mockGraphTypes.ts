import type { GraphActionKind } from './graphEndpoints';
import type { Identity, ResultInfo, RosterEntry } from './notifications';
import type { TokenKind } from './startDevIssuer';

export type { GraphActionKind } from './graphEndpoints';

/** One request a bot made to the mock Graph, as recorded. */
export interface GraphAction {
  kind: GraphActionKind;
  /** The call's id as the bot wrote it (empty for `create` until the call exists). */
  callId: string;
  method: string;
  /** Path as requested, e.g. `/v1.0/communications/calls/{id}/answer`. */
  path: string;
  /** The parsed JSON body (undefined when empty or not JSON). */
  body: unknown;
  /** The status the mock answered: 2xx accepted, 4xx/5xx refused. */
  status: number;
  /** Why the mock refused the request (no token, a missing property, ...). */
  problem?: string;
  /** Graph's error `code` of a refusal (e.g. `BadRequest`, `TooManyRequests`). */
  errorCode?: string;
  /** The `commsOperation` id the mock returned. */
  operationId?: string;
  /** The participant the request was about. */
  participantId?: string;
  /** A fault the scenario injected (429, 503, a slow answer): not the bot's fault. */
  injected?: boolean;
  /** The call had ended (or never existed) when the request came: answered 404. */
  callGone?: boolean;
  /** `client-request-id` of the request, if the bot sent one. */
  clientRequestId?: string;
  /** When it arrived (epoch ms). */
  at: number;
}

/** Which notification the mock Graph sent after an action. */
export type GraphNotificationKind =
  | 'establishing'
  | 'established'
  | 'transferring'
  | 'roster'
  | 'operation'
  | 'terminated';

/** One POST of a notification (the service's or the mock Graph's), as tried. */
export interface NotificationAttempt {
  kind: 'post';
  why: string;
  url: string;
  /** `X-Microsoft-Skype-Message-ID`, the same on every retry of a notification. */
  messageId: string;
  /** 1 for the first try of a notification at a URL, then 2, 3, ... */
  attempt: number;
  token: 'valid' | 'forged' | 'expired' | 'wrong-audience' | 'none';
  /** null: no response (timeout, connection refused). */
  status: number | null;
  expectation: string;
  ok: boolean;
  durationMs: number;
  /** The `Location` of a 302. */
  location?: string;
  /** The `code` of the bot's error answer (e.g. `wrong_audience`). */
  code?: string;
  error?: string;
  /** Who sent it: the calling service (default) or the mock Graph after an action. */
  by?: 'service' | 'graph';
}

/** What happened in a call at the mock Graph, in order. */
export type GraphEvent =
  | { type: 'request'; action: GraphAction }
  | {
      type: 'notification';
      notification: GraphNotificationKind;
      why: string;
      /** Every try, in order; the last one decides. */
      attempts: NotificationAttempt[];
      ok: boolean;
      /** The notification body sent. */
      body: unknown;
    };

/** A fault to inject on the first `times` requests of one kind in a call. */
export interface GraphFault {
  action: GraphActionKind;
  /** Answer this status instead (429 with `Retry-After`, 503, 504, ...). */
  status?: number;
  /** `Retry-After` seconds with a 429/503; default 1. */
  retryAfter?: number;
  /** Hold the answer this long, then handle the request as usual (a slow Graph). */
  delayMs?: number;
  /** How many requests it hits; default 1. */
  times?: number;
}

/** A call the calling service is about to offer a bot, told to the mock Graph. */
export interface CallRegistration {
  callId: string;
  /** The bot's app id: the audience of the notifications, and the only app that may act on the call. */
  appId: string;
  tenantId: string;
  chainId?: string;
  scenarioId?: string;
  /** Token kind of the notifications the mock Graph sends; default `botframework`. */
  tokenKind?: TokenKind;
  caller?: Identity;
  meeting?: { organizer: Identity; threadId: string };
  faults?: GraphFault[];
  /** Seconds without a keepAlive after which an established call ends with 408/8537. */
  keepAliveTimeout?: number;
  /** Deliver an operation's completion before answering its request. */
  completeBeforeResponding?: boolean;
  /** How long operations run before they complete; default the mock's `operationDelayMs`. */
  operationDelayMs?: number;
}

/** What a scenario makes happen to a call, outside the bot's requests. */
export type CallControl =
  | {
      op: 'end';
      resultInfo: ResultInfo;
      /** false: the call is gone without a terminated notification (keepAlive then gets 404). */
      notify: boolean;
      why?: string;
    }
  | {
      op: 'roster';
      join?: RosterEntry[];
      /** participant ids that leave */
      leave?: string[];
      /** `full` (default): the whole roster, `changeType: updated`; `items`: `created`/`deleted` items. */
      style?: 'full' | 'items';
      why: string;
    };

/** Something that reports a bot's Graph requests: a {@link MockGraph} or a remote one. */
export interface GraphObserver {
  /** e.g. `http://127.0.0.1:PORT/v1.0`: the bot's Graph base URL. */
  readonly baseUrl: string;
  /**
   * The `index`-th request made for `callId` (0-based), waiting up to
   * `timeoutMs` for it; undefined if it did not come in time.
   */
  nextAction(callId: string, index: number, timeoutMs: number): Promise<GraphAction | undefined>;
  /** The `index`-th event (request or notification sent) of `callId`, waiting up to `timeoutMs`. */
  nextEvent(callId: string, index: number, timeoutMs: number): Promise<GraphEvent | undefined>;
  /** Tells the mock Graph of a call about to be offered, so the bot can act on it. */
  registerCall(registration: CallRegistration): Promise<void>;
  /** Ends a call or changes its roster, as the other parties of the call would. */
  controlCall(callId: string, control: CallControl): Promise<void>;
}
