import { PoisonMessageError } from '@astroshop/kafka';
import type { Money } from '@astroshop/money';
import { moneyProblem } from '@astroshop/money';
import type { OrderResult } from '@astroshop/proto';

/** The slice of pg's Pool/PoolClient the ledger needs (a fake in unit tests). */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null; rows: unknown[] }>;
}
export interface Database {
  connect(): Promise<Queryable & { release(error?: Error | boolean): void }>;
}

export type SaveOutcome = 'saved' | 'duplicate';

function checkMoney(money: Money | undefined, field: string): Money {
  const problem = moneyProblem(money);
  if (problem || !money) throw new PoisonMessageError(`${field}: ${problem ?? 'missing'}`);
  return money;
}

/** Rows of one order; throws PoisonMessageError for an order the tables cannot hold. */
export function ledgerRows(order: OrderResult) {
  if (!order.orderId) throw new PoisonMessageError('order_id is missing');
  if (!order.shippingTrackingId) throw new PoisonMessageError('shipping_tracking_id is missing');
  const shippingCost = checkMoney(order.shippingCost, 'shipping_cost');
  // The table's key is (order_id, product_id): a product listed twice is one line.
  const lines = new Map<string, { cost: Money; quantity: number }>();
  order.items.forEach((line, index) => {
    const productId = line.item?.productId;
    if (!productId) throw new PoisonMessageError(`items.${index}.item.product_id is missing`);
    const cost = checkMoney(line.cost, `items.${index}.cost`);
    const quantity = line.item?.quantity ?? 0;
    const existing = lines.get(productId);
    lines.set(productId, { cost, quantity: (existing?.quantity ?? 0) + quantity });
  });
  const address = order.shippingAddress;
  return {
    orderId: order.orderId,
    items: [...lines].map(([productId, { cost, quantity }]) => [
      cost.currencyCode,
      cost.units,
      cost.nanos,
      productId,
      quantity,
      order.orderId,
    ]),
    shipping: [
      order.shippingTrackingId,
      shippingCost.currencyCode,
      shippingCost.units,
      shippingCost.nanos,
      address?.streetAddress ?? '',
      address?.city ?? '',
      address?.state ?? '',
      address?.country ?? '',
      address?.zipCode ?? '',
      order.orderId,
    ],
  };
}

const INSERT_ORDER =
  'INSERT INTO accounting."order" (order_id) VALUES ($1) ON CONFLICT (order_id) DO NOTHING';
const INSERT_ITEM =
  'INSERT INTO accounting.orderitem (item_cost_currency_code, item_cost_units, item_cost_nanos, product_id, quantity, order_id) VALUES ($1, $2, $3, $4, $5, $6)';
const INSERT_SHIPPING =
  'INSERT INTO accounting.shipping (shipping_tracking_id, shipping_cost_currency_code, shipping_cost_units, shipping_cost_nanos, street_address, city, state, country, zip_code, order_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)';

/**
 * Writes the order, its items and its shipping in one transaction. An order
 * id already recorded (kafkaQueueProblems republishes the same order) is a
 * duplicate: nothing is written and no error is raised. ON CONFLICT makes the
 * check race-free when two consumers see copies at once.
 */
export async function saveOrder(db: Database, order: OrderResult): Promise<SaveOutcome> {
  const rows = ledgerRows(order);
  const client = await db.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const inserted = await client.query(INSERT_ORDER, [rows.orderId]);
    if (inserted.rowCount === 0) {
      await client.query('ROLLBACK');
      return 'duplicate';
    }
    for (const item of rows.items) await client.query(INSERT_ITEM, item);
    await client.query(INSERT_SHIPPING, rows.shipping);
    await client.query('COMMIT');
    return 'saved';
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    // A connection that failed mid-transaction is discarded, not reused.
    client.release(broken);
  }
}

// SQLSTATE classes that mean "the database is (temporarily) not there":
// 08 connection exception, 53 insufficient resources, 57 operator
// intervention (shutdown, starting up), 40 transaction rollback (deadlock,
// serialization). Anything else with a SQLSTATE is about the data.
const TRANSIENT_CLASSES = new Set(['08', '53', '57', '40']);

/** True when waiting and retrying can make the write succeed. */
export function isRetriableDbError(error: unknown): boolean {
  if (error instanceof PoisonMessageError) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_CLASSES.has(code.slice(0, 2));
  // Socket errors (ECONNREFUSED, ETIMEDOUT, EAI_AGAIN…) and pg's own
  // connection messages; a bug (TypeError) must not hold the partition forever.
  if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /connect|connection|terminated|timeout|timed out/i.test(message);
}
