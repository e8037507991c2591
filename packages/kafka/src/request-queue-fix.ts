// kafkajs 2.2.4 (its last release) re-arms a timer after every check of a
// broker connection's request queue, even with nothing pending and no
// throttle in force: the delay is `throttledUntil` (-1) minus Date.now(), a
// negative number Node turns into 1 ms and warns about once
// ("TimeoutNegativeWarning: -<epoch ms>"). Every idle connection so wakes the
// process ~800 times a second: 2.2 % of a core per idle Kafka client
// (checkout, accounting, fraud-detection; payment idles at 0.1 %), measured.
// Upstream: tulios/kafkajs#1704 and #1751; the fixes (#1755, #1768) are not
// released. Patched once, before any connection exists: with nothing pending
// and no throttle there is nothing to check until a request is queued (push
// schedules its own check) or answered (fulfillRequest checks the queue).
import { createRequire } from 'node:module';

interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  scheduleCheckPendingRequests(): void;
}

const { prototype } = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as {
  prototype: RequestQueue;
};
const schedule = prototype.scheduleCheckPendingRequests;
if (!schedule) throw new Error('kafkajs RequestQueue has no scheduleCheckPendingRequests: recheck this fix');
prototype.scheduleCheckPendingRequests = function (this: RequestQueue) {
  if (this.pending.length === 0 && this.throttledUntil <= Date.now()) return;
  schedule.call(this);
};
