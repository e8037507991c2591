import { shutdownTelemetry } from '@astroshop/telemetry';
import closeWithGrace from 'close-with-grace';
import { countRequestFailure, isRequestScoped } from './guard.ts';
import type { Logger } from './logger.ts';

/** Something that can stop accepting work and finish what it has. */
export interface Drainable {
  /** Stop taking new work, finish in-flight work, release resources. */
  close(): Promise<void>;
}

export interface ShutdownOptions {
  logger: Logger;
  /** Called first, e.g. to flip health to NOT_SERVING so balancers stop routing. */
  beforeDrain?: () => void;
  /** Drained in order (servers first, then clients/pools). */
  resources: Drainable[];
  /** Total grace period before forcing exit. */
  graceMs?: number;
}

/**
 * What an error reaching `uncaughtException`/`unhandledRejection` does. A
 * request-scoped one (a reset socket, a bad escape: see `isRequestScoped`)
 * is logged, counted and survived — one client must not stop the process
 * for everyone. Anything else is a bug with unknown state behind it: drain
 * and exit 1, as before.
 */
export function escapedErrorHandler(logger: Logger, fatal: (error: unknown) => void) {
  return (error: unknown) => {
    if (isRequestScoped(error)) {
      countRequestFailure('escaped_error');
      logger.warn({ err: error }, 'request-scoped error escaped its handler; survived');
      return;
    }
    fatal(error);
  };
}

/**
 * SIGTERM/SIGINT (and fatal errors) → mark unhealthy → drain every resource in
 * order → flush telemetry → exit. The order matters: spans of the requests
 * being drained must still be exported.
 */
export function installShutdown(options: ShutdownOptions): void {
  const { logger, resources } = options;
  const drain = async (err?: unknown) => {
    if (err) logger.error({ err }, 'fatal error, shutting down');
    else logger.info('shutting down: draining in-flight work');
    options.beforeDrain?.();
    for (const resource of resources) {
      try {
        await resource.close();
      } catch (error) {
        logger.warn({ err: error }, 'error while draining');
      }
    }
    logger.info('drained; flushing telemetry');
    await shutdownTelemetry();
  };
  // Signals go through close-with-grace; errors through our own filter.
  const graceful = closeWithGrace(
    { delay: options.graceMs ?? 10_000, skip: ['uncaughtException', 'unhandledRejection'] },
    async ({ signal }) => {
      logger.info({ signal }, 'signal received');
      await drain();
    },
  );
  let dying = false;
  const fatal = (error: unknown) => {
    if (dying) process.exit(1);
    dying = true;
    graceful.uninstall();
    const force = setTimeout(() => process.exit(1), options.graceMs ?? 10_000);
    force.unref();
    drain(error).finally(() => process.exit(1));
  };
  const onError = escapedErrorHandler(logger, fatal);
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
}
