// Browsing helpers of the shop against the running stack: recommendation (with the
// real product-catalog behind it) and ad, their traces in Jaeger, and the
// recommendationCacheFailure leak as Prometheus sees it.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  AdServiceClient,
  createClient,
  ProductCatalogServiceClient,
  RecommendationServiceClient,
  unary,
} from '@astroshop/proto';
import { Metadata } from '@grpc/grpc-js';
import { eventually, getTrace } from './lib/backends.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const FLAG_FILE = join(repoRoot, 'flagd/demo.flagd.json');
const RECOMMENDATION_ADDR = process.env.RECOMMENDATION_ADDR ?? '127.0.0.1:9001';
const AD_ADDR = process.env.AD_ADDR ?? '127.0.0.1:9555';
const CATALOG_ADDR = process.env.PRODUCT_CATALOG_ADDR ?? '127.0.0.1:3550';

const recommendation = createClient(RecommendationServiceClient, RECOMMENDATION_ADDR);
const listRecommendations = unary(recommendation.listRecommendations, recommendation);
const adClient = createClient(AdServiceClient, AD_ADDR);
const getAds = unary(adClient.getAds, adClient);
const catalog = createClient(ProductCatalogServiceClient, CATALOG_ADDR);
const listProducts = unary(catalog.listProducts, catalog);

/** Metadata starting a fresh sampled trace, so the test knows which trace to fetch. */
function traced(baggage?: string): { metadata: Metadata; traceId: string } {
  const traceId = randomBytes(16).toString('hex');
  const metadata = new Metadata();
  metadata.set('traceparent', `00-${traceId}-${randomBytes(8).toString('hex')}-01`);
  if (baggage) metadata.set('baggage', baggage);
  return { metadata, traceId };
}

/** Flips one flag's defaultVariant (atomic rename: flagd and the services watch the file). */
function setFlagVariant(key: string, variant: string): void {
  const flags = JSON.parse(readFileSync(FLAG_FILE, 'utf8')) as {
    flags: Record<string, { defaultVariant: string }>;
  };
  const flag = flags.flags[key];
  assert.ok(flag, `flag ${key} exists`);
  flag.defaultVariant = variant;
  const temp = `${FLAG_FILE}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(flags, null, 2)}\n`);
  renameSync(temp, FLAG_FILE);
}

/** One ListRecommendations call in its own trace; returns its get_product_list span's attributes. */
async function productListStep(): Promise<Record<string, unknown>> {
  const call = traced();
  await listRecommendations({ userId: 'leak-test', productIds: ['OLJCESPC7Z'] }, { metadata: call.metadata });
  const span = await eventually(
    "the call's get_product_list span",
    async () => (await getTrace(call.traceId)).find((s) => s.name === 'get_product_list'),
    30_000,
    500,
  );
  return span.attributes;
}

