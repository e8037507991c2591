import type { Logger } from '@astroshop/service-kit';
import { connectInCallerContext } from '@astroshop/telemetry';
import pg from 'pg';

/**
 * The ledger's connection pool, safe against a database that goes away.
 *
 * Why the per-connection listener: pg-pool listens for `error` only on idle
 * connections and removes that listener while a connection is checked out.
 * The ledger holds one across a whole transaction (`pool.connect()`), and a
 * Postgres shutdown in that window ("terminating connection due to
 * administrator command", then the socket's end) makes the client emit
 * `error` with nobody listening — which stops the process. The queries in
 * flight are rejected anyway, so the order is retried; the event itself only
 * needs to be logged.
 */
export function createLedgerPool(
  connectionString: string,
  logger: Logger,
  Client?: typeof pg.Client,
): pg.Pool {
  const pool = connectInCallerContext(
    new pg.Pool({
      connectionString,
      max: 4,
      connectionTimeoutMillis: 5000,
      query_timeout: 10_000,
      statement_timeout: 10_000,
      idleTimeoutMillis: 30_000,
      ...(Client ? { Client } : {}),
    }),
  );
  const lost = (error: Error) => logger.warn({ err: error }, `postgres connection lost: ${error.message}`);
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  return pool;
}
