import { listenHttp, runService } from '@astroshop/service-kit';
import { loadConfig } from './config.ts';
import { quoteApp } from './server.ts';

await runService('quote', async (logger) => {
  const config = loadConfig();
  const server = await listenHttp(quoteApp(logger), {
    host: config.LISTEN_HOST,
    port: config.QUOTE_PORT,
    logger,
  });
  return { resources: [server] };
});
