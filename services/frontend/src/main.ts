// The frontend process: service-kit's HTTP server (probes, guarded sockets,
// shutdown) with /api/* ours and every page rendered by Next.js from the
// production build in .next/ (see server/app.ts).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeFlags, FLAG, numberFlag, startFlags } from '@astroshop/flags';
import { listenHttp, runService } from '@astroshop/service-kit';
import next from 'next';
import { loadConfig } from './config.ts';
import { createFrontendApp } from './server/app.ts';
import { memoizeConversions } from './server/conversions.ts';
import { createGateways } from './server/gateways.ts';
import { apiRoutes } from './server/handlers.ts';
import { apiHandler } from './server/router.ts';

const serviceDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

await runService('frontend', async (logger) => {
  const config = loadConfig();
  if (!config.FRONTEND_DEV && !existsSync(join(serviceDir, '.next', 'BUILD_ID'))) {
    throw new Error(
      `no production build in ${join(serviceDir, '.next')}: run "bash services/frontend/scripts/build.sh" first`,
    );
  }
  startFlags();
  const gateways = createGateways(config);
  const api = apiHandler(
    apiRoutes({
      imageSlowLoad: (targetingKey) =>
        numberFlag(FLAG.imageSlowLoad, 0, targetingKey ? { targetingKey } : undefined),
    }),
    { ...gateways, currency: memoizeConversions(gateways.currency, { ttlMs: config.CURRENCY_CACHE_TTL_MS }) },
    logger,
  );

  const pages = next({
    dev: config.FRONTEND_DEV,
    dir: serviceDir,
    port: config.listenPort,
    customServer: true,
  });
  let pagesReady = false;
  // The probes answer while Next loads its build (liveness 200, readiness 503).
  const pagesLoaded = pages.prepare().then(() => {
    pagesReady = true;
  });
  // Handled here so a failing build load is not an unhandled rejection while we listen; awaited below.
  pagesLoaded.catch(() => undefined);
  const render = pages.getRequestHandler();
  const app = createFrontendApp({
    logger,
    api,
    render: (req, res) => render(req, res),
    pagesReady: () => pagesReady,
    pagesLoaded,
    collector: { host: config.OTEL_COLLECTOR_HOST, port: config.OTEL_COLLECTOR_PORT_HTTP },
    imageProvider: { host: config.IMAGE_PROVIDER_HOST, port: config.IMAGE_PROVIDER_PORT },
    allowUpgrades: config.FRONTEND_DEV,
  });
  const server = await listenHttp(app, { host: config.LISTEN_HOST, port: config.listenPort, logger });
  await pagesLoaded;
  logger.info({ port: server.port, dev: config.FRONTEND_DEV }, 'frontend ready');

  return {
    resources: [
      server,
      { close: () => pages.close() },
      { close: async () => gateways.close() },
      { close: closeFlags },
    ],
  };
});
