import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PoisonMessageError } from '@astroshop/kafka';
import type { OrderResult } from '@astroshop/proto';
import { type Database, isRetriableDbError, ledgerRows, saveOrder } from '../src/ledger.ts';

const order = (id = 'order-1'): OrderResult => ({
  orderId: id,
  shippingTrackingId: `track-${id}`,
  shippingCost: { currencyCode: 'USD', units: 26, nanos: 970_000_000 },
  shippingAddress: { streetAddress: '1 Main', city: 'Town', state: 'CA', country: 'US', zipCode: '94000' },
  items: [
    {
      item: { productId: 'OLJCESPC7Z', quantity: 2 },
      cost: { currencyCode: 'USD', units: 101, nanos: 960_000_000 },
    },
    {
      item: { productId: 'L9ECAV7KIM', quantity: 1 },
      cost: { currencyCode: 'USD', units: 21, nanos: 950_000_000 },
    },
  ],
});

/** Enough of Postgres to see statements, the order key and transactions. */
function fakeDatabase(options: { failOn?: RegExp; error?: Error } = {}) {
  const committed = new Set<string>();
  const statements: string[] = [];
  const released: unknown[] = [];
  const db: Database = {
    async connect() {
      let pending: string | undefined;
      return {
        async query(text: string, values: unknown[] = []) {
          statements.push(text.split(' (')[0] ?? text);
          if (options.failOn?.test(text)) throw options.error ?? new Error('boom');
          if (text.includes('"order"')) {
            if (committed.has(String(values[0]))) return { rowCount: 0, rows: [] };
            pending = String(values[0]);
          }
          if (text === 'COMMIT' && pending) committed.add(pending);
          return { rowCount: 1, rows: [] };
        },
        release(error?: Error | boolean) {
          released.push(error);
        },
      };
    },
  };
  return { db, committed, statements, released };
}

describe('saveOrder', () => {
  test('writes order, one row per item and shipping in one transaction', async () => {
    const { db, committed, statements, released } = fakeDatabase();
    assert.equal(await saveOrder(db, order()), 'saved');
    assert.deepEqual(statements, [
      'BEGIN',
      'INSERT INTO accounting."order"',
      'INSERT INTO accounting.orderitem',
      'INSERT INTO accounting.orderitem',
      'INSERT INTO accounting.shipping',
      'COMMIT',
    ]);
    assert.ok(committed.has('order-1'));
    assert.deepEqual(released, [undefined]);
  });

  test('the same order again is a duplicate: rolled back, nothing else written', async () => {
    const { db, statements } = fakeDatabase();
    await saveOrder(db, order());
    statements.length = 0;
    assert.equal(await saveOrder(db, order()), 'duplicate');
    assert.deepEqual(statements, ['BEGIN', 'INSERT INTO accounting."order"', 'ROLLBACK']);
  });

  test('a failure mid-transaction rolls back and rethrows', async () => {
    const failure = Object.assign(new Error('terminating connection'), { code: '57P01' });
    const { db, statements, committed } = fakeDatabase({ failOn: /shipping/, error: failure });
    await assert.rejects(saveOrder(db, order()), /terminating connection/);
    assert.equal(statements.at(-1), 'ROLLBACK');
    assert.equal(committed.size, 0);
  });
});

describe('ledgerRows', () => {
  test('maps the columns of spec §2.20', () => {
    const rows = ledgerRows(order());
    assert.deepEqual(rows.items[0], ['USD', 101, 960_000_000, 'OLJCESPC7Z', 2, 'order-1']);
    assert.deepEqual(rows.shipping, [
      'track-order-1',
      'USD',
      26,
      970_000_000,
      '1 Main',
      'Town',
      'CA',
      'US',
      '94000',
      'order-1',
    ]);
  });

  test('a product listed twice becomes one line with the quantities summed', () => {
    const o = order();
    o.items.push({ item: { productId: 'OLJCESPC7Z', quantity: 3 }, cost: o.items[0]!.cost });
    const rows = ledgerRows(o);
    assert.equal(rows.items.length, 2);
    assert.equal(rows.items[0]![4], 5);
  });

  test('orders the tables cannot hold are poison', () => {
    assert.throws(() => ledgerRows({ ...order(), orderId: '' }), PoisonMessageError);
    assert.throws(() => ledgerRows({ ...order(), shippingTrackingId: '' }), /shipping_tracking_id/);
    assert.throws(
      () => ledgerRows({ ...order(), shippingCost: undefined }),
      /shipping_cost: money is missing/,
    );
  });
});

test('retriable: database unreachable or restarting; not: bad data or bugs', () => {
  const coded = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  assert.equal(isRetriableDbError(coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')), true);
  assert.equal(
    isRetriableDbError(coded('57P01', 'terminating connection due to administrator command')),
    true,
  );
  assert.equal(isRetriableDbError(coded('57P03', 'the database system is starting up')), true);
  assert.equal(isRetriableDbError(coded('08006')), true);
  assert.equal(isRetriableDbError(new Error('timeout exceeded when trying to connect')), true);
  assert.equal(isRetriableDbError(new Error('Connection terminated unexpectedly')), true);
  assert.equal(isRetriableDbError(coded('23505', 'duplicate key value')), false);
  assert.equal(isRetriableDbError(coded('22003', 'out of range')), false);
  assert.equal(isRetriableDbError(new TypeError('x is undefined')), false);
  assert.equal(isRetriableDbError(new PoisonMessageError('bad')), false);
});
