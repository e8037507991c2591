import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { FLAG, numberFlag } from '@astroshop/flags';
import type { ConsumedOrder } from '@astroshop/kafka';
import type { Logger } from '@astroshop/service-kit';
import { ATTR, activeSpan } from '@astroshop/telemetry';

export interface Detector {
  handle(consumed: ConsumedOrder): Promise<void>;
  count(): number;
}

/**
 * No real fraud logic (as in the original): count the orders. With
 * kafkaQueueProblems on, each record costs an extra `delayMs`, so the
 * consumer falls behind the duplicated publishes and lag builds up.
 */
export function createDetector(logger: Logger, delayMs = 1000): Detector {
  let total = 0;
  return {
    count: () => total,
    async handle({ order, signal }) {
      const problems = await numberFlag(FLAG.kafkaQueueProblems, 0, { targetingKey: randomUUID() });
      if (problems > 0) {
        logger.info(`FeatureFlag '${FLAG.kafkaQueueProblems}' is enabled, sleeping 1 second`);
        // Rejects on shutdown: the record is then redelivered, not counted twice here.
        await sleep(delayMs, undefined, { signal });
      }
      total += 1;
      activeSpan()?.setAttribute(ATTR.orderId, order.orderId);
      logger.info(
        { [ATTR.orderId]: order.orderId, total },
        `Consumed record with orderId: ${order.orderId}, and updated total count to: ${total}`,
      );
    },
  };
}
