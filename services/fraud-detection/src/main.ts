import { closeFlags, startFlags } from '@astroshop/flags';
import {
  consumerHealth,
  createKafka,
  parseBrokers,
  startLagGauge,
  startOrderConsumer,
} from '@astroshop/kafka';
import { runService } from '@astroshop/service-kit';
import { loadConfig } from './config.ts';
import { createDetector } from './detector.ts';

const GROUP_ID = 'fraud-detection';

await runService('fraud-detection', async (logger) => {
  const config = loadConfig();
  startFlags();
  const brokers = parseBrokers(config.KAFKA_ADDR);
  const kafka = createKafka({ clientId: 'fraud-detection', brokers, logger });
  const detector = createDetector(logger);
  const consumer = startOrderConsumer({
    kafka,
    brokers,
    groupId: GROUP_ID,
    topic: config.KAFKA_TOPIC,
    logger,
    eventPrefix: 'fraud_detection',
    handle: (consumed) => detector.handle(consumed),
  });
  // kafka.consumer.lag{messaging.consumer.group.name="fraud-detection"}: the lag kafkaQueueProblems builds.
  const lag = startLagGauge({ kafka, groupId: GROUP_ID, topic: config.KAFKA_TOPIC, logger });
  // GET /health for orchestrators: 200 while joined to the group and fetching.
  const health = await consumerHealth(consumer);
  return { resources: [...health, consumer, lag, { close: closeFlags }] };
});
