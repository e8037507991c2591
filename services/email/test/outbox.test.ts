import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getHeapStatistics } from 'node:v8';
import { Outbox, padForLeak } from '../src/outbox.ts';

test('retained mails really occupy memory (the leak shows in heap metrics)', () => {
  const outbox = new Outbox();
  const body = 'x'.repeat(2000);
  const before = getHeapStatistics().used_heap_size;
  for (let i = 0; i < 50; i++) {
    outbox.deliver({ from: 'a', to: 'b', subject: 's', html: padForLeak(body, 100) });
  }
  const grown = getHeapStatistics().used_heap_size - before;
  const padded = 50 * 2000 * 100;
  // A rope of shared spaces would grow by kilobytes, not by the padded size.
  assert.ok(grown > padded * 0.5, `heap grew ${grown} bytes for ${padded} padded bytes`);
  assert.equal(outbox.size, 50);
});
