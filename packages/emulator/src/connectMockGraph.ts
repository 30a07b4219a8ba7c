import { EmulatorError } from './EmulatorError';
import type {
  CallControl,
  CallRegistration,
  GraphAction,
  GraphEvent,
  GraphObserver,
} from './mockGraphTypes';

/**
 * Follows the mock Graph of a running `callgate-emulator serve` from another
 * process, so `play` sees what the bot asks of it and can register its calls.
 *
 * @param url the mock Graph's root (`http://127.0.0.1:PORT`) or its base URL
 * (`http://127.0.0.1:PORT/v1.0`).
 *
 * @example
 * ```ts
 * const graph = connectMockGraph('http://127.0.0.1:4701/v1.0');
 * await playScenario('p2p-call', { webhookUrl, issuer, graph, appId });
 * ```
 */
export function connectMockGraph(url: string): GraphObserver {
  const root = url.replace(/\/+$/, '').replace(/\/v1\.0$/, '');
  // Long polls are cut into slices so that no single request outlives proxies or sockets.
  const sliceMs = 20_000;
  const request = async (path: string, init: RequestInit & { timeoutMs?: number } = {}) => {
    try {
      return await fetch(`${root}${path}`, {
        ...init,
        signal: AbortSignal.timeout(init.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new EmulatorError(
        'emulator_unreachable',
        `No mock Graph answers at ${root}: is \`callgate-emulator serve\` running there?`,
        { cause: error },
      );
    }
  };
  const poll = async <T>(
    kind: 'actions' | 'events',
    callId: string,
    index: number,
    timeoutMs: number,
  ) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const waitMs = Math.max(0, Math.min(sliceMs, deadline - Date.now()));
      const response = await request(
        `/_emulator/calls/${encodeURIComponent(callId)}/${kind}/${index}?waitMs=${waitMs}`,
        { timeoutMs: waitMs + 10_000 },
      );
      if (response.status === 200) return (await response.json()) as T;
      await response.body?.cancel();
      if (response.status !== 204) {
        throw new EmulatorError(
          'emulator_refused',
          `${root} answered ${response.status}; is it a callgate-emulator mock Graph?`,
        );
      }
      if (Date.now() >= deadline) return undefined;
    }
  };
  const send = async (path: string, body: unknown) => {
    const response = await request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new EmulatorError(
        'emulator_refused',
        `${root}${path} answered ${response.status}: ${text.slice(0, 200)}`,
      );
    }
  };
  return {
    baseUrl: `${root}/v1.0`,
    nextAction: (callId, index, timeoutMs) =>
      poll<GraphAction>('actions', callId, index, timeoutMs),
    nextEvent: (callId, index, timeoutMs) => poll<GraphEvent>('events', callId, index, timeoutMs),
    registerCall: (registration: CallRegistration) => send('/_emulator/calls', registration),
    controlCall: (callId: string, control: CallControl) =>
      send(`/_emulator/calls/${encodeURIComponent(callId)}/control`, control),
  };
}
