import {
  consumerHealth,
  createKafka,
  parseBrokers,
  startLagGauge,
  startOrderConsumer,
} from '@astroshop/kafka';
import { runService } from '@astroshop/service-kit';
import pg from 'pg';
import { loadConfig } from './config.ts';
import { orderHandler } from './consume.ts';
import { isRetriableDbError } from './ledger.ts';

const GROUP_ID = 'accounting';

await runService('accounting', async (logger) => {
  const config = loadConfig();
  const brokers = parseBrokers(config.KAFKA_ADDR);
  const pool = config.DB_CONNECTION_STRING
    ? new pg.Pool({
        connectionString: config.DB_CONNECTION_STRING,
        max: 4,
        connectionTimeoutMillis: 5000,
        query_timeout: 10_000,
        statement_timeout: 10_000,
        idleTimeoutMillis: 30_000,
      })
    : undefined;
  // An idle connection dropped by a Postgres restart must not crash the process.
  pool?.on('error', (error) => logger.warn({ err: error }, `postgres connection lost: ${error.message}`));
  if (!pool) logger.warn('DB_CONNECTION_STRING not set: orders are logged, not recorded');

  const kafka = createKafka({ clientId: 'accounting', brokers, logger });
  const consumer = startOrderConsumer({
    kafka,
    brokers,
    groupId: GROUP_ID,
    topic: config.KAFKA_TOPIC,
    logger,
    eventPrefix: 'accounting',
    handle: orderHandler(logger, pool),
    isRetriable: isRetriableDbError,
  });
  const lag = startLagGauge({ kafka, groupId: GROUP_ID, topic: config.KAFKA_TOPIC, logger });
  // GET /health for orchestrators: 200 while joined to the group and fetching.
  const health = await consumerHealth(consumer);
  return { resources: [...health, consumer, lag, { close: async () => pool?.end() }] };
});
