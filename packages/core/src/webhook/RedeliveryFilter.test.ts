import { describe, expect, it } from 'vitest';
import { RedeliveryFilter } from './RedeliveryFilter';

describe('RedeliveryFilter', () => {
  it('flags a message id seen again within the window, not the first time', () => {
    const filter = new RedeliveryFilter({ window: 60 });
    expect(filter.isRedelivery('m-1', 0)).toBe(false);
    expect(filter.isRedelivery('m-1', 59_000)).toBe(true);
    expect(filter.isRedelivery('m-2', 59_000)).toBe(false);
  });

  it('forgets ids older than the window', () => {
    const filter = new RedeliveryFilter({ window: 60 });
    filter.isRedelivery('m-1', 0);
    expect(filter.isRedelivery('m-1', 60_001)).toBe(false);
    expect(filter.size).toBe(1);
  });

  it('never treats a missing id as a redelivery', () => {
    const filter = new RedeliveryFilter();
    expect(filter.isRedelivery(undefined, 0)).toBe(false);
    expect(filter.isRedelivery(undefined, 0)).toBe(false);
    expect(filter.isRedelivery('', 0)).toBe(false);
    expect(filter.size).toBe(0);
  });

  it('remembers at most maxEntries ids, forgetting the oldest', () => {
    const filter = new RedeliveryFilter({ window: 600, maxEntries: 3 });
    for (const id of ['a', 'b', 'c', 'd']) filter.isRedelivery(id, 0);
    expect(filter.size).toBe(3);
    expect(filter.isRedelivery('a', 1)).toBe(false);
    expect(filter.isRedelivery('d', 1)).toBe(true);
  });
});

describe('RedeliveryFilter options and forget', () => {
  it('forgets an id on request, so its next delivery is not a redelivery', () => {
    const filter = new RedeliveryFilter();
    filter.isRedelivery('m-1', 0);
    filter.forget('m-1');
    expect(filter.isRedelivery('m-1', 1)).toBe(false);
  });

  it('refuses a window or size that is not positive', () => {
    expect(() => new RedeliveryFilter({ window: 0 })).toThrow(/redelivery.window/);
    expect(() => new RedeliveryFilter({ maxEntries: 1.5 })).toThrow(/redelivery.maxEntries/);
  });
});

describe('RedeliveryFilter under churn', () => {
  it('keeps an id recorded again after forget(), when its first record expires', () => {
    const filter = new RedeliveryFilter({ window: 10 });
    filter.isRedelivery('m-1', 0);
    filter.forget('m-1');
    filter.isRedelivery('m-1', 5_000);
    // The first record (t=0) expires at t=10 s; the second (t=5 s) must still count.
    expect(filter.isRedelivery('m-1', 12_000)).toBe(true);
    expect(filter.isRedelivery('m-1', 15_001)).toBe(false);
  });

  it('stays bounded and correct over many unique ids', () => {
    const filter = new RedeliveryFilter({ window: 600, maxEntries: 1000 });
    for (let i = 0; i < 50_000; i++) filter.isRedelivery(`m-${i}`, i);
    expect(filter.size).toBe(1000);
    expect(filter.isRedelivery('m-49999', 50_000)).toBe(true);
    expect(filter.isRedelivery('m-48999', 50_000)).toBe(false);
  });
});
