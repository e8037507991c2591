import { ConfigError } from './config.ts';
import { type Drainable, installShutdown } from './lifecycle.ts';
import { createLogger, type Logger } from './logger.ts';

/**
 * The whole life of a service: build it (config, clients, servers), then wait
 * for SIGTERM and drain. A config error exits 1 with its message; any other
 * start failure exits 1 with the error logged.
 */
export async function runService(
  name: string,
  start: (logger: Logger) => Promise<{ resources: Drainable[]; beforeDrain?: () => void }>,
): Promise<void> {
  const logger = createLogger(process.env.OTEL_SERVICE_NAME ?? name);
  try {
    const { resources, beforeDrain } = await start(logger);
    installShutdown({ logger, resources, ...(beforeDrain ? { beforeDrain } : {}) });
    logger.info('started');
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${name}: ${error.message}`);
    } else {
      logger.fatal({ err: error }, 'failed to start');
    }
    process.exit(1);
  }
}
