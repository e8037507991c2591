import {
  type AdminPolicy,
  createHttpApp,
  type FastifyInstance,
  guardAdminRoutes,
  type Logger,
} from '@astroshop/service-kit';
import { z } from 'zod';
import { MAX_USERS, type Runner } from './runner.ts';
import type { Stats } from './stats.ts';
import { UI_HTML } from './ui.ts';

export interface WebDeps {
  logger: Logger;
  runner: Runner;
  stats: Stats;
  target: URL;
  flagError: () => string | undefined;
  /** Who may start/stop/reset (JSON, same origin, optional token): see guardAdminRoutes. */
  admin?: AdminPolicy;
}

const startBody = z.object({
  users: z.number({ error: 'users must be a number' }).int().min(0).max(MAX_USERS),
  spawnRate: z.number({ error: 'spawnRate must be a number' }).positive().max(100).default(1),
});

/**
 * The UI and its JSON API. Every link in the page is relative because the
 * proxy serves it under /loadgen/ (prefix rewritten to /).
 */
export function createWebApp(deps: WebDeps): FastifyInstance {
  const { runner, stats } = deps;
  const app = createHttpApp({ logger: deps.logger, bodyLimit: 16 * 1024 });
  // JSON only: a form post from any page the operator visits must not start 500 users.
  guardAdminRoutes(app, deps.admin ?? {});

  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(UI_HTML));

  app.get('/api/stats', async () => ({
    state: runner.state,
    users: runner.users,
    targetUsers: runner.http.target,
    spawnRate: runner.spawnRate,
    target: deps.target.origin,
    startedAt: new Date(stats.startedAt).toISOString(),
    flagError: deps.flagError() ?? null,
    userErrors: runner.http.errors + (runner.browser?.errors ?? 0),
    endpoints: stats.rows(),
    aggregated: stats.aggregated(),
    failures: stats.failureList().slice(0, 100),
    history: stats.historyPointsList(),
  }));

  app.post('/api/start', async (request, reply) => {
    const parsed = startBody.safeParse(request.body ?? {});
    if (!parsed.success) {
      return reply
        .code(400)
        .send({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    }
    runner.start(parsed.data.users, parsed.data.spawnRate);
    deps.logger.info(
      { users: parsed.data.users, spawnRate: parsed.data.spawnRate },
      'load started from the UI',
    );
    return { state: runner.state, targetUsers: runner.http.target };
  });

  app.post('/api/stop', async () => {
    await runner.stop();
    deps.logger.info('load stopped from the UI');
    return { state: runner.state };
  });

  app.post('/api/reset', async () => {
    stats.reset();
    return { ok: true };
  });

  app.get('/api/stats.csv', async (_request, reply) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="loadgen_stats.csv"')
      .send(stats.toCsv()),
  );

  app.get('/api/failures.csv', async (_request, reply) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="loadgen_failures.csv"')
      .send(stats.failuresCsv()),
  );

  return app;
}
