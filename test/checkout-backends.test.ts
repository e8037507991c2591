// The services checkout calls after charging (shipping → quote, email) and the
// consumers of its Kafka `orders` topic (accounting → Postgres,
// fraud-detection), against the running native stack (`make start`).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { OrderResult } from '@astroshop/proto';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { createSdk, startSdk } from '../packages/telemetry/src/sdk.ts';
import { eventually, getTrace } from './lib/backends.ts';

const repoRoot = join(import.meta.dirname, '..');
const SHIPPING = process.env.SHIPPING_URL ?? 'http://127.0.0.1:50050';
const QUOTE = process.env.QUOTE_URL ?? 'http://127.0.0.1:8090';
const EMAIL = process.env.EMAIL_URL ?? 'http://127.0.0.1:6060';
const KAFKA = process.env.KAFKA_ADDR ?? '127.0.0.1:9092';
const DB =
  process.env.DB_CONNECTION_STRING ??
  'postgres://astronomy_user:astronomy_password@127.0.0.1:5432/astronomy_db';

const post = (url: string, body: unknown) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });

const address = {
  street_address: '1600 Amphitheatre Parkway',
  city: 'Mountain View',
  state: 'CA',
  country: 'United States',
  zip_code: '94043',
};

describe('shipping and quote', () => {
  test('get-quote for 3 items is 26.97 USD, through the real quote', async () => {
    const response = await post(`${SHIPPING}/get-quote`, {
      address,
      items: [
        { product_id: 'OLJCESPC7Z', quantity: 2 },
        { productId: 'L9ECAV7KIM', quantity: 1 },
      ],
    });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), {
      cost_usd: { currency_code: 'USD', units: 26, nanos: 970_000_000 },
    });
  });

  test('ship-order answers a uuid tracking id', async () => {
    const response = await post(`${SHIPPING}/ship-order`, {
      address,
      items: [{ product_id: 'OLJCESPC7Z', quantity: 1 }],
    });
    assert.equal(response.status, 200);
    const { tracking_id } = (await response.json()) as { tracking_id: string };
    assert.match(tracking_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  for (const [url, body, message] of [
    [`${SHIPPING}/get-quote`, { items: [{ product_id: 'A', quantity: 'two' }] }, /quantity/],
    [`${SHIPPING}/ship-order`, '{"items": [', /./],
    [`${QUOTE}/getquote`, { numberOfItems: -3 }, /numberOfItems/],
    [`${EMAIL}/send_order_confirmation`, { order: {} }, /email/],
  ] as const) {
    test(`bad body → 400 JSON from ${url}`, async () => {
      const response = await post(url, body);
      assert.equal(response.status, 400);
      assert.match(((await response.json()) as { error: string }).error, message);
    });
  }
});

describe('email', () => {
  test('renders and sends a confirmation for a real order: 200, empty body', async () => {
    const response = await post(`${EMAIL}/send_order_confirmation`, {
      email: 'stack-test@example.com',
      order: {
        order_id: randomUUID(),
        shipping_tracking_id: randomUUID(),
        shipping_cost: { currency_code: 'USD', units: 8, nanos: 990_000_000 },
        shipping_address: address,
        items: [
          {
            item: { product_id: 'OLJCESPC7Z', quantity: 1 },
            cost: { currency_code: 'USD', units: 101, nanos: 960_000_000 },
          },
        ],
      },
    });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '');
  });
});

