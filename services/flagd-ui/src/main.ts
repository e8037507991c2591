import { resolve } from 'node:path';
import { listenHttp, runService } from '@astroshop/service-kit';
import { loadConfig } from './config.ts';
import { createFlagdUi } from './server.ts';
import { FlagStore } from './store.ts';

await runService('flagd-ui', async (logger) => {
  const config = loadConfig();
  const store = new FlagStore(resolve(config.FLAGD_FILE));
  // Fail fast on a missing/garbled file, and keep /health truthful afterwards.
  await store.read();
  const probe = setInterval(() => store.read().catch(() => undefined), 5000);
  probe.unref();
  const app = createFlagdUi({
    store,
    logger,
    admin: { token: config.ADMIN_TOKEN, allowedHosts: config.ADMIN_ALLOWED_HOSTS },
  });
  if (!config.ADMIN_TOKEN) logger.info('flag writes need no ADMIN_TOKEN (same-origin JSON only)');
  const server = await listenHttp(app, { host: config.LISTEN_HOST, port: config.FLAGD_UI_PORT, logger });
  logger.info({ file: store.file }, 'editing flag file');
  return {
    resources: [server, { close: async () => clearInterval(probe) }],
  };
});
