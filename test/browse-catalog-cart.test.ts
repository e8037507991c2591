// Browsing and the cart against the running stack: product-catalog on the real
// Postgres, cart on the real Redis, their traces in Jaeger and the cart
// latency histograms in Prometheus.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import {
  CartServiceClient,
  createClient,
  HealthCheckResponse_ServingStatus,
  HealthClient,
  ProductCatalogServiceClient,
  unary,
} from '@astroshop/proto';
import { Metadata, status } from '@grpc/grpc-js';
import { eventually, type FoundSpan, getTrace, promQuery } from './lib/backends.ts';

const CATALOG_ADDR = process.env.PRODUCT_CATALOG_ADDR ?? '127.0.0.1:3550';
const CART_ADDR = process.env.CART_ADDR ?? '127.0.0.1:7070';

/** Spec §7: the ten products, ordered by id, with their exact USD prices. */
const EXPECTED_PRODUCTS: [id: string, units: number, nanos: number, categories: string[]][] = [
  ['0PUK6V6EV0', 175, 0, ['accessories', 'telescopes']],
  ['1YMWWN1N4O', 129, 950_000_000, ['telescopes', 'travel']],
  ['2ZYFJ3GM2N', 209, 950_000_000, ['binoculars']],
  ['66VCHSJNUP', 349, 950_000_000, ['telescopes']],
  ['6E92ZMYYFZ', 69, 950_000_000, ['accessories', 'telescopes']],
  ['9SIQT8TOJO', 3599, 0, ['accessories', 'telescopes', 'assembly']],
  ['HQTGWGPNH4', 0, 990_000_000, ['books']],
  ['L9ECAV7KIM', 21, 950_000_000, ['accessories']],
  ['LS4PSXUNUM', 57, 80_000_000, ['accessories', 'flashlights']],
  ['OLJCESPC7Z', 101, 960_000_000, ['telescopes']],
];

const catalog = createClient(ProductCatalogServiceClient, CATALOG_ADDR);
const cart = createClient(CartServiceClient, CART_ADDR);
after(() => {
  catalog.close();
  cart.close();
});

const grpcError =
  (code: status, message?: RegExp) =>
  (error: unknown): boolean => {
    const e = error as { code?: number; details?: string };
    assert.equal(e.code, code, `expected ${status[code]}, got ${e.code}: ${e.details}`);
    if (message) assert.match(e.details ?? '', message);
    return true;
  };

/** Metadata starting a trace whose id the test knows, so Jaeger can be asked for exactly it. */
function tracedMetadata(): { metadata: Metadata; traceId: string } {
  const traceId = randomBytes(16).toString('hex');
  const metadata = new Metadata();
  metadata.set('traceparent', `00-${traceId}-${randomBytes(8).toString('hex')}-01`);
  return { metadata, traceId };
}

async function waitForSpans(traceId: string, accept: (spans: FoundSpan[]) => boolean): Promise<FoundSpan[]> {
  return eventually(
    `trace ${traceId} in Jaeger`,
    async () => {
      const spans = await getTrace(traceId);
      return accept(spans) ? spans : undefined;
    },
    60_000,
    2000,
  );
}

const isPostgresSpan = (span: FoundSpan) =>
  span.attributes['db.system'] === 'postgresql' || span.attributes['db.system.name'] === 'postgresql';
const isRedisSpan = (span: FoundSpan) =>
  span.attributes['db.system'] === 'redis' || span.attributes['db.system.name'] === 'redis';

