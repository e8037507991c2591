import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger, startHealthProbe } from '../src/index.ts';

process.env.LOG_LEVEL = 'silent';

function recordingHealth() {
  const states: boolean[] = [];
  return { states, setServing: (serving: boolean) => void states.push(serving) };
}

describe('health probe', () => {
  test('follows the check, and a rejecting check means NOT_SERVING', async () => {
    const health = recordingHealth();
    let outcome: () => Promise<boolean> = async () => true;
    const probe = startHealthProbe({ health, check: () => outcome(), logger: createLogger('t'), what: 'db' });
    assert.equal(await probe.probe(), true);
    outcome = async () => {
      throw new Error('ECONNREFUSED');
    };
    assert.equal(await probe.probe(), false);
    assert.equal(probe.serving(), false);
    outcome = async () => true;
    await probe.probe();
    assert.deepEqual(health.states, [true, false, true]);
    await probe.close();
  });

  test('polls by itself until closed, and never flips health after close', async () => {
    const health = recordingHealth();
    let calls = 0;
    const probe = startHealthProbe({
      health,
      check: async () => {
        calls++;
        return calls < 3;
      },
      intervalMs: 10,
      logger: createLogger('t'),
      what: 'db',
    });
    while (calls < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(probe.serving(), false);
    await probe.close();
    const seen = health.states.length;
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(health.states.length, seen);
  });

  test('overlapping probes share one check', async () => {
    let calls = 0;
    const probe = startHealthProbe({
      health: recordingHealth(),
      check: async () => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return true;
      },
      logger: createLogger('t'),
      what: 'db',
    });
    await Promise.all([probe.probe(), probe.probe(), probe.probe()]);
    assert.equal(calls, 1);
    await probe.close();
  });
});
