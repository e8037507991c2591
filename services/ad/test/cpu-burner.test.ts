import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CpuBurner } from '../src/cpu-burner.ts';

/**
 * CPU seconds used by every thread but this one (the workers, plus V8's and
 * libuv's helpers). Counting CPU instead of CPU per wall second keeps the test
 * independent of how busy the machine is: a spinning worker accrues CPU time
 * whenever the OS runs it, however rarely that is.
 */
const otherThreadsCpuSeconds = () => {
  const all = process.cpuUsage();
  const main = process.threadCpuUsage();
  return (all.user + all.system - main.user - main.system) / 1e6;
};

describe('CpuBurner', () => {
  const burner = new CpuBurner(2);
  after(() => burner.stop());

  test('burns real CPU in worker threads while the event loop keeps running', async () => {
    const before = otherThreadsCpuSeconds();
    assert.equal(burner.start(), true);
    assert.equal(burner.start(), false, 'a second start adds no workers');
    // One CPU-second in the workers, however long the scheduler takes to give
    // it (bounded: a burner that never spins fails here instead of hanging).
    let loopTurns = 0;
    const deadline = Date.now() + 60_000;
    while (otherThreadsCpuSeconds() - before < 1) {
      assert.ok(
        Date.now() < deadline,
        `workers used only ${(otherThreadsCpuSeconds() - before).toFixed(2)} CPU-s in 60 s`,
      );
      await sleep(20);
      loopTurns += 1;
    }
    // The main loop ran its timers all along: the burn happens off it.
    assert.ok(loopTurns > 0, 'the event loop never turned while the workers spun');
  });

  test('stop terminates every worker and the CPU use stops', async () => {
    assert.equal(await burner.stop(), true);
    assert.equal(burner.running, false);
    assert.equal(await burner.stop(), false);
    const before = otherThreadsCpuSeconds();
    await sleep(500);
    // A spinning worker left behind would add up to 0.5 CPU-s here; GC and
    // libuv helpers add a few milliseconds at most.
    const used = otherThreadsCpuSeconds() - before;
    assert.ok(used < 0.1, `other threads still used ${used.toFixed(2)} CPU-s in 0.5 s`);
  });
});
