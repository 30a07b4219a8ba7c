import type { IncomingMessage } from 'node:http';
import type { CallgateError } from '@callgate/core';
import { describe, expect, it } from 'vitest';
import { listen, sendTrickled } from '../test/support/http';
import { readNodeBody } from './readNodeBody';

describe('readNodeBody with a signal (limits.bodyTimeout)', () => {
  it('stops reading a trickled body once the signal aborts, and rejects with body_timeout', async () => {
    const outcome: { error?: CallgateError; paused?: boolean; chunksAfterAbort: number } = {
      chunksAfterAbort: 0,
    };
    const server = await listen((req: IncomingMessage, res) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 150);
      readNodeBody(req, 1024 * 1024, { signal: controller.signal }).then(
        () => res.writeHead(200).end(),
        (error: CallgateError) => {
          outcome.error = error;
          outcome.paused = req.isPaused();
          req.on('data', () => {
            outcome.chunksAfterAbort += 1;
          });
          // What the adapters do next: answer, then drop the connection.
          res.writeHead(408).end(() => req.socket.destroy());
        },
      );
    });
    try {
      const response = await sendTrickled(server.port, {
        headers: { 'content-type': 'application/json' },
        chunks: ['{"value":', '[', ']', '}', ' ', ' '],
        intervalMs: 60,
      });
      expect(response.status).toBe(408);
      expect(outcome.error?.code).toBe('body_timeout');
      expect(outcome.error?.status).toBe(408);
      expect(outcome.paused).toBe(true);
      expect(outcome.chunksAfterAbort).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('rejects at once when the signal has already aborted', async () => {
    const server = await listen((req: IncomingMessage, res) => {
      readNodeBody(req, 1024, { signal: AbortSignal.abort() }).then(
        () => res.writeHead(200).end(),
        (error: CallgateError) => res.writeHead(error.status).end(error.code),
      );
    });
    try {
      const response = await sendTrickled(server.port, {
        headers: {},
        chunks: ['{}'],
        intervalMs: 10,
      });
      expect([response.status, response.body]).toEqual([408, 'body_timeout']);
    } finally {
      await server.close();
    }
  });
});
