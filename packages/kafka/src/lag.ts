import type { Drainable, Logger } from '@astroshop/service-kit';
import { ATTR, METRIC } from '@astroshop/telemetry';
import { metrics } from '@opentelemetry/api';
import type { Admin, Kafka } from 'kafkajs';

export interface PartitionLag {
  partition: number;
  lag: number;
}

/**
 * Lag per partition = high watermark − the group's committed offset. A group
 * that has committed nothing yet (`-1`) starts from the earliest offset, so
 * everything still retained counts as lag.
 */
export function computeLag(
  watermarks: ReadonlyArray<{ partition: number; high: string; low: string }>,
  committed: ReadonlyArray<{ partition: number; offset: string }>,
): PartitionLag[] {
  const committedBy = new Map(committed.map((c) => [c.partition, Number(c.offset)]));
  return watermarks
    .map(({ partition, high, low }) => {
      const end = Number(high);
      const position = committedBy.get(partition);
      const from = position === undefined || position < 0 ? Number(low) : position;
      return { partition, lag: Math.max(0, end - from) };
    })
    .sort((a, b) => a.partition - b.partition);
}

/**
 * Observable gauge `kafka.consumer.lag` (unit `{message}`, attributes
 * messaging.consumer.group.name, messaging.destination.name,
 * messaging.destination.partition.id), refreshed from the broker every
 * `intervalMs`. While Kafka is unreachable nothing is reported rather than a
 * stale value.
 */
export function startLagGauge(options: {
  kafka: Kafka;
  groupId: string;
  topic: string;
  logger: Logger;
  intervalMs?: number;
}): Drainable {
  const { kafka, groupId, topic, logger } = options;
  let latest: PartitionLag[] = [];
  let admin: Admin | undefined;
  let healthy = true;
  let polling = false;

  const gauge = metrics.getMeter('astroshop.kafka').createObservableGauge(METRIC.kafkaConsumerLag, {
    unit: '{message}',
    description: 'Messages on the topic not yet committed by the consumer group',
  });
  const observe = (result: {
    observe: (value: number, attributes: Record<string, string | number>) => void;
  }) => {
    for (const { partition, lag } of latest) {
      result.observe(lag, {
        [ATTR.messagingConsumerGroup]: groupId,
        [ATTR.messagingDestinationName]: topic,
        [ATTR.messagingPartitionId]: String(partition),
      });
    }
  };
  gauge.addCallback(observe);

  const poll = async () => {
    if (polling) return;
    polling = true;
    try {
      if (!admin) {
        admin = kafka.admin();
        await admin.connect();
      }
      const [watermarks, groups] = await Promise.all([
        admin.fetchTopicOffsets(topic),
        admin.fetchOffsets({ groupId, topics: [topic] }),
      ]);
      latest = computeLag(watermarks, groups.find((g) => g.topic === topic)?.partitions ?? []);
      if (!healthy) logger.info({ topic, groupId }, 'consumer lag measurable again');
      healthy = true;
    } catch (error) {
      latest = [];
      if (healthy)
        logger.warn(
          { err: error, topic, groupId },
          `cannot measure consumer lag: ${(error as Error).message}`,
        );
      healthy = false;
      await admin?.disconnect().catch(() => undefined);
      admin = undefined;
    } finally {
      polling = false;
    }
  };

  const timer = setInterval(() => void poll(), options.intervalMs ?? 5000);
  timer.unref();
  void poll();

  return {
    close: async () => {
      clearInterval(timer);
      gauge.removeCallback(observe);
      await admin?.disconnect().catch(() => undefined);
    },
  };
}
