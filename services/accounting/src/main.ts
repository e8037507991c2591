import { startConsumerService } from '@astroshop/kafka';
import { runService } from '@astroshop/service-kit';
import { loadConfig } from './config.ts';
import { orderHandler } from './consume.ts';
import { createLedgerPool } from './database.ts';
import { isRetriableDbError } from './ledger.ts';

await runService('accounting', async (logger) => {
  const config = loadConfig();
  const pool = config.DB_CONNECTION_STRING
    ? createLedgerPool(config.DB_CONNECTION_STRING, logger)
    : undefined;
  if (!pool) logger.warn('DB_CONNECTION_STRING not set: orders are logged, not recorded');

  const consumer = await startConsumerService({
    groupId: 'accounting',
    kafkaAddr: config.KAFKA_ADDR,
    topic: config.KAFKA_TOPIC,
    logger,
    eventPrefix: 'accounting',
    handle: orderHandler(logger, pool),
    isRetriable: isRetriableDbError,
  });
  return { resources: [...consumer, { close: async () => pool?.end() }] };
});