describe('product catalog', () => {
  test('reports SERVING on grpc.health.v1', async () => {
    const health = createClient(HealthClient, CATALOG_ADDR);
    try {
      const reply = await unary(health.check, health)({ service: 'oteldemo.ProductCatalogService' });
      assert.equal(reply.status, HealthCheckResponse_ServingStatus.SERVING);
    } finally {
      health.close();
    }
  });

  test('ListProducts returns the ten products, by id, with exact prices', async () => {
    const { products } = await unary(catalog.listProducts, catalog)({});
    assert.deepEqual(
      products.map((p) => [p.id, p.priceUsd?.units, p.priceUsd?.nanos, p.categories]),
      EXPECTED_PRODUCTS,
    );
    assert.ok(
      products.every((p) => p.priceUsd?.currencyCode === 'USD' && p.name && p.description && p.picture),
    );
  });

  test('GetProduct returns one product', async () => {
    const product = await unary(catalog.getProduct, catalog)({ id: '66VCHSJNUP' });
    assert.equal(product.name, 'Starsense Explorer Refractor Telescope');
    assert.deepEqual(product.priceUsd, { currencyCode: 'USD', units: 349, nanos: 950_000_000 });
  });

  test('an unknown id is NOT_FOUND, a malformed one INVALID_ARGUMENT', async () => {
    await assert.rejects(
      unary(catalog.getProduct, catalog)({ id: 'NOSUCHPROD' }),
      grpcError(status.NOT_FOUND, /^Product Not Found: NOSUCHPROD$/),
    );
    await assert.rejects(unary(catalog.getProduct, catalog)({ id: '' }), grpcError(status.INVALID_ARGUMENT));
    await assert.rejects(
      unary(catalog.getProduct, catalog)({ id: "x' OR 1=1 --" }),
      grpcError(status.INVALID_ARGUMENT),
    );
  });

  test('SearchProducts matches name or description, case-insensitively; wildcards are literal', async () => {
    const { results } = await unary(catalog.searchProducts, catalog)({ query: 'SOLAR' });
    // 1YMWWN1N4O (Eclipsmart) matches through its description only.
    assert.deepEqual(results.map((p) => p.id).sort(), ['0PUK6V6EV0', '1YMWWN1N4O', '6E92ZMYYFZ']);
    const wildcard = await unary(catalog.searchProducts, catalog)({ query: '%' });
    assert.equal(wildcard.results.length, 0, '"%" must not match every product');
  });

  test('GetProduct is traced in Jaeger with its Postgres query as a child span', async () => {
    const { metadata, traceId } = tracedMetadata();
    await unary(catalog.getProduct, catalog)({ id: 'L9ECAV7KIM' }, { metadata });
    const spans = await waitForSpans(traceId, (all) => all.some(isPostgresSpan));
    const server = spans.find((s) => s.service === 'product-catalog' && s.name.endsWith('GetProduct'));
    assert.ok(server, `no GetProduct server span in ${spans.map((s) => s.name).join(', ')}`);
    assert.equal(server.attributes['demo.product.id'], 'L9ECAV7KIM');
    assert.equal(server.attributes['demo.product.name'], 'Lens Cleaning Kit');
    assert.ok(server.events.some((e) => e.name === 'Product Found'));
    const query = spans.find(isPostgresSpan);
    assert.ok(query);
    assert.equal(query.traceId, traceId);
    assert.equal(query.parentSpanId, server.spanId, 'the SQL span is a child of the GetProduct span');
  });

  test('every GetProduct carries its productCatalogFailure evaluation event, also when answered from memory', async () => {
    // The second call for the same id is served from the flag cache (CachedBooleanFlag).
    for (const call of ['first', 'second']) {
      const { metadata, traceId } = tracedMetadata();
      await unary(catalog.getProduct, catalog)({ id: '0PUK6V6EV0' }, { metadata });
      const spans = await waitForSpans(traceId, (all) => all.some((s) => s.name.endsWith('GetProduct')));
      const server = spans.find((s) => s.service === 'product-catalog' && s.name.endsWith('GetProduct'));
      const flag = server?.events.find((e) => e.name === 'feature_flag.evaluation');
      assert.ok(flag, `${call} call: no feature_flag.evaluation event in ${JSON.stringify(server?.events)}`);
      assert.equal(flag.attributes['feature_flag.key'], 'productCatalogFailure', `${call} call`);
      assert.equal(flag.attributes['feature_flag.result.value'], false, `${call} call`);
    }
  });
});

