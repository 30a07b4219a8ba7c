/** What the demo bot does with a call. */
export interface CallPlan {
  onIncoming: 'answer' | 'reject' | 'ignore';
  /** `playPrompt`: play the welcome prompt and await its completion; `promptThenHangUp`: then hang up. */
  onEstablished: 'nothing' | 'transfer' | 'playPrompt' | 'promptThenHangUp';
}

const EMULATOR_CALLER = 'Emulator caller: ';

/**
 * The demo's behaviour per call. Real callers are answered. The emulator
 * names each scenario's caller `Emulator caller: <scenario>`, so the demo can
 * show a rejection, a transfer, a prompt and an unanswered call.
 */
export function planFor(callerDisplayName: string | undefined): CallPlan {
  const scenario = callerDisplayName?.startsWith(EMULATOR_CALLER)
    ? callerDisplayName.slice(EMULATOR_CALLER.length)
    : undefined;
  switch (scenario) {
    case 'rejected-call':
      return { onIncoming: 'reject', onEstablished: 'nothing' };
    case 'never-answers':
      return { onIncoming: 'ignore', onEstablished: 'nothing' };
    case 'transfer':
      return { onIncoming: 'answer', onEstablished: 'transfer' };
    case 'play-prompt':
      return { onIncoming: 'answer', onEstablished: 'playPrompt' };
    case 'early-completion':
      return { onIncoming: 'answer', onEstablished: 'promptThenHangUp' };
    default:
      return { onIncoming: 'answer', onEstablished: 'nothing' };
  }
}
