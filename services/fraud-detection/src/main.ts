import { closeFlags, startFlags } from '@astroshop/flags';
import { startConsumerService } from '@astroshop/kafka';
import { runService } from '@astroshop/service-kit';
import { loadConfig } from './config.ts';
import { createDetector } from './detector.ts';

await runService('fraud-detection', async (logger) => {
  const config = loadConfig();
  startFlags();
  const detector = createDetector(logger);
  // Also exports kafka.consumer.lag{messaging.consumer.group.name="fraud-detection"}:
  // the lag kafkaQueueProblems builds.
  const consumer = await startConsumerService({
    groupId: 'fraud-detection',
    kafkaAddr: config.KAFKA_ADDR,
    topic: config.KAFKA_TOPIC,
    logger,
    eventPrefix: 'fraud_detection',
    handle: (consumed) => detector.handle(consumed),
  });
  return { resources: [...consumer, { close: closeFlags }] };
});
