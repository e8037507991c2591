// Every hop stays in its own request's trace at any concurrency (issue 15,
// item 6). Each request starts a trace whose id the test chooses; once all
// are in Jaeger, every trace must hold exactly the spans one request alone
// produces (its pg, Redis, gRPC, HTTP and Kafka child spans) — a query that
// ran in another request's context shows up as a span missing here and an
// extra one there.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import {
  CartServiceClient,
  CheckoutServiceClient,
  createClient,
  ProductCatalogServiceClient,
  RecommendationServiceClient,
  unary,
} from '@astroshop/proto';
import { Metadata } from '@grpc/grpc-js';
import { eventually, type FoundSpan, getTrace } from './lib/backends.ts';
import { orderRequest } from './lib/orders.ts';

/** The orders of the PlaceOrder case: EUR, so currency Convert spans are in every trace. */
const ORDER_AS = { currency: 'EUR', email: 'trace-isolation@example.com' };

const CONCURRENCY = 16;
const REQUESTS = 32;
const FRONTEND_URL = process.env.FRONTEND_URL ?? 'http://127.0.0.1:8080';

const catalog = createClient(
  ProductCatalogServiceClient,
  process.env.PRODUCT_CATALOG_ADDR ?? '127.0.0.1:3550',
);
const cart = createClient(CartServiceClient, process.env.CART_ADDR ?? '127.0.0.1:7070');
const recommendation = createClient(
  RecommendationServiceClient,
  process.env.RECOMMENDATION_ADDR ?? '127.0.0.1:9001',
);
const checkout = createClient(CheckoutServiceClient, process.env.CHECKOUT_ADDR ?? '127.0.0.1:5050');
after(() => {
  for (const client of [catalog, cart, recommendation, checkout]) client.close();
});
const getProduct = unary(catalog.getProduct, catalog);
const addItem = unary(cart.addItem, cart);
const getCart = unary(cart.getCart, cart);
const listRecommendations = unary(recommendation.listRecommendations, recommendation);
const placeOrder = unary(checkout.placeOrder, checkout);

/** A fresh trace id and the W3C traceparent that starts it. */
function newTrace(): { traceId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

function grpcMetadata(traceparent: string): Metadata {
  const metadata = new Metadata();
  metadata.set('traceparent', traceparent);
  return metadata;
}

/**
 * What a trace is made of, as a sorted multiset of `service kind name`.
 * Flag evaluations are left out: the flagd provider caches, so whether one
 * request or another paid for the lookup depends on timing, not on context.
 */
function shape(spans: FoundSpan[], ignore?: RegExp): string[] {
  return spans
    .filter(
      (s) => s.service !== 'flagd' && !/flagd|ofrep/i.test(`${s.name} ${s.attributes['rpc.service'] ?? ''}`),
    )
    .filter(
      (s) =>
        !/flagd|:8013|:8016/i.test(String(s.attributes['url.full'] ?? s.attributes['server.port'] ?? '')),
    )
    .map((s) => `${s.service} ${s.kind} ${s.name}`)
    .filter((line) => !ignore?.test(line))
    .sort();
}

/** Runs `count` calls with at most `concurrency` in flight; each gets its own trace. */
async function drive(
  count: number,
  concurrency: number,
  call: (traceparent: string, index: number) => Promise<unknown>,
): Promise<string[]> {
  const traceIds: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const { traceId, traceparent } = newTrace();
      traceIds.push(traceId);
      await call(traceparent, index);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return traceIds;
}

/**
 * Every trace once each holds at least `size` spans (the exporters batch), or
 * as they are when that does not happen within a minute — a trace that lost
 * its spans to another request never fills up, and the shape check says so.
 */
async function settledTraces(traceIds: string[], size: number): Promise<Map<string, FoundSpan[]>> {
  const fetchAll = async () =>
    new Map(await Promise.all(traceIds.map(async (id) => [id, await getTrace(id)] as const)));
  return eventually(`${traceIds.length} traces with ${size} spans each`, async () => {
    const traces = await fetchAll();
    return [...traces.values()].every((spans) => spans.length >= size) ? traces : undefined;
  }).catch(fetchAll);
}

/**
 * One request alone gives the reference shape; then `REQUESTS` run at
 * `CONCURRENCY`, and every trace must have that shape exactly.
 */
async function assertIsolated(
  what: string,
  call: (traceparent: string, index: number) => Promise<unknown>,
  mustContain: RegExp,
  ignore?: RegExp,
): Promise<void> {
  const [referenceId] = await drive(1, 1, call);
  const traceIds = await drive(REQUESTS, CONCURRENCY, call);
  // Fetched after the batch, so its late spans (Kafka consumers, batched exports) are in.
  const settledReference = shape(
    await eventually(`reference trace for ${what}`, async () => {
      const spans = await getTrace(referenceId!);
      return shape(spans).some((line) => mustContain.test(line)) ? spans : undefined;
    }),
    ignore,
  );
  const problems: string[] = [];
  let clientSpans = 0;
  const traces = await settledTraces(traceIds, settledReference.length);
  for (const traceId of traceIds) {
    const got = shape(traces.get(traceId) ?? [], ignore);
    clientSpans += got.filter((line) => mustContain.test(line)).length;
    if (got.join('\n') !== settledReference.join('\n')) {
      problems.push(`${traceId}: ${describeDiff(settledReference, got)}`);
    }
  }
  const expectedClientSpans = settledReference.filter((line) => mustContain.test(line)).length * REQUESTS;
  assert.deepEqual(
    { tracesWrong: problems.length, clientSpans },
    { tracesWrong: 0, clientSpans: expectedClientSpans },
    `${what}: ${problems.length}/${REQUESTS} traces differ from a lone request's at concurrency ${CONCURRENCY}\n` +
      `reference:\n  ${settledReference.join('\n  ')}\n${problems.slice(0, 8).join('\n')}`,
  );
}

function describeDiff(expected: string[], got: string[]): string {
  const count = (list: string[]) =>
    list.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());
  const want = count(expected);
  const have = count(got);
  const lines: string[] = [];
  for (const key of new Set([...want.keys(), ...have.keys()])) {
    const delta = (have.get(key) ?? 0) - (want.get(key) ?? 0);
    if (delta) lines.push(`${delta > 0 ? '+' : ''}${delta} ${key}`);
  }
  return lines.join('; ');
}

