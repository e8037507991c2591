// PlaceOrder across the real services: exact totals, one trace through every
// hop, the order in accounting's table, and the two checkout flags.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CartServiceClient,
  CheckoutServiceClient,
  createClient,
  type OrderItem,
  ProductCatalogServiceClient,
  unary,
} from '@astroshop/proto';
import { Metadata } from '@grpc/grpc-js';
import pg from 'pg';
import { eventually, type FoundSpan, getTrace } from './lib/backends.ts';
import { orderRequest } from './lib/orders.ts';

/** Every order this file places: USD, a test address (orderRequest in test/lib). */
const ORDER_AS = { currency: 'USD', email: 'stack-test@example.com' };

const repoRoot = join(import.meta.dirname, '..');
const FLAG_FILE = join(repoRoot, 'flagd/demo.flagd.json');
const PORTS = {
  checkout: 5050,
  cart: 7070,
  'product-catalog': 3550,
  currency: 7001,
  payment: 50051,
  shipping: 50050,
  quote: 8090,
  email: 6060,
};
const CORE = ['checkout', 'cart', 'product-catalog', 'currency', 'payment', 'shipping', 'quote'] as const;

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, timeout: 500 });
    socket.once('connect', () => resolve(socket.destroy() === socket));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => resolve(socket.destroy() !== socket));
  });
}

/** Consumers have no port; a process running their entry point is the sign they are up. */
function processRunning(service: string): boolean {
  // The source (tests, images) or its bundle (the native runner, scripts/bundle).
  const needles = [`services/${service}/src/main.ts`, `services/${service}/dist/main.mjs`];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (needles.some((needle) => cmdline.includes(needle))) return true;
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}

/** Flips one flag's default variant (atomically: flagd watches the file) and gives back a restore. */
function setFlag(key: string, variant: string): () => void {
  const write = (mutate: (flags: Record<string, { defaultVariant: string }>) => void) => {
    const doc = JSON.parse(readFileSync(FLAG_FILE, 'utf8'));
    mutate(doc.flags);
    const temp = `${FLAG_FILE}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify(doc, null, 2)}\n`);
    renameSync(temp, FLAG_FILE);
  };
  let previous = '';
  write((flags) => {
    previous = flags[key]!.defaultVariant;
    flags[key]!.defaultVariant = variant;
  });
  return () =>
    write((flags) => {
      flags[key]!.defaultVariant = previous;
    });
}

const nanosOf = (m: { units: number; nanos: number }) => BigInt(m.units) * 1_000_000_000n + BigInt(m.nanos);

const up: Record<string, boolean> = {};
const cart = createClient(CartServiceClient, '127.0.0.1:7070');
const catalog = createClient(ProductCatalogServiceClient, '127.0.0.1:3550');
const checkout = createClient(CheckoutServiceClient, '127.0.0.1:5050');
const addItem = unary(cart.addItem, cart);
const getCart = unary(cart.getCart, cart);
const getProduct = unary(catalog.getProduct, catalog);
const placeOrder = unary(checkout.placeOrder, checkout);

const PRODUCTS = [
  { productId: 'OLJCESPC7Z', quantity: 2 },
  { productId: '66VCHSJNUP', quantity: 1 },
  { productId: '9SIQT8TOJO', quantity: 3 },
];

async function fillCart(userId: string): Promise<void> {
  for (const item of PRODUCTS) await addItem({ userId, item }, { timeoutMs: 3000 });
}

/** A traceparent we choose, so the test knows which trace to fetch from Jaeger. */
function tracedCall(): { metadata: Metadata; traceId: string } {
  const traceId = randomBytes(16).toString('hex');
  const metadata = new Metadata();
  metadata.set('traceparent', `00-${traceId}-${randomBytes(8).toString('hex')}-01`);
  return { metadata, traceId };
}

async function ordersInAccounting(orderId: string): Promise<number> {
  const client = new pg.Client({
    connectionString: 'postgres://astronomy_user:astronomy_password@127.0.0.1:5432/astronomy_db',
  });
  await client.connect();
  try {
    const result = await client.query(
      'SELECT count(*)::int AS n FROM accounting."order" WHERE order_id = $1',
      [orderId],
    );
    return result.rows[0].n as number;
  } finally {
    await client.end();
  }
}

before(async () => {
  for (const [name, port] of Object.entries(PORTS)) up[name] = await listening(port);
  up.accounting = processRunning('accounting');
  up['fraud-detection'] = processRunning('fraud-detection');
});
after(() => {
  for (const client of [cart, catalog, checkout]) client.close();
});

/** Components `make start` started that do not answer: a stack test fails on them, it never skips. */
const notServing = () => Object.keys(up).filter((name) => !up[name]);

