import type { Server } from 'node:http';
import { type DevIssuer, startDevIssuer } from '@callgate/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATS_PATH } from '../src/benchPaths';
import { graphBody } from '../src/fixtures';
import { metadataUrl, mintBenchToken } from '../src/issuer';
import { FRAMEWORKS, type RouteMode, startBenchServer } from '../src/servers';

let issuer: DevIssuer;
let token: string;
beforeAll(async () => {
  issuer = await startDevIssuer();
  token = await mintBenchToken(issuer);
});
afterAll(() => issuer.close());

async function post(url: string, authorization: string, body = graphBody): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

describe('every benchmarked route answers as the bench expects', () => {
  it('serves node, express, koa and fastify', () => {
    expect(FRAMEWORKS).toEqual(['node', 'express', 'koa', 'fastify']);
  });

  const modes: RouteMode[] = ['floor', 'callgate', 'jose', 'bare'];
  for (const framework of FRAMEWORKS) {
    for (const mode of modes) {
      it(`${framework} ${mode}: 202 for the Graph notification with a good token`, async () => {
        const { server, url, webhook } = await startBenchServer({
          framework,
          mode,
          metadataUrl: metadataUrl(issuer),
        });
        try {
          expect(await post(url, `Bearer ${token}`)).toBe(202);
          if (mode === 'callgate' || mode === 'jose') {
            expect(await post(url, 'Bearer not-a-token')).toBe(401);
          }
          if (mode === 'floor') expect(await post(url, `Bearer ${token}`, '{')).toBe(400);
          const stats = (await (await fetch(new URL(STATS_PATH, url))).json()) as {
            requests: number;
          };
          expect(stats.requests).toBe(mode === 'bare' ? 1 : 2);
        } finally {
          await stop(server);
          await webhook?.idle();
        }
      });
    }
  }
});
