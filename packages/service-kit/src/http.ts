import { ATTR, recordError } from '@astroshop/telemetry';
import { context, trace } from '@opentelemetry/api';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { httpStatusOf, StatusError } from './errors.ts';
import { clientErrorHandler, guardHttpServer } from './guard.ts';
import type { Drainable } from './lifecycle.ts';
import type { Logger } from './logger.ts';

export type { FastifyInstance };

/**
 * A Fastify app with the shop's HTTP defaults: probes (`GET /livez` always
 * 200 while the process answers; `GET /health` and `/readyz` follow
 * `ready()`), JSON errors (`{"error": "..."}`) with the right 4xx/5xx, bounded
 * bodies, a server no client can stop (guardHttpServer), and the route
 * template on the server span (`POST /ship-order`) instead of a bare method.
 */
export function createHttpApp(options: {
  logger: Logger;
  bodyLimit?: number;
  ready?: () => boolean;
}): FastifyInstance {
  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    logger: false,
    return503OnClosing: true,
    clientErrorHandler: clientErrorHandler(options.logger),
  });
  const { logger } = options;
  guardHttpServer(app.server, logger, { clientErrors: false });

  app.addHook('onRequest', async (request) => {
    const span = trace.getSpan(context.active());
    const route = request.routeOptions.url;
    if (span && route) {
      span.updateName(`${request.method} ${route}`);
      span.setAttribute(ATTR.httpRoute, route);
    }
  });

  app.get('/livez', async () => ({ status: 'SERVING' }));
  const readiness = async (_request: unknown, reply: FastifyReply) => {
    const ready = options.ready?.() ?? true;
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'SERVING' : 'NOT_SERVING' });
  };
  app.get('/health', readiness);
  app.get('/readyz', readiness);

  app.setNotFoundHandler(async (request, reply) =>
    reply.code(404).send({ error: `no route for ${request.method} ${request.url.split('?')[0]}` }),
  );

  app.setErrorHandler(async (error: unknown, request, reply) => {
    const fastifyCode = (error as { statusCode?: number }).statusCode;
    const status =
      error instanceof StatusError
        ? httpStatusOf(error)
        : fastifyCode && fastifyCode >= 400 && fastifyCode < 500
          ? fastifyCode
          : httpStatusOf(error);
    const message = error instanceof Error ? error.message : String(error);
    if (status >= 500) {
      recordError(trace.getSpan(context.active()), error);
      logger.error({ err: error, url: request.url }, message);
    } else {
      logger.warn({ url: request.url, status }, message);
    }
    return reply.code(status).send({ error: message });
  });

  return app;
}

export async function listenHttp(
  app: FastifyInstance,
  options: { host: string; port: number; logger: Logger },
): Promise<Drainable & { port: number }> {
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  options.logger.info({ port }, 'HTTP server listening');
  return { port, close: () => app.close() };
}
