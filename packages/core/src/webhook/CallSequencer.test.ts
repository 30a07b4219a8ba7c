import { describe, expect, it } from 'vitest';
import { CallSequencer } from './CallSequencer';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

describe('CallSequencer', () => {
  it('runs the tasks of one call one at a time, in the order queued', async () => {
    const sequencer = new CallSequencer();
    const log: string[] = [];
    let running = 0;
    const task = (name: string, delay: number) => async () => {
      running += 1;
      expect(running).toBe(1);
      log.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, delay));
      log.push(`${name} end`);
      running -= 1;
    };
    await Promise.all([
      sequencer.run('call-1', task('a', 15)),
      sequencer.run('call-1', task('b', 1)),
      sequencer.run('call-1', task('c', 5)),
    ]);
    expect(log).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect(sequencer.size).toBe(0);
  });

  it('runs tasks of different calls concurrently', async () => {
    const sequencer = new CallSequencer();
    const log: string[] = [];
    let releaseFirst!: () => void;
    const first = sequencer.run('call-1', async () => {
      log.push('1 start');
      await new Promise<void>((resolve) => {
        releaseFirst = resolve;
      });
      log.push('1 end');
    });
    const second = sequencer.run('call-2', async () => {
      log.push('2 ran');
    });
    await second;
    expect(log).toEqual(['1 start', '2 ran']);
    releaseFirst();
    await first;
    expect(log).toEqual(['1 start', '2 ran', '1 end']);
  });

  it('keeps going after a task that throws', async () => {
    const sequencer = new CallSequencer();
    const ran: string[] = [];
    const failing = sequencer.run('call-1', async () => {
      throw new Error('boom');
    });
    const next = sequencer.run('call-1', async () => {
      ran.push('next');
    });
    await expect(failing).resolves.toBeUndefined();
    await next;
    expect(ran).toEqual(['next']);
  });

  it('runs a task without a call on its own', async () => {
    const sequencer = new CallSequencer();
    let ran = false;
    await sequencer.run(undefined, async () => {
      ran = true;
    });
    await tick();
    expect(ran).toBe(true);
    expect(sequencer.size).toBe(0);
  });
});
