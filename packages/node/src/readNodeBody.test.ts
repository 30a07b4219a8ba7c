import type { IncomingMessage } from 'node:http';
import { CallgateError } from '@callgate/core';
import { describe, expect, it } from 'vitest';
import { listen, sendTrickled } from '../test/support/http';
import { readNodeBody } from './readNodeBody';

describe('readNodeBody with onTimeout (limits.bodyTimeout)', () => {
  it('stops reading a trickled body once onTimeout calls back, and rejects with its error', async () => {
    const outcome: { error?: CallgateError; paused?: boolean; chunksAfterAbort: number } = {
      chunksAfterAbort: 0,
    };
    const server = await listen((req: IncomingMessage, res) => {
      const timeout = new CallgateError('body_timeout', 'too slow', { status: 408 });
      readNodeBody(req, 1024 * 1024, {
        onTimeout: (stop) => setTimeout(() => stop(timeout), 150),
      }).then(
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
});
