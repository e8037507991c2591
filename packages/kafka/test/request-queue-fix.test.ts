// The kafkajs request-queue fix (src/request-queue-fix.ts): an idle broker
// connection arms no timer; one with a request held back by a throttle still
// gets its check scheduled.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import '../src/client.ts';

interface Queue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null | undefined;
  checkPendingRequests(): void;
}
const RequestQueue = createRequire(import.meta.url)('kafkajs/src/network/requestQueue/index.js') as new (
  options: object,
) => Queue;
const silent = { debug() {}, info() {}, warn() {}, error() {}, namespace: () => silent };
const queue = () =>
  new RequestQueue({
    requestTimeout: 30_000,
    clientId: 't',
    broker: 'b',
    logger: silent,
    isConnected: () => true,
  });

test('an idle connection (nothing pending, no throttle) arms no timer', () => {
  const q = queue();
  q.checkPendingRequests();
  assert.equal(q.throttleCheckTimeoutId ?? null, null);
});

test('negative control: a request held back by a throttle still gets its check scheduled', () => {
  const q = queue();
  q.throttledUntil = Date.now() + 60_000;
  q.pending.push({});
  q.checkPendingRequests();
  assert.ok(q.throttleCheckTimeoutId, 'a check is scheduled for when the throttle ends');
  clearTimeout(q.throttleCheckTimeoutId ?? undefined);
});
