import {
  type AdminPolicy,
  createHttpApp,
  type FastifyInstance,
  guardAdminRoutes,
  invalidArgument,
  type Logger,
  notFound,
} from '@astroshop/service-kit';
import { context, trace } from '@opentelemetry/api';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Flag, UnknownFlagError } from './flags.ts';
import { advancedPage, dashboardPage, escapeHtml } from './html.ts';
import { type FlagStore, InvalidConfigError } from './store.ts';

/**
 * The path prefix the proxy serves us under (`/feature`), from the proxy's
 * `x-forwarded-prefix`, so links work both behind it and on our own port.
 */
export function prefixOf(request: FastifyRequest): string {
  const header = request.headers['x-forwarded-prefix'];
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^(\/[A-Za-z0-9._~-]+)+$/.test(value) ? value : '';
}

export function createFlagdUi(options: {
  store: FlagStore;
  logger: Logger;
  /** Who may write flags (JSON, same origin, optional token): see guardAdminRoutes. */
  admin?: AdminPolicy;
}): FastifyInstance {
  const { store, logger } = options;
  const app = createHttpApp({ logger, ready: () => store.healthy });
  guardAdminRoutes(app, options.admin ?? {});

  async function page(reply: FastifyReply, render: () => Promise<string>) {
    try {
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(await render());
    } catch (error) {
      logger.error({ err: error }, 'cannot render page');
      return reply
        .code(503)
        .type('text/html; charset=utf-8')
        .send(
          `<!doctype html><title>Flag file unavailable</title><h1>Flag file unavailable</h1><p>${escapeHtml((error as Error).message)}</p>`,
        );
    }
  }

  app.get('/', (request, reply) =>
    page(reply, async () => dashboardPage(await store.read(), prefixOf(request))),
  );
  app.get('/advanced', (request, reply) =>
    page(reply, async () => advancedPage(await store.read(), prefixOf(request))),
  );

  const read = async () => ({ flags: (await store.read()).flags });
  app.get('/api/read', read);
  app.get('/api/read-file', read);

  async function write(request: FastifyRequest, reply: FastifyReply) {
    const body = request.body as { data?: unknown } | undefined;
    if (!body || typeof body !== 'object' || !('data' in body)) {
      throw invalidArgument('body must be {"data": <full flagd configuration>}');
    }
    try {
      const config = await store.write(body.data);
      logger.info({ flags: Object.keys(config.flags).length }, 'flag file replaced');
      return {};
    } catch (error) {
      if (error instanceof InvalidConfigError) {
        return reply.code(400).send({ error: error.message, errors: error.problems });
      }
      throw error;
    }
  }
  app.post('/api/write', write);
  app.post('/api/write-to-file', write);

  app.post<{ Params: { key: string }; Body: { variant?: unknown } }>('/api/flags/:key', async (request) => {
    const { key } = request.params;
    const variant = request.body?.variant;
    if (typeof variant !== 'string') throw invalidArgument('body must be {"variant": "<variant name>"}');
    trace
      .getSpan(context.active())
      ?.setAttributes({ 'feature_flag.key': key, 'feature_flag.variant': variant });
    try {
      const config = await store.switchVariant(key, variant);
      logger.info(
        { 'feature_flag.key': key, 'feature_flag.variant': variant },
        `flag ${key} switched to ${variant}`,
      );
      return { key, flag: config.flags[key] as Flag };
    } catch (error) {
      if (error instanceof UnknownFlagError) {
        throw error.message.includes('has no variant')
          ? invalidArgument(error.message)
          : notFound(error.message);
      }
      throw error;
    }
  });

  return app;
}
