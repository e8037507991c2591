import { booleanFlag, closeFlags, FLAG, startFlags } from '@astroshop/flags';
import { runService, startGrpcServer } from '@astroshop/service-kit';
import { trace } from '@opentelemetry/api';
import { productCatalogClient } from './catalog-client.ts';
import { loadConfig } from './config.ts';
import { LeakyProductCache } from './leaky-cache.ts';
import { productLister } from './product-list.ts';
import { recommendationService } from './server.ts';

await runService('recommendation', async (logger) => {
  const config = loadConfig();
  startFlags();
  const catalog = productCatalogClient({
    name: 'product-catalog',
    address: config.PRODUCT_CATALOG_ADDR,
    timeoutMs: config.PRODUCT_CATALOG_TIMEOUT_MS,
  });
  const listProducts = productLister({
    tracer: trace.getTracer('recommendation'),
    logger,
    catalog,
    cache: new LeakyProductCache({ bytesPerMiss: config.RECOMMENDATION_CACHE_MISS_BYTES }),
    cacheFailureEnabled: () => booleanFlag(FLAG.recommendationCacheFailure, false),
  });
  const server = await startGrpcServer({
    host: config.LISTEN_HOST,
    port: config.RECOMMENDATION_PORT,
    services: [recommendationService(logger, listProducts)],
    logger,
  });
  logger.info(`Recommendation service started, listening on port ${server.port}`);
  return { resources: [server, catalog, { close: closeFlags }] };
});
