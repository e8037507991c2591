import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Logger } from '@astroshop/service-kit';
import { OrderProducer } from '../src/index.ts';

const ORDER = {
  orderId: 'o-1',
  shippingTrackingId: 't-1',
  shippingCost: undefined,
  shippingAddress: undefined,
  items: [],
};

/** A logger that keeps each line's message. */
function captureLogger(): { logger: Logger; messages: string[] } {
  const messages: string[] = [];
  const line = (fieldsOrMessage: unknown, message?: string) => {
    messages.push(typeof fieldsOrMessage === 'string' ? fieldsOrMessage : (message ?? ''));
  };
  const logger = { debug: line, info: line, warn: line, error: line, fatal: line, child: () => logger };
  return { logger: logger as unknown as Logger, messages };
}

describe('OrderProducer with no broker', () => {
  test('publish fails fast naming kafka, and the reconnect loop keeps trying', {
    timeout: 30_000,
  }, async () => {
    const { logger, messages } = captureLogger();
    // Port 1 on loopback: nothing listens, connections are refused at once.
    const producer = new OrderProducer({
      clientId: 'checkout',
      brokers: ['127.0.0.1:1'],
      topic: 'orders',
      logger,
      reconnectDelayMs: 100,
    });
    producer.start();
    try {
      await assert.rejects(producer.publish(ORDER), /kafka at 127\.0\.0\.1:1 not connected/);
      // Two failed connection attempts: the loop keeps trying without a publish asking.
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (messages.filter((m) => /kafka unreachable/.test(m)).length >= 2) {
            clearInterval(poll);
            resolve();
          }
        }, 50);
      });
    } finally {
      await producer.close();
    }
  });
});