describe('checkout PlaceOrder on the stack', () => {
  test('an order has exact totals and one trace through every service', async () => {
    assert.deepEqual(notServing(), [], 'components started by make start are not serving');
    const userId = `stack-checkout-${Date.now()}`;
    await fillCart(userId);
    const { metadata, traceId } = tracedCall();
    const { order } = await placeOrder(orderRequest(userId, ORDER_AS), { metadata, timeoutMs: 20_000 });
    assert.ok(order);
    assert.match(order.orderId, /^[0-9a-f-]{36}$/);
    assert.ok(order.shippingTrackingId, 'a tracking id');

    // Recompute from the catalog: items at catalog price, shipping 8.99 per unit (quote's rule).
    let goods = 0n;
    for (const { productId, quantity } of PRODUCTS) {
      const product = await getProduct({ id: productId }, { timeoutMs: 3000 });
      const line: OrderItem | undefined = order.items.find((i) => i.item?.productId === productId);
      assert.deepEqual(line?.cost, product.priceUsd, `unit cost of ${productId}`);
      assert.equal(line?.item?.quantity, quantity);
      goods += nanosOf(product.priceUsd!) * BigInt(quantity);
    }
    const units = PRODUCTS.reduce((n, p) => n + p.quantity, 0);
    assert.equal(nanosOf(order.shippingCost!), 8_990_000_000n * BigInt(units));
    const total = goods + nanosOf(order.shippingCost!);
    assert.deepEqual((await getCart({ userId })).items, [], 'the cart is emptied');

    const expected = [...CORE, 'email', 'accounting'];
    const spans = await eventually(
      'the order trace with every service',
      async () => {
        const found = await getTrace(traceId);
        const services = new Set(found.map((s) => s.service));
        return expected.every((name) => services.has(name)) ? found : undefined;
      },
      60_000,
      2000,
    );
    assert.ok(spans.every((s) => s.traceId === traceId));

    const placeOrderSpan = spans.find((s) => s.service === 'checkout' && s.kind === 2) as FoundSpan;
    // Jaeger does not keep event order, so presence is what can be asserted.
    const events = new Set(placeOrderSpan.events.map((e) => e.name));
    for (const name of ['prepared', 'charged', 'shipped']) assert.ok(events.has(name), `event ${name}`);
    assert.equal(placeOrderSpan.attributes['demo.order.id'], order.orderId);
    assert.equal(placeOrderSpan.attributes['demo.order.amount'], Number(total) / 1e9);
    assert.equal(placeOrderSpan.attributes['demo.shipping.tracking.id'], order.shippingTrackingId);
    // The collector's redaction: masked number, no cvv, email replaced by its hash.
    assert.equal(placeOrderSpan.attributes['demo.payment.card_number'], '****-****-****-0454');
    assert.equal(placeOrderSpan.attributes['demo.payment.card_cvv'], undefined);
    assert.equal(placeOrderSpan.attributes['user.email'], undefined);
    assert.match(String(placeOrderSpan.attributes['user.hash']), /^[0-9a-f]{64}$/);

    const charge = spans.find((s) => s.service === 'payment' && s.name === 'charge');
    assert.equal(charge?.attributes['demo.payment.card_type'], 'visa');
    const paymentServer = spans.find((s) => s.service === 'payment' && s.kind === 2);
    assert.equal(paymentServer?.attributes['demo.payment.amount'], (Number(total) / 1e9).toFixed(2));

    const count = await eventually(
      'the order in accounting."order"',
      async () =>
        (await ordersInAccounting(order.orderId)) > 0 ? ordersInAccounting(order.orderId) : undefined,
      30_000,
    );
    assert.equal(count, 1);
  });

  test('paymentUnreachable fails the order UNAVAILABLE and keeps the cart', async () => {
    assert.deepEqual(notServing(), [], 'components started by make start are not serving');
    const userId = `stack-unreachable-${Date.now()}`;
    const restore = setFlag('paymentUnreachable', 'on');
    try {
      const failure = await eventually(
        'PlaceOrder to fail with paymentUnreachable on',
        async () => {
          if ((await getCart({ userId })).items.length === 0) await fillCart(userId);
          try {
            await placeOrder(orderRequest(userId, ORDER_AS), {
              timeoutMs: 20_000,
            });
            return undefined;
          } catch (error) {
            // Only the charge failing counts; anything else (a neighbour restarting) is retried.
            const failure = error as { code: number; details: string };
            return failure.details?.startsWith('failed to charge card') ? failure : undefined;
          }
        },
        20_000,
      );
      assert.equal(failure.code, 14, failure.details);
      assert.match(failure.details, /^failed to charge card: .*badAddress:50051/);
      assert.equal((await getCart({ userId })).items.length, PRODUCTS.length, 'the cart is kept');
    } finally {
      restore();
    }
  });

  test('kafkaQueueProblems publishes 100 extra copies of the order', async () => {
    assert.deepEqual(notServing(), [], 'components started by make start are not serving');
    const restore = setFlag('kafkaQueueProblems', 'on');
    try {
      const userId = `stack-kafka-${Date.now()}`;
      // flagd picks the file up within a moment; the first order may predate it.
      const { sends, orderId } = await eventually(
        'an order published 101 times',
        async () => {
          await fillCart(userId);
          const { metadata, traceId } = tracedCall();
          const { order } = await placeOrder(orderRequest(userId, ORDER_AS), { metadata, timeoutMs: 20_000 });
          const traced = await eventually(
            'the publish spans',
            async () => {
              const spans = await getTrace(traceId);
              const publishes = spans.filter((s) => s.service === 'checkout' && s.name === 'orders publish');
              return publishes.length > 0 &&
                publishes.length ===
                  spans.filter(
                    (s) =>
                      s.name === 'orders publish' &&
                      s.attributes['messaging.kafka.producer.duration_ms'] !== undefined,
                  ).length
                ? spans
                : undefined;
            },
            30_000,
            2000,
          );
          const sends = traced.filter((s) => s.service === 'checkout' && s.name === 'send orders').length;
          return sends > 1 ? { sends, orderId: order!.orderId } : undefined;
        },
        60_000,
        1000,
      );
      assert.equal(sends, 101);
      // Duplicates must not duplicate the order downstream.
      await eventually(
        'the order in accounting',
        async () => ((await ordersInAccounting(orderId)) ? true : undefined),
        30_000,
      );
      assert.equal(await ordersInAccounting(orderId), 1);
    } finally {
      restore();
    }
  });
});
