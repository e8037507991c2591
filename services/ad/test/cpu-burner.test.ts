import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CpuBurner } from '../src/cpu-burner.ts';

const cpuSeconds = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};

/** Process CPU seconds used per wall second over `ms`, and the worst timer lateness meanwhile. */
async function measure(ms: number) {
  const cpuBefore = cpuSeconds();
  const started = performance.now();
  let worstLag = 0;
  while (performance.now() - started < ms) {
    const tick = performance.now();
    await sleep(20);
    worstLag = Math.max(worstLag, performance.now() - tick - 20);
  }
  const wall = (performance.now() - started) / 1000;
  return { cpuPerWallSecond: (cpuSeconds() - cpuBefore) / wall, worstLag };
}

describe('CpuBurner', () => {
  const burner = new CpuBurner(2);
  after(() => burner.stop());

  test('burns real CPU in worker threads while the event loop stays responsive', async () => {
    assert.equal(burner.start(), true);
    assert.equal(burner.start(), false, 'a second start adds no workers');
    await sleep(200);
    const { cpuPerWallSecond, worstLag } = await measure(1000);
    // Two spinning workers: well above the ~0 of an idle test process, even on a busy box.
    assert.ok(cpuPerWallSecond > 0.6, `only ${cpuPerWallSecond.toFixed(2)} CPU-s per second`);
    assert.ok(worstLag < 200, `event loop lagged ${worstLag.toFixed(0)} ms`);
  });

  test('stop terminates every worker and the CPU use drops back', async () => {
    assert.equal(await burner.stop(), true);
    assert.equal(burner.running, false);
    assert.equal(await burner.stop(), false);
    const { cpuPerWallSecond } = await measure(500);
    assert.ok(cpuPerWallSecond < 0.3, `still ${cpuPerWallSecond.toFixed(2)} CPU-s per second`);
  });
});
