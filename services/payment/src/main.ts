import { closeFlags, startFlags } from '@astroshop/flags';
import { runService, startGrpcServer } from '@astroshop/service-kit';
import { loadConfig } from './config.ts';
import { paymentService } from './server.ts';

await runService('payment', async (logger) => {
  const config = loadConfig();
  startFlags();
  const server = await startGrpcServer({
    host: config.LISTEN_HOST,
    port: config.PAYMENT_PORT,
    services: [paymentService(logger)],
    logger,
  });
  return { resources: [server, { close: closeFlags }] };
});
