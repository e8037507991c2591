// The frontend's one HTTP server: service-kit's Fastify app (probes, guarded
// sockets, JSON errors, route-named spans, 503 while closing) with the shop's
// routes mounted on it. /api/* is ours; /otlp-http/* and /images/* are
// forwarded in the direct mode; every other path is rendered by Next.js.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  countRequestFailure,
  createHttpApp,
  type FastifyInstance,
  type Logger,
} from '@astroshop/service-kit';
import { forward } from './forward.ts';
import { parseTarget } from './target.ts';

export type RawHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

export interface FrontendAppOptions {
  logger: Logger;
  /** The /api/* handler (routing, methods and error mapping are its own). */
  api: RawHandler;
  /** Next.js's request handler; called only once `pagesReady()` holds. */
  render: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  /** True once Next.js has loaded its build: until then /health is 503 and pages wait. */
  pagesReady: () => boolean;
  /** Resolves when the pages can be rendered (rejects if Next.js fails to load). */
  pagesLoaded: Promise<void>;
  collector: { host: string; port: number };
  imageProvider: { host: string; port: number };
  /** Next's dev reload is the only websocket user; otherwise no request takes the upgrade path. */
  allowUpgrades?: boolean;
}

export function createFrontendApp(options: FrontendAppOptions): FastifyInstance {
  const { logger } = options;
  // Readiness is what the frontend itself needs (its pages loaded); a down
  // neighbour is named by the /api call that needs it, never by a probe.
  const app = createHttpApp({ logger, ready: options.pagesReady });
  // Next attaches an 'upgrade' listener on its first request, which would leave
  // an unparseable upgrade (`GET //[` + Upgrade) hanging with its socket open:
  // without the upgrade path every request takes the guarded one.
  // (Node reads the server's property on every request; the typings only know the constructor option.)
  (app.server as { shouldUpgradeCallback?: () => boolean }).shouldUpgradeCallback = () =>
    options.allowUpgrades === true;
  // Browsers keep connections open between page loads (and a load balancer in
  // front may too): outlive their idle timeouts.
  app.server.keepAliveTimeout = 65_000;

  // Bodies are read where they are used (/api reads and bounds its own, the
  // forwards stream them): Fastify must leave the request stream untouched.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  app.addHook('onRequest', async (request, reply) => {
    // `GET //[` or `GET /\[` cannot be parsed as a URL: the client's mistake.
    if (!parseTarget(request.raw.url)) {
      countRequestFailure('client_error');
      return reply
        .code(400)
        .send({ error: `malformed request target ${JSON.stringify((request.raw.url ?? '').slice(0, 100))}` });
    }
  });

  /** Hands the raw request to `handler`; a throw becomes a 500 (or a cut stream once answered). */
  const raw =
    (handler: RawHandler) =>
    async (request: { raw: IncomingMessage }, reply: { hijack(): void; raw: ServerResponse }) => {
      reply.hijack();
      const url = parseTarget(request.raw.url) as URL;
      try {
        await handler(request.raw, reply.raw, url);
      } catch (error) {
        countRequestFailure('handler_error');
        logger.error({ err: error, url: url.pathname }, 'request failed');
        if (reply.raw.headersSent) {
          reply.raw.destroy();
          return;
        }
        reply.raw.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal error"}');
      }
    };

  const api = raw(options.api);
  app.all('/api', api);
  app.all('/api/*', api);
  // The direct mode (no frontend-proxy in front): forwarded the way the proxy routes them.
  const forwards = [
    ['/otlp-http', options.collector],
    ['/images', options.imageProvider],
  ] as const;
  for (const [prefix, target] of forwards) {
    app.all(
      `${prefix}/*`,
      raw((req, res, url) =>
        forward(req, res, { ...target, path: `${url.pathname.slice(prefix.length)}${url.search}` }),
      ),
    );
  }
  app.all(
    '/*',
    raw(async (req, res) => {
      if (!options.pagesReady()) await options.pagesLoaded;
      await options.render(req, res);
    }),
  );
  return app;
}
