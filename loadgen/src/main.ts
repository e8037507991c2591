import { listenHttp, runService } from '@astroshop/service-kit';
import { closeBrowser, runBrowserUser } from './browser.ts';
import { ShopClient } from './client.ts';
import { loadConfig } from './config.ts';
import { OfrepFlags } from './flags.ts';
import { LoadgenMetrics } from './metrics.ts';
import { loadPeople } from './people.ts';
import { Runner } from './runner.ts';
import { Stats } from './stats.ts';
import { checkTarget } from './target.ts';
import { runHttpUser } from './users.ts';
import { createWebApp } from './web.ts';

const DEFAULT_USERS = 5;

await runService('load-generator', async (logger) => {
  const config = loadConfig();
  const target = checkTarget(config.LOADGEN_TARGET_URL, config.LOADGEN_ALLOW_REMOTE);
  const people = loadPeople();
  const stats = new Stats();
  const flags = new OfrepFlags({ baseUrl: `http://${config.FLAGD_HOST}:${config.FLAGD_OFREP_PORT}` });
  let runner: Runner | undefined;
  const metrics = new LoadgenMetrics(() => runner?.users ?? 0);
  const client = new ShopClient({
    base: target,
    stats,
    metrics,
    timeoutMs: config.LOADGEN_REQUEST_TIMEOUT_MS,
  });
  const think = { thinkMinMs: config.LOADGEN_THINK_MIN_MS, thinkMaxMs: config.LOADGEN_THINK_MAX_MS };

  runner = new Runner({
    stats,
    flags,
    flagPollMs: config.LOADGEN_FLAG_POLL_MS,
    httpUser: (signal) => runHttpUser({ client, flags, people, ...think }, signal),
    ...(config.LOADGEN_BROWSER_USERS > 0
      ? {
          browserUsers: config.LOADGEN_BROWSER_USERS,
          browserUser: (signal: AbortSignal) =>
            runBrowserUser(
              { base: target, stats, chromiumPath: config.LOADGEN_CHROMIUM_PATH, ...think },
              signal,
            ),
        }
      : {}),
    onUserError: (err) => logger.error({ err }, 'a virtual user crashed'),
    log: (msg, fields) => logger.info(fields ?? {}, msg),
  });

  const app = createWebApp({
    logger,
    runner,
    stats,
    target,
    flagError: () => flags.lastError,
    admin: { token: config.ADMIN_TOKEN, allowedHosts: config.ADMIN_ALLOWED_HOSTS },
  });
  const server = await listenHttp(app, { host: config.LISTEN_HOST, port: config.LOADGEN_PORT, logger });

  // One chart point every 2 s; bounded ring inside Stats.
  const chartTimer = setInterval(() => stats.snapshot(runner?.users ?? 0), 2000);
  chartTimer.unref();

  const flagVus = await runner.flagUsers(DEFAULT_USERS);
  const users = config.LOADGEN_USERS ?? flagVus;
  runner.startFlagPolling(flagVus);
  if (config.LOADGEN_AUTOSTART) {
    runner.start(users, config.LOADGEN_SPAWN_RATE);
    logger.info({ users, target: target.origin, browserUsers: config.LOADGEN_BROWSER_USERS }, 'load started');
  } else {
    logger.info({ target: target.origin }, 'autostart off: start the load from the web UI');
  }

  const activeRunner = runner;
  return {
    resources: [
      // Users first, so no new request starts while the server drains.
      { close: () => activeRunner.close() },
      { close: () => closeBrowser() },
      { close: async () => clearInterval(chartTimer) },
      server,
    ],
  };
});
