import { EmulatorError } from './EmulatorError';
import type { GraphAction, GraphObserver } from './startMockGraph';

/**
 * Follows the mock Graph of a running `callgate-emulator serve` from another
 * process, so `play` sees what the bot asks of it.
 *
 * @param url the mock Graph's root (`http://127.0.0.1:PORT`) or its base URL
 * (`http://127.0.0.1:PORT/v1.0`).
 *
 * @example
 * ```ts
 * const graph = connectMockGraph('http://127.0.0.1:4001/v1.0');
 * await playScenario('p2p-call', { webhookUrl, issuer, graph, appId });
 * ```
 */
export function connectMockGraph(url: string): GraphObserver {
  const root = url.replace(/\/+$/, '').replace(/\/v1\.0$/, '');
  // Long polls are cut into slices so that no single request outlives proxies or sockets.
  const sliceMs = 20_000;
  return {
    baseUrl: `${root}/v1.0`,
    async nextAction(callId, index, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const waitMs = Math.max(0, Math.min(sliceMs, deadline - Date.now()));
        let response: Response;
        try {
          response = await fetch(
            `${root}/_emulator/calls/${encodeURIComponent(callId)}/actions/${index}?waitMs=${waitMs}`,
            { signal: AbortSignal.timeout(waitMs + 10_000) },
          );
        } catch (error) {
          throw new EmulatorError(
            'emulator_unreachable',
            `No mock Graph answers at ${root}: is \`callgate-emulator serve\` running there?`,
            { cause: error },
          );
        }
        if (response.status === 200) return (await response.json()) as GraphAction;
        await response.body?.cancel();
        if (response.status !== 204) {
          throw new EmulatorError(
            'emulator_refused',
            `${root} answered ${response.status}; is it a callgate-emulator mock Graph?`,
          );
        }
        if (Date.now() >= deadline) return undefined;
      }
    },
  };
}
