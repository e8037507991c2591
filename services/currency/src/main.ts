import { runService, startGrpcServer } from '@astroshop/service-kit';
import { loadConfig } from './config.ts';
import { currencyService } from './server.ts';

await runService('currency', async (logger) => {
  const config = loadConfig();
  const server = await startGrpcServer({
    host: config.LISTEN_HOST,
    port: config.CURRENCY_PORT,
    services: [currencyService(logger)],
    logger,
  });
  return { resources: [server] };
});
