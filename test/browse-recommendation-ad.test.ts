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
import { eventually, findSpans, getTrace, promQuery, sleep } from './lib/backends.ts';

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

/** Live recommendation heap (bytes): the lowest recent sample, i.e. after young-generation GCs. */
async function recommendationHeapFloor(window: string): Promise<number> {
  const samples = await promQuery(
    // last_over_time keeps only instances that exported recently (remote write sends no
    // staleness markers, so a restarted instance's series would linger for 5 minutes).
    `min_over_time(sum by (service_instance_id) (last_over_time(v8js_memory_heap_used_bytes{service_name="recommendation"}[15s]))[${window}:5s])`,
  );
  assert.equal(samples.length, 1, `one live recommendation instance, got ${samples.length}`);
  return samples[0]!.value;
}

/** Calls ListRecommendations at ~`perSecond` for `seconds`; returns how many succeeded. */
async function drive(seconds: number, perSecond: number): Promise<number> {
  const until = Date.now() + seconds * 1000;
  let ok = 0;
  while (Date.now() < until) {
    const result = await listRecommendations(
      { userId: 'leak-test', productIds: ['OLJCESPC7Z'] },
      { timeoutMs: 5000 },
    )
      .then(() => 1)
      .catch(() => 0);
    ok += result;
    await sleep(1000 / perSecond);
  }
  return ok;
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

  test('recommendationCacheFailure: memory grows while on and stays flat while off', {
    timeout: 180_000,
  }, async () => {
    // Control: flag off, same load, the live heap stays within a tolerance.
    setFlagVariant('recommendationCacheFailure', 'off');
    await drive(5, 2);
    const offStart = await recommendationHeapFloor('20s');
    await drive(30, 2.5);
    await sleep(12_000); // one more metric export
    const offEnd = await recommendationHeapFloor('20s');
    const offGrowthMiB = (offEnd - offStart) / 2 ** 20;
    assert.ok(Math.abs(offGrowthMiB) < 8, `flag off: heap moved ${offGrowthMiB.toFixed(1)} MiB`);

    const since = new Date();
    try {
      setFlagVariant('recommendationCacheFailure', 'on');
      await sleep(3000);
      const served = await drive(40, 2.5);
      assert.ok(served > 50, `only ${served} requests served while leaking`);
      await sleep(12_000);
      const onEnd = await recommendationHeapFloor('20s');
      const onGrowthMiB = (onEnd - offEnd) / 2 ** 20;
      assert.ok(onGrowthMiB > 12, `flag on: heap grew only ${onGrowthMiB.toFixed(1)} MiB`);
    } finally {
      setFlagVariant('recommendationCacheFailure', 'off');
    }

    const spans = await eventually('get_product_list spans with cache attributes', async () => {
      const found = await findSpans('recommendation', { operation: 'get_product_list', since });
      const withCache = found.filter((s) => s.attributes['demo.feature_flag.recommendation_cache'] === true);
      const hits = withCache.filter((s) => s.attributes['demo.recommendation.cache_hit'] === true);
      const misses = withCache.filter((s) => s.attributes['demo.recommendation.cache_hit'] === false);
      return hits.length > 0 && misses.length > 0 ? { hits, misses } : undefined;
    });
    const counts = spans.misses.map((s) => Number(s.attributes['demo.product.count']));
    assert.ok(Math.max(...counts) > 1000, `cache reached ${Math.max(...counts)} entries`);
  });
});
