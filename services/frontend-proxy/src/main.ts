import { runService } from '@astroshop/service-kit';
import { clustersOf, loadConfig } from './config.ts';
import { createFrontendProxy } from './proxy.ts';

await runService('frontend-proxy', async (logger) => {
  const config = loadConfig();
  const clusters = clustersOf(config);
  const proxy = createFrontendProxy({
    clusters,
    logger,
    faults: { maxActive: config.FAULT_MAX_ACTIVE, maxDelayMs: config.FAULT_MAX_DELAY_MS },
  });
  const port = await proxy.listen(config.ENVOY_ADDR, config.ENVOY_PORT);
  logger.info({ port, clusters }, 'frontend-proxy listening');
  return { resources: [{ close: () => proxy.close() }] };
});
