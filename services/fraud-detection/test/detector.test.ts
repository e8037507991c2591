import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FLAG, InMemoryProvider, OpenFeature } from '@astroshop/flags';
import type { ConsumedOrder } from '@astroshop/kafka';
import { createLogger } from '@astroshop/service-kit';
import { createDetector } from '../src/detector.ts';

function capturingLogger() {
  const lines: string[] = [];
  const logger = createLogger('fraud-test');
  logger.info = ((...args: unknown[]) => {
    lines.push(String(args.find((a) => typeof a === 'string')));
  }) as typeof logger.info;
  return { logger, lines };
}

const consumed = (orderId: string, signal = new AbortController().signal): ConsumedOrder => ({
  order: { orderId, shippingTrackingId: '', shippingCost: undefined, shippingAddress: undefined, items: [] },
  message: { key: null, value: null, timestamp: '0', attributes: 0, offset: '0', size: 0 },
  partition: 0,
  signal,
});

const queueProblems = (value: number) =>
  OpenFeature.setProviderAndWait(
    new InMemoryProvider({
      [FLAG.kafkaQueueProblems]: { variants: { on: value, off: 0 }, defaultVariant: 'on', disabled: false },
    }),
  );

describe('fraud detector', () => {
  test('keeps a running count and logs each order', async () => {
    const { logger, lines } = capturingLogger();
    const detector = createDetector(logger, 50);
    await detector.handle(consumed('a'));
    await detector.handle(consumed('b'));
    assert.equal(detector.count(), 2);
    assert.deepEqual(lines, [
      'Consumed record with orderId: a, and updated total count to: 1',
      'Consumed record with orderId: b, and updated total count to: 2',
    ]);
  });

  test('kafkaQueueProblems > 0 slows each record down', async (t) => {
    await queueProblems(100);
    try {
      const { logger, lines } = capturingLogger();
      const detector = createDetector(logger, 200);
      // Mocked timers move only when ticked: the record is counted exactly when its wait ends.
      t.mock.timers.enable({ apis: ['setTimeout'] });
      const handled = detector.handle(consumed('slow'));
      for (let i = 0; i < 1000 && lines.length === 0; i++) await new Promise((r) => setImmediate(r));
      assert.match(lines[0] ?? '', /kafkaQueueProblems' is enabled, sleeping 1 second/);
      t.mock.timers.tick(199);
      await new Promise((r) => setImmediate(r));
      assert.equal(detector.count(), 0, 'the record must wait');
      t.mock.timers.tick(1);
      await handled;
      assert.equal(detector.count(), 1);
    } finally {
      await OpenFeature.clearProviders();
    }
  });

  test('shutdown interrupts the wait without counting the record', async () => {
    await queueProblems(100);
    try {
      const { logger } = capturingLogger();
      const detector = createDetector(logger, 60_000);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 20);
      await assert.rejects(detector.handle(consumed('x', controller.signal)), { name: 'AbortError' });
      assert.equal(detector.count(), 0);
    } finally {
      await OpenFeature.clearProviders();
    }
  });
});
