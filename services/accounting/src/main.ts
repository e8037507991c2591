import { startConsumerService } from '@astroshop/kafka';
import { runService } from '@astroshop/service-kit';
import { connectInCallerContext } from '@astroshop/telemetry';
import pg from 'pg';
import { loadConfig } from './config.ts';
import { orderHandler } from './consume.ts';
import { isRetriableDbError } from './ledger.ts';

await runService('accounting', async (logger) => {
  const config = loadConfig();
  const pool = config.DB_CONNECTION_STRING
    ? // A query that waited for a free connection must stay in its own order's trace.
      connectInCallerContext(
        new pg.Pool({
          connectionString: config.DB_CONNECTION_STRING,
          max: 4,
          connectionTimeoutMillis: 5000,
          query_timeout: 10_000,
          statement_timeout: 10_000,
          idleTimeoutMillis: 30_000,
        }),
      )
    : undefined;
  // An idle connection dropped by a Postgres restart must not crash the process.
  pool?.on('error', (error) => logger.warn({ err: error }, `postgres connection lost: ${error.message}`));
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
