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

describe('readNodeBody on a request whose client went away', () => {
  it('says the client disconnected, not that a body parser consumed the body', async () => {
    const { connect } = await import('node:net');
    let reported: CallgateError | undefined;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const server = await listen((req: IncomingMessage) => {
      req.once('close', () => {
        readNodeBody(req, 1024).then(
          () => done(),
          (error: CallgateError) => {
            reported = error;
            done();
          },
        );
      });
    });
    try {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write(
          'POST /api/calls HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"val',
        );
        setTimeout(() => socket.destroy(), 50);
      });
      await finished;
      expect(reported?.code).toBe('body_read_failed');
      expect(reported?.message).toMatch(/client disconnected/);
      expect(reported?.message).not.toMatch(/body parser/);
    } finally {
      await server.close();
    }
  });
});
