import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KeyedQueue } from '../src/keyed-queue.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('keyed queue', () => {
  test('tasks of one key never overlap; a failure does not block the next', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const task =
      (name: string, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([
      queue.run('u1', task('a', true)),
      queue.run('u1', task('b')),
      queue.run('u2', task('c')),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'fulfilled', 'fulfilled'],
    );
    const a = log.indexOf('end a');
    assert.ok(a < log.indexOf('start b'), `b started before a ended: ${log}`);
    assert.ok(log.indexOf('start c') < log.indexOf('end a'), 'other keys run concurrently');
    await tick();
    assert.equal(queue.size, 0, 'keys are forgotten when idle');
  });
});
