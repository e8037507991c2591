import type { ConsumedOrder } from '@astroshop/kafka';
import type { Logger } from '@astroshop/service-kit';
import { ATTR, withSpan } from '@astroshop/telemetry';
import { trace } from '@opentelemetry/api';
import { type Database, saveOrder } from './ledger.ts';

/**
 * One consumed order: span `order-consumed` (inside the kafkajs `process`
 * span, hence in the producer's trace), log it, record it. A duplicate is one
 * info line; database failures propagate so the consumer keeps the record.
 */
export function orderHandler(logger: Logger, db: Database | undefined) {
  const tracer = trace.getTracer('accounting');
  return ({ order }: ConsumedOrder) =>
    withSpan(tracer, 'order-consumed', async (span) => {
      span.setAttributes({ [ATTR.orderId]: order.orderId, [ATTR.orderItemsCount]: order.items.length });
      logger.info(
        { [ATTR.eventName]: 'accounting.order.received', [ATTR.orderId]: order.orderId, order },
        `Order details: ${order.orderId}.`,
      );
      if (!db) return;
      const outcome = await saveOrder(db, order);
      if (outcome === 'duplicate') {
        span.addEvent('duplicate order skipped');
        logger.info(
          { [ATTR.eventName]: 'accounting.order.duplicate_skipped', [ATTR.orderId]: order.orderId },
          'Duplicate order received, skipping.',
        );
      }
    });
}