describe('recommendation and ad on the stack', () => {
  test('ListRecommendations: at most five known ids, never a requested one, for every input shape', async () => {
    const known = new Set((await listProducts({})).products.map((p) => p.id));
    assert.ok(known.size >= 6, 'the catalog has products');
    const requested = ['OLJCESPC7Z', '66VCHSJNUP'];
    for (const productIds of [requested, [...requested.join(',')], [requested.join(',')]]) {
      const { productIds: got } = await listRecommendations({ userId: 'stack-test', productIds });
      assert.ok(got.length > 0 && got.length <= 5, `got ${got.length}`);
      assert.equal(new Set(got).size, got.length);
      for (const id of got) assert.ok(known.has(id) && !requested.includes(id), `unexpected ${id}`);
    }
  });

  test('GetAds: targeted by category, random for none or unknown categories', async () => {
    const targeted = await getAds({ contextKeys: ['binoculars'] });
    assert.deepEqual(
      targeted.ads.map((ad) => ad.redirectUrl),
      ['/product/2ZYFJ3GM2N'],
    );
    for (const contextKeys of [[], ['books']]) {
      const random = await getAds({ contextKeys });
      assert.equal(random.ads.length, 2);
      for (const ad of random.ads) assert.match(ad.redirectUrl, /^\/product\//);
    }
    await assert.rejects(getAds({ contextKeys: ['x'.repeat(65)] }), /INVALID_ARGUMENT|longer than 64/);
  });

  test('recommendation → product-catalog is one trace; ad takes session.id from baggage', async () => {
    const rec = traced();
    await listRecommendations({ userId: 'trace-test', productIds: [] }, { metadata: rec.metadata });
    const ad = traced('session.id=stack-session-1');
    await getAds({ contextKeys: ['telescopes'] }, { metadata: ad.metadata });

    const recSpans = await eventually('the recommendation trace with its catalog call', async () => {
      const spans = await getTrace(rec.traceId);
      const services = new Set(spans.map((s) => s.service));
      return services.has('recommendation') && services.has('product-catalog') ? spans : undefined;
    });
    const productList = recSpans.find((s) => s.name === 'get_product_list');
    assert.ok(productList, 'get_product_list span');
    assert.equal(typeof productList.attributes['demo.product.count'], 'number');
    const catalogServer = recSpans.find((s) => s.service === 'product-catalog' && s.kind === 2);
    assert.ok(catalogServer, 'product-catalog server span in the same trace');

    const adSpans = await eventually('the ad trace', async () => {
      const spans = await getTrace(ad.traceId);
      return spans.some((s) => s.service === 'ad' && s.kind === 2) ? spans : undefined;
    });
    const adServer = adSpans.find((s) => s.service === 'ad' && s.kind === 2)!;
    assert.equal(adServer.attributes['session.id'], 'stack-session-1');
    assert.equal(adServer.attributes['demo.ad.request_type'], 'TARGETED');
    assert.ok(adSpans.some((s) => s.name === 'getAdsByCategory'));
  });

  test('recommendationCacheFailure: every cache miss retains the same number of entries, hits none, off bypasses it', {
    timeout: 240_000,
  }, async () => {
    // What the fault must produce, counted, not timed: the cache size
    // (demo.product.count) after each call. The test drives calls one at a
    // time until it has seen MISSES misses, so the leak it causes is known
    // (the bytes per entry are the unit test's, measured with a forced GC).
    const MISSES = 3;
    const steps: { hit: boolean; count: number }[] = [];
    let before: number | undefined;
    let restarts = 0;
    try {
      setFlagVariant('recommendationCacheFailure', 'on');
      await eventually('the service to see the flag', async () => {
        const attrs = await productListStep();
        if (attrs['demo.feature_flag.recommendation_cache'] !== true) return undefined;
        before = Number(attrs['demo.product.count']);
        return true;
      });
      while (steps.filter((s) => !s.hit).length < MISSES && steps.length < 60) {
        // The leak ends in an OOM kill by design (earlier runs' entries are
        // still held): while the service restarts, calls fail; retry them.
        const attrs = await eventually(
          'a recommendation (restarting after an OOM kill?)',
          productListStep,
          90_000,
        );
        assert.equal(attrs['demo.feature_flag.recommendation_cache'], true, 'the flag stayed on');
        const count = Number(attrs['demo.product.count']);
        if (count < (steps.at(-1)?.count ?? before!)) {
          // A new process: its cache started empty; count from there.
          restarts += 1;
          assert.ok(restarts <= 2, 'restarted more than twice during three misses');
          steps.length = 0;
          before = 0;
        }
        steps.push({ hit: attrs['demo.recommendation.cache_hit'] === true, count });
      }
    } finally {
      setFlagVariant('recommendationCacheFailure', 'off');
    }
    const misses = steps.filter((s) => !s.hit).length;
    assert.equal(misses, MISSES, `a coin flip per lookup: ${steps.length} lookups, ${misses} misses`);
    // The load generator shares the cache, so between two of our calls its
    // misses may add entries too. Every miss adds the same k entries, so each
    // step grows by a multiple of k: ours by at least k, our hits by 0 or more.
    const grown = steps.map((s, i) => s.count - (i === 0 ? before! : steps[i - 1]!.count));
    const k = Math.min(...grown.filter((g, i) => !steps[i]!.hit || g > 0));
    assert.ok(k > 1000, `a miss retained only ${k} entries (steps ${grown})`);
    for (const [i, g] of grown.entries()) {
      assert.equal(
        g % k,
        0,
        `step ${i} grew by ${g}, not a multiple of ${k} entries per miss (steps ${grown})`,
      );
      if (!steps[i]!.hit) assert.ok(g >= k, `our miss ${i} grew the cache by ${g} < ${k}`);
    }
    assert.ok(steps.at(-1)!.count >= before! + MISSES * k, 'nothing is ever evicted');

    // Off: the cache is bypassed, candidates come straight from the catalog.
    const off = await eventually('the service to see the flag off', async () => {
      const attrs = await productListStep();
      return attrs['demo.feature_flag.recommendation_cache'] === false ? attrs : undefined;
    });
    const catalogSize = (await listProducts({})).products.length;
    assert.equal(off['demo.product.count'], catalogSize);
    assert.equal(off['demo.recommendation.cache_hit'], undefined);
  });
});
