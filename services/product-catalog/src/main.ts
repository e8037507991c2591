import { CachedBooleanFlag, closeFlags, FLAG, startFlags } from '@astroshop/flags';
import { runService, startGrpcServer, startHealthProbe } from '@astroshop/service-kit';
import { ProductCatalog } from './catalog.ts';
import { loadConfig } from './config.ts';
import { PostgresProductRepository } from './postgres-repository.ts';
import { productCatalogService } from './server.ts';

await runService('product-catalog', async (logger) => {
  const config = loadConfig();
  startFlags();
  const repository = new PostgresProductRepository({
    connectionString: config.DB_CONNECTION_STRING,
    queryTimeoutMs: config.DB_QUERY_TIMEOUT_MS,
    poolMax: config.DB_POOL_MAX,
    logger,
  });
  // Evaluated for every GetProduct, answered from memory between flag changes (issue 17).
  const failure = new CachedBooleanFlag(FLAG.productCatalogFailure, false);
  const catalog = new ProductCatalog({
    repository,
    failureFlag: (productId) => failure.value(productId, { product_id: productId }),
  });

  const server = await startGrpcServer({
    host: config.LISTEN_HOST,
    port: config.PRODUCT_CATALOG_PORT,
    services: [productCatalogService(catalog, logger)],
    logger,
  });
  // Health follows the database: NOT_SERVING while no connection can be made.
  const probe = startHealthProbe({
    health: server.health,
    check: () => repository.ping(),
    intervalMs: 2000,
    logger,
    what: 'postgres',
  });
  if (await probe.probe()) logger.info('Database connection established');

  // Probe first so it cannot mark a draining server SERVING; the pool last, after in-flight queries.
  return { resources: [probe, server, repository, { close: closeFlags }] };
});
