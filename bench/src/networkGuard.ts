import http from 'node:http';
import https from 'node:https';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function hostOf(args: unknown[]): string | undefined {
  const first = args[0];
  if (typeof first === 'string') return new URL(first).hostname;
  if (first instanceof URL) return first.hostname;
  if (typeof first === 'object' && first !== null) {
    const options = first as { hostname?: string; host?: string };
    return options.hostname ?? options.host?.replace(/:\d+$/, '');
  }
  return undefined;
}

/**
 * Makes every node:http/https request to a non-loopback host throw, so that
 * botframework-connector (which defaults to Microsoft's metadata URLs and uses
 * node-fetch) can never reach the internet from a benchmark.
 */
export function forbidNonLoopbackRequests(): void {
  for (const mod of [http, https] as const) {
    const original = mod.request;
    const guarded = ((...args: unknown[]) => {
      const host = hostOf(args);
      if (host === undefined || !LOOPBACK.has(host)) {
        throw new Error(`bench network guard: request to ${String(host)} refused (loopback only)`);
      }
      return (original as (...a: unknown[]) => http.ClientRequest)(...args);
    }) as typeof mod.request;
    mod.request = guarded;
  }
}
