import type { Health } from './grpc.ts';
import type { Drainable } from './lifecycle.ts';
import type { Logger } from './logger.ts';

export interface HealthProbeOptions {
  health: Pick<Health, 'setServing'>;
  /** Resolves true when the service can do its work; a rejection counts as false. */
  check: () => Promise<boolean>;
  intervalMs?: number;
  logger: Logger;
  /** Names what is probed in the transition logs, e.g. "postgres". */
  what: string;
}

export interface HealthProbe extends Drainable {
  /** Runs one check now (also used at start-up so health is truthful from the first call). */
  probe(): Promise<boolean>;
  serving(): boolean;
}

/**
 * Keeps gRPC health in step with a dependency: a periodic check flips
 * SERVING/NOT_SERVING, logging only transitions so an outage is one line,
 * not one per tick. Stopped before the server drains, so it cannot flip a
 * draining server back to SERVING.
 */
export function startHealthProbe(options: HealthProbeOptions): HealthProbe {
  const { health, check, logger, what } = options;
  let current: boolean | undefined;
  let stopped = false;
  let inFlight: Promise<boolean> | undefined;

  const apply = (ok: boolean) => {
    if (stopped) return;
    if (ok !== current) {
      if (ok) logger.info({ dependency: what }, `health SERVING: ${what} ok`);
      else logger.warn({ dependency: what }, `health NOT_SERVING: ${what} failing`);
    }
    current = ok;
    health.setServing(ok);
  };

  const probe = (): Promise<boolean> => {
    // Overlapping ticks would race on the health status; share the running one.
    inFlight ??= check()
      .catch(() => false)
      .then((ok) => {
        apply(ok);
        return ok;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  const timer = setInterval(() => void probe(), options.intervalMs ?? 2000);
  timer.unref();

  return {
    probe,
    serving: () => current === true,
    close: async () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
