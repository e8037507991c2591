import { closeFlags, startFlags } from '@astroshop/flags';
import { listenHttp, runService } from '@astroshop/service-kit';
import { loadConfig } from './config.ts';
import { Outbox } from './outbox.ts';
import { emailApp } from './server.ts';

await runService('email', async (logger) => {
  const config = loadConfig();
  startFlags();
  const server = await listenHttp(emailApp(logger, new Outbox()), {
    host: config.LISTEN_HOST,
    port: config.EMAIL_PORT,
    logger,
  });
  return { resources: [server, { close: closeFlags }] };
});
