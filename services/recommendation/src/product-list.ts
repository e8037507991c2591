import type { Logger } from '@astroshop/service-kit';
import { ATTR, withSpan } from '@astroshop/telemetry';
import type { Tracer } from '@opentelemetry/api';
import type { ProductSource } from './catalog-client.ts';
import type { LeakyProductCache } from './leaky-cache.ts';
import { selectRecommendations } from './selection.ts';

export interface ProductListDeps {
  tracer: Tracer;
  logger: Logger;
  catalog: ProductSource;
  cache: LeakyProductCache;
  /** The recommendationCacheFailure flag, evaluated per request. */
  cacheFailureEnabled: () => Promise<boolean>;
  random?: () => number;
}

/**
 * The `get_product_list` step: candidates from the catalog (or, with the flag on,
 * from the leaking cache), minus the requested ids, sampled down to five.
 */
export function productLister(deps: ProductListDeps): (requested: string[]) => Promise<string[]> {
  const { tracer, logger, catalog, cache } = deps;

  async function candidatesFromCache(setAttr: (key: string, value: boolean) => void) {
    if (cache.nextLookupMisses()) {
      setAttr(ATTR.recommendationCacheHit, false);
      const added = cache.grow(await catalog.listProducts());
      logger.info({ 'recommendation.cache.size': cache.size, added }, 'get_product_list: cache miss');
    } else {
      setAttr(ATTR.recommendationCacheHit, true);
      logger.info({ 'recommendation.cache.size': cache.size }, 'get_product_list: cache hit');
    }
    return { ids: cache.distinctIds(), count: cache.size };
  }

  return (requested) =>
    withSpan(tracer, 'get_product_list', async (span) => {
      const cacheOn = await deps.cacheFailureEnabled();
      span.setAttribute(ATTR.featureFlagRecommendationCache, cacheOn);
      const candidates = cacheOn
        ? await candidatesFromCache((key, value) => span.setAttribute(key, value))
        : await catalog.listProducts().then((products) => ({
            ids: products.map((p) => p.id),
            count: products.length,
          }));
      span.setAttribute(ATTR.productCount, candidates.count);

      const { filtered, recommended } = selectRecommendations(candidates.ids, requested, deps.random);
      span.setAttribute(ATTR.productFilteredCount, filtered.length);
      span.setAttribute(ATTR.productFilteredList, recommended);
      return recommended;
    });
}
