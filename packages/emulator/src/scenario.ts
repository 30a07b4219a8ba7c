import type {
  CallControl,
  GraphAction,
  GraphActionKind,
  GraphEvent,
  GraphFault,
  GraphNotificationKind,
  NotificationAttempt,
} from './mockGraphTypes';
import type { Identity, ResultInfo } from './notifications';
import type { TokenKind } from './startDevIssuer';

/** A scripted call, played by {@link playScenario}. */
export interface Scenario {
  name: string;
  /** One line: what happens in the call. */
  summary: string;
  /** What a bot must do to pass: the expectation printed before the scenario plays. */
  botShould: string;
  /**
   * Suites it belongs to: `well-behaved` (any bot that answers every call
   * passes), `scripted` (the bot must pick a behaviour from the caller's name),
   * `calls-client` (Graph faults a calls client must survive), `tracking`
   * (keepAlive, early completions, vanished calls, roster changes).
   */
  suites: string[];
  /** How the mock Graph treats this call: injected faults, keepAlive clock, early completions. */
  graph?: {
    /** The call is an invitation into a meeting (chatInfo, meetingInfo, the organizer in the roster). */
    meeting?: boolean;
    faults?: GraphFault[];
    /** Seconds without keepAlive before the call ends with 408/8537 (compressed clock). */
    keepAliveTimeout?: number;
    completeBeforeResponding?: boolean;
    operationDelayMs?: number;
  };
  /** The token kind the service signs this call's notifications with. */
  tokenKind: TokenKind;
  /** Checked after the call, on every Graph request the bot made for it. */
  expects: {
    graphActions: GraphActionKind[];
    forbiddenGraphActions: GraphActionKind[];
  };
  run(call: ScenarioCall): Promise<void>;
}

/** Which statuses a POST must end with: a list, or any 2xx. */
export type StatusExpectation = number[] | '2xx';

/** Which token a POST carries. */
export type TokenVariant = NotificationAttempt['token'];

/** Options of {@link ScenarioCall.post}. */
export interface PostOptions {
  /** `deployment`: the webhook (after redirects); `callback`: the answer's `callbackUri`. */
  to: 'deployment' | 'callback';
  /** Why this notification is sent, for the transcript. */
  why: string;
  expect: StatusExpectation;
  /** Default `valid`. */
  token?: TokenVariant;
  /** Whether a status other than expected makes the service drop the call. Default false. */
  endsCallOnFailure?: boolean;
}

/** How a POST (with its retries and redirects) ended. */
export interface PostOutcome {
  ok: boolean;
  /** Final status; null when no response came (timeout, connection refused). */
  status: number | null;
  /** The URL that gave the final answer. */
  url: string;
  /** `Location`s followed, in order. */
  redirects: string[];
}

/** The call being played, as a {@link Scenario}'s script drives it. */
export interface ScenarioCall {
  readonly scenario: string;
  readonly callId: string;
  readonly chainId: string;
  readonly appId: string;
  readonly tenantId: string;
  readonly caller: Identity;
  /** Where pre-answer notifications go: the webhook URL, or where a 302 sent it. */
  readonly deploymentUrl: string;
  /** The `callbackUri` of the bot's answer, once answered. */
  readonly callbackUri: string | undefined;
  /** POSTs one notification the way the service does; see {@link PostOptions}. */
  post(body: unknown, options: PostOptions): Promise<PostOutcome>;
  /** Legacy incoming call (expects 204), then the same call in the Graph format (expects 2xx). */
  incomingCall(options?: {
    region?: string;
    meeting?: boolean;
    token?: TokenVariant;
  }): Promise<PostOutcome>;
  /**
   * Waits up to the answer timeout for answer / reject / redirect. With
   * `expect: 'answer' | 'reject'`, anything else fails the scenario and ends
   * the call; with `expect: 'none'`, the timeout is the expected outcome.
   */
  awaitAnswer(options: { expect: 'answer' | 'reject' | 'none' }): Promise<GraphAction | undefined>;
  /**
   * Waits up to the answer timeout (or `timeoutMs`) for the bot to ask Graph
   * for one of `kinds` (injected faults are skipped: the bot must retry).
   */
  waitForAction(
    kinds: GraphActionKind[],
    why: string,
    options?: { timeoutMs?: number; quiet?: boolean },
  ): Promise<GraphAction | undefined>;
  /** Waits for the mock Graph to have sent a notification of `kind` to the bot. */
  waitForNotification(
    kind: GraphNotificationKind,
    why: string,
    options?: { timeoutMs?: number; quiet?: boolean },
  ): Promise<Extract<GraphEvent, { type: 'notification' }> | undefined>;
  /** Waits for the mock Graph's `establishing` and `established` after the answer. */
  connect(options?: { meeting?: boolean }): Promise<void>;
  /** Gives the bot a moment to hang up (DELETE), else the caller hangs up; then `terminated`. */
  finish(): Promise<void>;
  /** Ends the call with a terminated notification (to the callback once answered). */
  terminate(resultInfo: ResultInfo, why: string): Promise<void>;
  /** Every request the bot made for this call so far, injected faults included. */
  graphActions(): GraphAction[];
  /** Changes the call at the mock Graph (roster changes, a call that vanishes). */
  control(control: CallControl): Promise<void>;
  /** Seconds without keepAlive before the mock Graph ends the call, when the scenario compresses the clock. */
  readonly keepAliveTimeout: number | undefined;
  /** The meeting of a `meeting: true` call. */
  readonly meeting: { organizer: Identity; threadId: string };
  /** Records why the scenario failed; the script goes on. */
  fail(reason: string): void;
  note(text: string): void;
}

/** One line of a {@link ScenarioResult}'s transcript. */
export type ScenarioStep =
  | NotificationAttempt
  | {
      kind: 'graph';
      action: GraphActionKind;
      method: string;
      path: string;
      status: number;
      ok: boolean;
      problem?: string;
      /** Graph's error code of a refusal. */
      errorCode?: string;
      /** A fault the scenario injected. */
      injected?: boolean;
    }
  | { kind: 'note'; text: string; ok: boolean };

/** What {@link playScenario} found. */
export interface ScenarioResult {
  scenario: string;
  /** What the bot had to do (the scenario's `botShould`). */
  expectation: string;
  passed: boolean;
  /** Why it failed, one sentence each; empty when it passed. */
  failures: string[];
  steps: ScenarioStep[];
  callId: string;
  chainId: string;
  /** Every request the bot made to the mock Graph for this call. */
  graphActions: GraphAction[];
  durationMs: number;
}
