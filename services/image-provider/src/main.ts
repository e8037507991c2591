import { listenHttp, runService } from '@astroshop/service-kit';
import { loadConfig } from './config.ts';
import { createImageServer } from './server.ts';

await runService('image-provider', async (logger) => {
  const config = loadConfig();
  const app = await createImageServer({ root: config.IMAGE_ROOT, maxAgeS: config.IMAGE_MAX_AGE_S, logger });
  const server = await listenHttp(app, {
    host: config.LISTEN_HOST,
    port: config.IMAGE_PROVIDER_PORT,
    logger,
  });
  return { resources: [server] };
});
