import { shutdownTelemetry } from '@astroshop/telemetry';
import closeWithGrace from 'close-with-grace';
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
 * SIGTERM/SIGINT (and fatal errors) → mark unhealthy → drain every resource in
 * order → flush telemetry → exit. The order matters: spans of the requests
 * being drained must still be exported.
 */
export function installShutdown(options: ShutdownOptions): void {
  const { logger, resources } = options;
  closeWithGrace({ delay: options.graceMs ?? 10_000 }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'fatal error, shutting down');
    else logger.info({ signal }, 'shutting down: draining in-flight work');
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
  });
}
