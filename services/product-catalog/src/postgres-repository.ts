import type { Product } from '@astroshop/proto';
import { type Drainable, type Logger, unavailable } from '@astroshop/service-kit';
import { connectInCallerContext } from '@astroshop/telemetry';
import pg from 'pg';
import { likePattern, type ProductRepository, type ProductRow, productFromRow } from './products.ts';

const COLUMNS = 'id, name, description, picture, price_currency_code, price_units, price_nanos, categories';

export interface PostgresOptions {
  connectionString: string;
  queryTimeoutMs: number;
  poolMax: number;
  logger: Logger;
}

/**
 * catalog.products through a pg Pool. Every query is parameterised and bounded
 * twice: `statement_timeout` stops it in the server, `query_timeout` in the
 * client (for when the server itself is gone). The pool replaces broken
 * connections on its own, which is what brings the service back after a
 * Postgres restart.
 */
export class PostgresProductRepository implements ProductRepository, Drainable {
  private readonly pool: pg.Pool;

  constructor(options: PostgresOptions) {
    // A query that waited for a free connection must stay in its own request's trace.
    this.pool = connectInCallerContext(
      new pg.Pool({
        connectionString: options.connectionString,
        max: options.poolMax,
        connectionTimeoutMillis: Math.min(options.queryTimeoutMs, 2000),
        idleTimeoutMillis: 30_000,
        query_timeout: options.queryTimeoutMs,
        statement_timeout: options.queryTimeoutMs,
        application_name: 'product-catalog',
      }),
    );
    // An idle client whose server went away emits here; without a listener
    // that event would crash the process instead of being replaced later.
    this.pool.on('error', (error) =>
      options.logger.warn({ err: error }, 'idle postgres connection lost; the pool will reconnect'),
    );
  }

  async list(): Promise<Product[]> {
    const { rows } = await this.query(`SELECT ${COLUMNS} FROM catalog.products ORDER BY id`);
    return rows.map(productFromRow);
  }

  async get(id: string): Promise<Product | undefined> {
    const { rows } = await this.query(`SELECT ${COLUMNS} FROM catalog.products WHERE id = $1`, [id]);
    return rows[0] ? productFromRow(rows[0]) : undefined;
  }

  async search(query: string): Promise<Product[]> {
    const { rows } = await this.query(
      `SELECT ${COLUMNS} FROM catalog.products
        WHERE LOWER(name) LIKE $1 ESCAPE '\\' OR LOWER(COALESCE(description, '')) LIKE $1 ESCAPE '\\'
        ORDER BY id`,
      [likePattern(query)],
    );
    return rows.map(productFromRow);
  }

  async ping(): Promise<boolean> {
    await this.pool.query('SELECT 1');
    return true;
  }

  /** Runs a query; an unreachable database becomes UNAVAILABLE naming it, other errors pass through. */
  private async query(sql: string, params: unknown[] = []): Promise<{ rows: ProductRow[] }> {
    try {
      return await this.pool.query<ProductRow>(sql, params);
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        const reason = error instanceof Error ? error.message : String(error);
        throw unavailable(`product catalog database (postgres) unavailable: ${reason}`, error);
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

// SQLSTATE classes meaning "the database is not there right now" rather than
// "this query is wrong": 08 connection exception, 57P0x shutdown/recovery,
// 53 insufficient resources, 57014 statement timeout (it is not answering in time).
const UNAVAILABLE_SQLSTATE = /^(08|53|57P0|57014)/;
const UNAVAILABLE_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|Query read timeout|connect ECONN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|the database system is (starting up|shutting down)|Client has encountered a connection error/i;

/** True when a pg error means the database is unreachable (worth retrying later). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNAVAILABLE_SQLSTATE.test(code)) return true;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  return UNAVAILABLE_MESSAGE.test(error.message);
}