describe('orders topic → accounting and fraud-detection', () => {
  const orderId = randomUUID();
  const order: OrderResult = {
    orderId,
    shippingTrackingId: randomUUID(),
    shippingCost: { currencyCode: 'USD', units: 17, nanos: 980_000_000 },
    shippingAddress: { streetAddress: '1 Main', city: 'Town', state: 'CA', country: 'US', zipCode: '94000' },
    items: [
      {
        item: { productId: 'OLJCESPC7Z', quantity: 2 },
        cost: { currencyCode: 'USD', units: 101, nanos: 960_000_000 },
      },
      {
        item: { productId: '66VCHSJNUP', quantity: 1 },
        cost: { currencyCode: 'USD', units: 349, nanos: 950_000_000 },
      },
    ],
  };
  const kafka = new Kafka({
    clientId: 'stack-test',
    brokers: [KAFKA],
    logLevel: logLevel.NOTHING,
    requestTimeout: 10_000,
  });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  const db = new pg.Pool({ connectionString: DB, max: 2, connectionTimeoutMillis: 5000 });
  // The test is the producer: its span is exported so the trace is whole in Jaeger.
  process.env.OTEL_SERVICE_NAME = 'stack-test';
  const sdk = createSdk();
  let traceId = '';
  /** Where the second copy landed: a group that committed past it has consumed both. */
  let lastCopy = { partition: 0, offset: 0 };

  /** Waits (bounded only against a hang) until consumer group `groupId` has committed past both copies. */
  const consumedBoth = async (groupId: string) => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      await eventually(
        `${groupId} to commit past the published copies`,
        async () => {
          const [topic] = await admin.fetchOffsets({ groupId, topics: ['orders'] });
          const partition = topic?.partitions.find((p) => p.partition === lastCopy.partition);
          // The committed offset is the next record to read: past the copy means both were handled.
          return partition && Number(partition.offset) > lastCopy.offset ? true : undefined;
        },
        60_000,
      );
    } finally {
      await admin.disconnect();
    }
  };

  before(async () => {
    startSdk(sdk);
    await producer.connect();
    const span = trace.getTracer('stack-test').startSpan('orders publish', { kind: SpanKind.PRODUCER });
    traceId = span.spanContext().traceId;
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), headers);
    assert.match(headers.traceparent ?? '', new RegExp(traceId));
    const value = Buffer.from(OrderResult.encode(order).finish());
    // Published twice, as kafkaQueueProblems does: the ledger must hold it once.
    await producer.send({ topic: 'orders', messages: [{ value, headers }] });
    const [copy] = await producer.send({ topic: 'orders', messages: [{ value, headers }] });
    assert.ok(copy?.baseOffset !== undefined, 'the broker acknowledged the copy with its offset');
    lastCopy = { partition: copy.partition, offset: Number(copy.baseOffset) };
    span.end();
  });

  after(async () => {
    await producer.disconnect().catch(() => undefined);
    await db.end().catch(() => undefined);
    await sdk.shutdown().catch(() => undefined);
  });

  const count = async (table: string) =>
    Number(
      (await db.query(`SELECT count(*) AS n FROM accounting.${table} WHERE order_id = $1`, [orderId])).rows[0]
        .n,
    );

  test('accounting records the order exactly once, with its items and shipping', async () => {
    await eventually(
      'the order row',
      async () => ((await count('"order"')) === 1 ? true : undefined),
      60_000,
    );
    // The copy must be skipped, not written again: judged once accounting has consumed it.
    await consumedBoth('accounting');
    assert.equal(await count('"order"'), 1);
    assert.equal(await count('orderitem'), 2);
    assert.equal(await count('shipping'), 1);
    const shipping = await db.query(
      'SELECT shipping_cost_units, shipping_cost_nanos, country FROM accounting.shipping WHERE order_id = $1',
      [orderId],
    );
    assert.deepEqual(shipping.rows[0], {
      shipping_cost_units: '17',
      shipping_cost_nanos: 980_000_000,
      country: 'US',
    });
  });

  test('fraud-detection consumes it', async () => {
    const logFile = join(repoRoot, '.run/logs/fraud-detection.log');
    if (existsSync(logFile)) {
      await eventually(
        'the fraud-detection log line',
        async () =>
          readFileSync(logFile, 'utf8').includes(`Consumed record with orderId: ${orderId}`)
            ? true
            : undefined,
        60_000,
      );
    }
    await consumedBoth('fraud-detection');
  });

  test('order-consumed is in the producer’s trace in Jaeger', async () => {
    await sdk.shutdown().catch(() => undefined);
    const spans = await eventually(
      'order-consumed in the trace',
      async () => {
        const found = await getTrace(traceId);
        return found.some((s) => s.name === 'order-consumed' && s.service === 'accounting')
          ? found
          : undefined;
      },
      60_000,
      2000,
    );
    const consumed = spans.filter((s) => s.name === 'order-consumed');
    assert.ok(consumed.every((s) => s.traceId === traceId));
    assert.ok(consumed.some((s) => s.attributes['demo.order.id'] === orderId));
  });
});
