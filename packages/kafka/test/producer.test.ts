import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KafkaOrderPublisher } from '../src/kafka-publisher.ts';
import { captureLogger } from './fakes.ts';

const ORDER = {
  orderId: 'o-1',
  shippingTrackingId: 't-1',
  shippingCost: undefined,
  shippingAddress: undefined,
  items: [],
};

describe('KafkaOrderPublisher with no broker', () => {
  test('publish fails fast naming kafka, and the reconnect loop keeps trying', async () => {
    const { logger, lines } = captureLogger();
    // Port 1 on loopback: nothing listens, connections are refused at once.
    const publisher = new KafkaOrderPublisher({
      brokers: ['127.0.0.1:1'],
      topic: 'orders',
      logger,
      reconnectDelayMs: 100,
    });
    publisher.start();
    try {
      const started = Date.now();
      await assert.rejects(publisher.publish(ORDER), /kafka at 127\.0\.0\.1:1 not connected/);
      assert.ok(Date.now() - started < 2500, 'publish must not hold the order');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const attempts = lines.filter((l) => /kafka unreachable/.test(l.message)).length;
      assert.ok(attempts >= 2, `expected repeated connection attempts, saw ${attempts}`);
    } finally {
      await publisher.close();
    }
  });
});
