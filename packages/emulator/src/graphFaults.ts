import type { GraphActionKind } from './graphEndpoints';
import type { GraphFault } from './mockGraphTypes';

/**
 * Counts requests per kind and says which fault hits this one: a fault hits
 * the first `times` (default 1) requests of its kind.
 */
export function nextFault(
  faults: GraphFault[] | undefined,
  counts: Map<GraphActionKind, number>,
  kind: GraphActionKind,
): GraphFault | undefined {
  const fault = faults?.find((f) => f.action === kind);
  if (!fault) return undefined;
  const count = (counts.get(kind) ?? 0) + 1;
  counts.set(kind, count);
  return count <= (fault.times ?? 1) ? fault : undefined;
}

/** Graph's error code and headers for an injected status. */
export function faultAnswer(fault: GraphFault & { status: number }): {
  code: string;
  headers: Record<string, string>;
  retryAfter: string;
} {
  const retryAfter = String(fault.retryAfter ?? 1);
  const codes: Record<number, string> = {
    429: 'TooManyRequests',
    503: 'ServiceUnavailable',
    504: 'GatewayTimeout',
  };
  return {
    code: codes[fault.status] ?? 'InternalServerError',
    headers: fault.status === 429 || fault.status === 503 ? { 'retry-after': retryAfter } : {},
    retryAfter,
  };
}
