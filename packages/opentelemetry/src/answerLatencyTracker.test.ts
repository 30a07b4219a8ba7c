import { describe, expect, it } from 'vitest';
import { AnswerLatencyTracker } from './answerLatencyTracker';
import { answeringRequest, graphUrlTemplate } from './graphUrlTemplate';

describe('AnswerLatencyTracker', () => {
  it('measures from the first delivery of the incoming call, once, whatever the id casing', () => {
    const tracker = new AnswerLatencyTracker();
    tracker.noteIncoming('Call-A', 1_000);
    tracker.noteIncoming('call-a', 4_000);
    expect(tracker.takeLatency('CALL-A', 6_000)).toBe(5_000);
    expect(tracker.takeLatency('call-a', 7_000)).toBeUndefined();
  });

  it('forgets calls not answered within two minutes, and never holds more than 10,000', () => {
    const tracker = new AnswerLatencyTracker();
    tracker.noteIncoming('old', 0);
    tracker.noteIncoming('fresh', 100_000);
    expect(tracker.takeLatency('old', 121_000)).toBeUndefined();
    for (let i = 0; i < 20_000; i++) tracker.noteIncoming(`c${i}`, 110_000);
    expect(tracker.size).toBeLessThanOrEqual(10_000);
    expect(tracker.takeLatency('c19999', 111_000)).toBe(1_000);
  });
});

describe('Graph paths', () => {
  it('templates ids out of a path, keeping the operation', () => {
    expect(graphUrlTemplate('/v1.0/communications/calls/abc-1/participants/p2/mute')).toBe(
      '/v1.0/communications/calls/{id}/participants/{id}/mute',
    );
    expect(graphUrlTemplate('/v1.0/communications/calls')).toBe('/v1.0/communications/calls');
  });

  it('recognises answer, redirect and reject requests only', () => {
    expect(answeringRequest('/v1.0/communications/calls/abc/answer')).toEqual({
      callId: 'abc',
      operation: 'answer',
    });
    expect(answeringRequest('/beta/communications/calls/x%2Fy/reject')).toEqual({
      callId: 'x/y',
      operation: 'reject',
    });
    expect(answeringRequest('/v1.0/communications/calls/abc/playPrompt')).toBeUndefined();
  });
});
