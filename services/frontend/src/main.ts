// The frontend process: one node:http server. /health and /api/* are ours
// (plain TS, traced by the preload's http + grpc instrumentations); every
// other path is rendered by Next.js from the production build in .next/.
import { existsSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeFlags, FLAG, numberFlag, startFlags } from '@astroshop/flags';
import { countRequestFailure, guardHttpServer, runService } from '@astroshop/service-kit';
import next from 'next';
import { loadConfig } from './config.ts';
import { forward } from './server/forward.ts';
import { createGateways } from './server/gateways.ts';
import { apiRoutes } from './server/handlers.ts';
import { apiHandler } from './server/router.ts';
import { parseTarget } from './server/target.ts';

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
    gateways,
    logger,
  );

  const app = next({
    dev: config.FRONTEND_DEV,
    dir: serviceDir,
    port: config.listenPort,
    customServer: true,
  });
  await app.prepare();
  const render = app.getRequestHandler();

  const json = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  // The shop serves no websockets (only Next's dev reload uses them). Next
  // attaches an 'upgrade' listener on its first request, which leaves an
  // unparseable upgrade (`GET //[` + Upgrade) hanging with its socket open;
  // without the upgrade path every request takes the guarded one below.
  const server = createServer({ shouldUpgradeCallback: () => config.FRONTEND_DEV }, (req, res) => {
    // `GET //[` or `GET /\[` cannot be parsed as a URL: the client's mistake.
    const url = parseTarget(req.url);
    if (!url) {
      countRequestFailure('client_error');
      json(res, 400, { error: `malformed request target ${JSON.stringify((req.url ?? '').slice(0, 100))}` });
      return;
    }
    const path = url.pathname;
    const fail = (error: unknown) => {
      countRequestFailure('handler_error');
      logger.error({ err: error, url: path }, 'request failed');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      json(res, 500, { error: 'internal error' });
    };
    if (path === '/livez' || path === '/health' || path === '/readyz') {
      // Readiness does not follow the neighbours: each /api call names the one that is down.
      json(res, 200, { status: 'SERVING' });
    } else if (path === '/api' || path.startsWith('/api/')) {
      Promise.resolve()
        .then(() => api(req, res, url))
        .catch(fail);
    } else if (path.startsWith('/otlp-http/')) {
      forward(req, res, {
        host: config.OTEL_COLLECTOR_HOST,
        port: config.OTEL_COLLECTOR_PORT_HTTP,
        path: `${path.slice('/otlp-http'.length)}${url.search}`,
      });
    } else if (path.startsWith('/images/')) {
      forward(req, res, {
        host: config.IMAGE_PROVIDER_HOST,
        port: config.IMAGE_PROVIDER_PORT,
        path: `${path.slice('/images'.length)}${url.search}`,
      });
    } else {
      Promise.resolve()
        .then(() => render(req, res))
        .catch(fail);
    }
  });
  guardHttpServer(server, logger);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((done, failed) => {
    server.once('error', failed);
    server.listen(config.listenPort, config.LISTEN_HOST, () => done());
  });
  logger.info({ port: config.listenPort, dev: config.FRONTEND_DEV }, 'frontend listening');

  return {
    resources: [
      {
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      },
      { close: () => app.close() },
      {
        close: async () => {
          gateways.close();
        },
      },
      { close: closeFlags },
    ],
  };
});