describe(`trace isolation at concurrency ${CONCURRENCY}`, { timeout: 600_000 }, () => {
  test('product-catalog GetProduct: one pg span in each request trace', async () => {
    await assertIsolated(
      'GetProduct',
      (traceparent) =>
        getProduct({ id: 'OLJCESPC7Z' }, { metadata: grpcMetadata(traceparent), timeoutMs: 20_000 }),
      /^product-catalog 3 /,
    );
  });

  test('cart AddItem + GetCart: Redis spans stay with their request', async () => {
    const run = `iso-${Date.now()}`;
    await assertIsolated(
      'cart AddItem',
      (traceparent, index) =>
        addItem(
          { userId: `${run}-${index}`, item: { productId: 'OLJCESPC7Z', quantity: 1 } },
          { metadata: grpcMetadata(traceparent), timeoutMs: 20_000 },
        ),
      /^cart 3 /,
    );
    await assertIsolated(
      'cart GetCart',
      (traceparent, index) =>
        getCart({ userId: `${run}-${index}` }, { metadata: grpcMetadata(traceparent), timeoutMs: 20_000 }),
      /^cart 3 /,
    );
  });

  test('recommendation ListRecommendations: its gRPC client call and the catalog query', async () => {
    await assertIsolated(
      'ListRecommendations',
      (traceparent) =>
        listRecommendations(
          { userId: 'trace-isolation', productIds: ['OLJCESPC7Z'] },
          { metadata: grpcMetadata(traceparent), timeoutMs: 20_000 },
        ),
      /^product-catalog 3 /,
    );
  });

  test('frontend GET /api/products/:id in EUR: HTTP server, gRPC clients, pg', async () => {
    await assertIsolated(
      'frontend product page API',
      async (traceparent) => {
        const response = await fetch(`${FRONTEND_URL}/api/products/OLJCESPC7Z?currencyCode=EUR`, {
          headers: { traceparent },
        });
        assert.equal(response.status, 200, await response.text());
      },
      /^product-catalog 3 /,
      // The frontend caches conversion rates for a while, so whether a request converts
      // depends on when it came (checkout's test covers Convert, which it never caches).
      /CurrencyService\/Convert/,
    );
  });

  test('checkout PlaceOrder: gRPC, HTTP (shipping → quote), Redis, Kafka and its consumers', async () => {
    const run = `iso-order-${Date.now()}`;
    // Carts are filled first, outside the measured traces.
    for (let i = 0; i <= REQUESTS; i++) {
      await addItem(
        { userId: `${run}-${i}`, item: { productId: 'OLJCESPC7Z', quantity: 1 } },
        { timeoutMs: 20_000 },
      );
    }
    let reference = true;
    await assertIsolated(
      'PlaceOrder',
      (traceparent, index) => {
        // The reference order uses the extra cart at index REQUESTS.
        const user = reference ? `${run}-${REQUESTS}` : `${run}-${index}`;
        reference = false;
        return placeOrder(orderRequest(user, ORDER_AS), {
          metadata: grpcMetadata(traceparent),
          timeoutMs: 30_000,
        });
      },
      /^checkout 4 /,
    );
  });
});
