import type { Drainable, Logger } from '@astroshop/service-kit';
import { createKafka, parseBrokers } from './client.ts';
import { type OrderConsumerOptions, startOrderConsumer } from './consumer.ts';
import { consumerHealth } from './health.ts';
import { startLagGauge } from './lag.ts';

/**
 * Everything an `orders` consumer process runs besides its handler: the
 * client, the consumer group (group id = client id), the
 * `kafka.consumer.lag` gauge and GET /health. Returns the drain order for
 * runService: health first, then the consumer, then the lag poller.
 */
export async function startConsumerService(
  options: { groupId: string; kafkaAddr: string; topic: string; logger: Logger } & Pick<
    OrderConsumerOptions,
    'eventPrefix' | 'handle' | 'isRetriable'
  >,
): Promise<Drainable[]> {
  const { groupId, topic, logger } = options;
  const brokers = parseBrokers(options.kafkaAddr);
  const kafka = createKafka({ clientId: groupId, brokers, logger });
  const consumer = startOrderConsumer({
    kafka,
    brokers,
    groupId,
    topic,
    logger,
    eventPrefix: options.eventPrefix,
    handle: options.handle,
    ...(options.isRetriable ? { isRetriable: options.isRetriable } : {}),
  });
  const lag = startLagGauge({ kafka, groupId, topic, logger });
  const health = await consumerHealth(consumer);
  return [...health, consumer, lag];
}
