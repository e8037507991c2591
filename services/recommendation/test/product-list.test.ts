import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLogger, unavailable } from '@astroshop/service-kit';
import { ATTR } from '@astroshop/telemetry';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { LeakyProductCache } from '../src/leaky-cache.ts';
import { productLister } from '../src/product-list.ts';
import { PRODUCTS } from './fixtures.ts';

process.env.LOG_LEVEL = 'silent';

function setup(options: { cacheOn: boolean; coin?: number; catalogDown?: boolean }) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const catalog = {
    calls: 0,
    async listProducts() {
      this.calls++;
      if (options.catalogDown) throw unavailable('product-catalog at x:1 ListProducts failed');
      return PRODUCTS;
    },
  };
  const cache = new LeakyProductCache({ bytesPerMiss: 1_000_000, random: () => options.coin ?? 0.9 });
  const list = productLister({
    tracer: provider.getTracer('test'),
    logger: createLogger('test'),
    catalog,
    cache,
    cacheFailureEnabled: async () => options.cacheOn,
  });
  // SimpleSpanProcessor exports asynchronously: flush before looking.
  const spans = async () => {
    await provider.forceFlush();
    return exporter.getFinishedSpans().filter((s) => s.name === 'get_product_list');
  };
  return { list, spans, catalog, cache };
}

describe('get_product_list', () => {
  test('flag off: asks the catalog each time and records the counts', async () => {
    const { list, spans, catalog, cache } = setup({ cacheOn: false });
    const ids = await list(['OLJCESPC7Z']);
    await list([]);
    assert.equal(catalog.calls, 2);
    assert.equal(cache.size, 0);
    const [first] = await spans();
    assert.deepEqual(
      {
        cache: first?.attributes[ATTR.featureFlagRecommendationCache],
        count: first?.attributes[ATTR.productCount],
        filtered: first?.attributes[ATTR.productFilteredCount],
        list: first?.attributes[ATTR.productFilteredList],
      },
      { cache: false, count: 10, filtered: 9, list: ids },
    );
    assert.equal(first?.attributes[ATTR.recommendationCacheHit], undefined);
  });

  test('flag on: first lookup misses, later ones hit, demo.product.count shows the growth', async () => {
    const { list, spans, catalog, cache } = setup({ cacheOn: true, coin: 0.9 });
    await list([]);
    const afterMiss = cache.size;
    await list([]);
    assert.equal(catalog.calls, 1, 'the hit is served from the cache');
    assert.equal(cache.size, afterMiss, 'a hit adds nothing');
    const [miss, hit] = await spans();
    assert.equal(miss?.attributes[ATTR.featureFlagRecommendationCache], true);
    assert.equal(miss?.attributes[ATTR.recommendationCacheHit], false);
    assert.ok(afterMiss > 10, 'the miss re-appends cached entries');
    assert.equal(miss?.attributes[ATTR.productCount], afterMiss);
    assert.equal(hit?.attributes[ATTR.recommendationCacheHit], true);
    assert.equal(hit?.attributes[ATTR.productFilteredCount], 10, 'duplicates collapse');
  });

  test('a catalog failure marks the span ERROR with the exception and propagates', async () => {
    const { list, spans } = setup({ cacheOn: false, catalogDown: true });
    await assert.rejects(list([]), /product-catalog/);
    const [span] = await spans();
    assert.equal(span?.status.code, 2);
    assert.ok(span?.events.some((e) => e.name === 'exception'));
  });
});
