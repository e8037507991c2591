import assert from 'node:assert/strict';
import { PerformanceObserver } from 'node:perf_hooks';
import { describe, test } from 'node:test';
import { fullGc, GcStorm } from '../src/gc-storm.ts';

/** Counts and sums the V8 GC pauses that happen while `fn` runs. */
async function gcPausesDuring(fn: () => Promise<unknown>) {
  const pauses: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    await fn();
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    observer.disconnect();
  }
  return { count: pauses.length };
}

describe('GcStorm', () => {
  test('the real collector is available without --expose-gc', () => {
    assert.equal(typeof fullGc(), 'function');
    fullGc()();
  });

  test('a storm is a burst of measurable, real GC pauses', async () => {
    const storm = new GcStorm({ rounds: 5, objectsPerRound: 100_000 });
    let took: number | undefined;
    const pauses = await gcPausesDuring(async () => {
      took = await storm.run();
    });
    assert.ok(took !== undefined && took > 0);
    // Counted, not timed: how long the pauses last depends on the machine (bench's business).
    assert.ok(pauses.count >= 7, `only ${pauses.count} GC pauses`);
  });

  test('at most one storm per interval', async () => {
    let now = 1_000_000;
    const storm = new GcStorm({ rounds: 1, objectsPerRound: 10, intervalMs: 10_000, now: () => now });
    assert.notEqual(await storm.run(), undefined);
    now += 9_999;
    assert.equal(storm.due(), false);
    assert.equal(await storm.run(), undefined);
    now += 1;
    assert.notEqual(await storm.run(), undefined);
  });
});
