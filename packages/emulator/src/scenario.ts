import type { Identity, ResultInfo } from './notifications';
import type { TokenKind } from './startDevIssuer';
import type { GraphAction, GraphActionKind } from './startMockGraph';

/** A scripted call, played by {@link playScenario}. */
export interface Scenario {
  name: string;
  /** One line: what happens in the call. */
  summary: string;
  /** What a bot must do to pass. */
  botShould: string;
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
export type TokenVariant = 'valid' | 'forged' | 'expired' | 'wrong-audience' | 'none';

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
  /** Waits up to the answer timeout for the bot to ask Graph for one of `kinds`. */
  waitForAction(kinds: GraphActionKind[], why: string): Promise<GraphAction | undefined>;
  /** Sends `establishing` then `established` to the callback. */
  connect(options?: { meeting?: boolean }): Promise<void>;
  /** Gives the bot a moment to hang up (DELETE), else the caller hangs up; then `terminated`. */
  finish(): Promise<void>;
  /** Ends the call with a terminated notification (to the callback once answered). */
  terminate(resultInfo: ResultInfo, why: string): Promise<void>;
  /** The meeting of a `meeting: true` call. */
  readonly meeting: { organizer: Identity; threadId: string };
  /** Records why the scenario failed; the script goes on. */
  fail(reason: string): void;
  note(text: string): void;
}

/** One line of a {@link ScenarioResult}'s transcript. */
export type ScenarioStep =
  | {
      kind: 'post';
      why: string;
      url: string;
      /** `X-Microsoft-Skype-Message-ID`, the same on every retry of a notification. */
      messageId: string;
      /** 1 for the first try of a notification at a URL, then 2, 3, ... */
      attempt: number;
      token: TokenVariant;
      /** null: no response (timeout, connection refused). */
      status: number | null;
      expectation: string;
      ok: boolean;
      durationMs: number;
      /** The `Location` of a 302. */
      location?: string;
      error?: string;
    }
  | {
      kind: 'graph';
      action: GraphActionKind;
      method: string;
      path: string;
      status: number;
      ok: boolean;
      problem?: string;
    }
  | { kind: 'note'; text: string; ok: boolean };

/** What {@link playScenario} found. */
export interface ScenarioResult {
  scenario: string;
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