describe('cart', () => {
  const userId = `stack-test-${randomUUID()}`;

  test('reports SERVING for "" and oteldemo.CartService', async () => {
    const health = createClient(HealthClient, CART_ADDR);
    try {
      for (const service of ['', 'oteldemo.CartService']) {
        const reply = await unary(health.check, health)({ service });
        assert.equal(reply.status, HealthCheckResponse_ServingStatus.SERVING, `health of "${service}"`);
      }
    } finally {
      health.close();
    }
  });

  test('AddItem twice merges quantities; GetCart returns the cart; EmptyCart empties it', async () => {
    assert.deepEqual(await unary(cart.getCart, cart)({ userId }), { userId: '', items: [] });
    await unary(cart.addItem, cart)({ userId, item: { productId: 'OLJCESPC7Z', quantity: 2 } });
    await unary(cart.addItem, cart)({ userId, item: { productId: 'OLJCESPC7Z', quantity: 3 } });
    await unary(cart.addItem, cart)({ userId, item: { productId: '66VCHSJNUP', quantity: 1 } });
    assert.deepEqual(await unary(cart.getCart, cart)({ userId }), {
      userId,
      items: [
        { productId: 'OLJCESPC7Z', quantity: 5 },
        { productId: '66VCHSJNUP', quantity: 1 },
      ],
    });
    await unary(cart.emptyCart, cart)({ userId });
    assert.deepEqual(await unary(cart.getCart, cart)({ userId }), { userId: '', items: [] });
  });

  test('bad input is INVALID_ARGUMENT', async () => {
    await assert.rejects(
      unary(cart.addItem, cart)({ userId, item: { productId: 'OLJCESPC7Z', quantity: 0 } }),
      grpcError(status.INVALID_ARGUMENT, /quantity/),
    );
    await assert.rejects(
      unary(cart.getCart, cart)({ userId: '' }),
      grpcError(status.INVALID_ARGUMENT, /user_id/),
    );
  });

  test('AddItem is traced with its attributes and Redis spans', async () => {
    const { metadata, traceId } = tracedMetadata();
    await unary(cart.addItem, cart)({ userId, item: { productId: 'L9ECAV7KIM', quantity: 4 } }, { metadata });
    const spans = await waitForSpans(traceId, (all) => all.some(isRedisSpan));
    const server = spans.find((s) => s.service === 'cart' && s.name.endsWith('AddItem'));
    assert.ok(server, `no AddItem server span in ${spans.map((s) => s.name).join(', ')}`);
    assert.equal(server.attributes['user.id'], userId);
    assert.equal(server.attributes['demo.product.id'], 'L9ECAV7KIM');
    assert.equal(server.attributes['demo.product.quantity'], 4);
    assert.ok(spans.filter(isRedisSpan).every((s) => s.parentSpanId === server.spanId));
    await unary(cart.emptyCart, cart)({ userId });
  });

  test('the AddItem latency histogram reaches Prometheus with the spec buckets', async () => {
    const buckets = await eventually(
      'demo_cart_add_item_latency_seconds_bucket in Prometheus',
      async () => {
        const samples = await promQuery('demo_cart_add_item_latency_seconds_bucket{service_name="cart"}');
        return samples.length > 0 && samples.some((s) => s.value > 0) ? samples : undefined;
      },
      90_000,
      3000,
    );
    const bounds = new Set(buckets.map((s) => s.metric.le));
    for (const le of ['0.005', '0.1', '1', '10', '+Inf']) assert.ok(bounds.has(le), `bucket le=${le}`);
    assert.ok((await promQuery('demo_cart_get_cart_latency_seconds_count{service_name="cart"}')).length > 0);
  });
});
