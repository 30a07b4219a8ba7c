import type { DevIssuer } from '@callgate/emulator';
import { graphBody, legacyBody } from '../fixtures';
import { APP_ID, mintBenchToken } from '../issuer';
import type { RawRequest } from './httpClient';

/** The kinds of request a soak mixes, with the statuses each may get. */
export const TRAFFIC_KINDS = {
  valid: [202],
  legacy: [204],
  forged: [401],
  noToken: [401],
  malformedJson: [400],
  oversize: [413],
  slowClient: [202],
  wrongMethod: [405],
} as const satisfies Record<string, readonly number[]>;

export type TrafficKind = keyof typeof TRAFFIC_KINDS;

export interface TrafficTokens {
  valid: string[];
  forged: string;
}

export async function trafficTokens(issuer: DevIssuer, count: number): Promise<TrafficTokens> {
  const valid: string[] = [];
  for (let i = 0; i < count; i++) valid.push(await mintBenchToken(issuer));
  const forged = await issuer.mintForgedToken('botframework', APP_ID);
  return { valid, forged };
}

const encoder = new TextEncoder();

/** `maxBodyBytes` is the server's limit: an oversize body is twice that, sent chunked. */
export function trafficRequest(
  kind: TrafficKind,
  tokens: TrafficTokens,
  i: number,
  maxBodyBytes: number,
): RawRequest {
  const token = tokens.valid[i % tokens.valid.length]!;
  const json = { 'content-type': 'application/json' };
  const auth = { authorization: `Bearer ${token}` };
  const body = encoder.encode(graphBody);
  switch (kind) {
    case 'valid':
      return { method: 'POST', headers: { ...json, ...auth }, chunks: [body] };
    case 'legacy':
      return {
        method: 'POST',
        headers: { ...json, ...auth },
        chunks: [encoder.encode(legacyBody)],
      };
    case 'forged':
      return {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${tokens.forged}` },
        chunks: [body],
      };
    case 'noToken':
      return { method: 'POST', headers: json, chunks: [body] };
    case 'malformedJson':
      return { method: 'POST', headers: { ...json, ...auth }, chunks: [body.subarray(0, 100)] };
    case 'oversize': {
      const chunk = new Uint8Array(16 * 1024).fill(0x20);
      const count = Math.ceil((2 * maxBodyBytes) / chunk.byteLength);
      return {
        method: 'POST',
        headers: { ...json, ...auth },
        chunks: Array.from({ length: count }, () => chunk),
      };
    }
    case 'slowClient': {
      const third = Math.ceil(body.byteLength / 3);
      return {
        method: 'POST',
        headers: { ...json, ...auth },
        chunks: [
          body.subarray(0, third),
          body.subarray(third, 2 * third),
          body.subarray(2 * third),
        ],
        gapMs: 40,
      };
    }
    case 'wrongMethod':
      return { method: 'GET', headers: auth, chunks: [] };
  }
}
