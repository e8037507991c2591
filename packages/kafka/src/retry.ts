import { sleep } from '@astroshop/service-kit';

export interface RetryOptions {
  /** Whether a failure is worth retrying (a dependency outage) or final (bad data). */
  isRetriable: (error: unknown) => boolean;
  signal: AbortSignal;
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Called once when the first retriable failure happens (one log line per outage). */
  onOutage?: (error: unknown) => void;
  /** Called once when an attempt succeeds after an outage. */
  onRecovered?: (attempts: number) => void;
  /** Runs between attempts, e.g. the consumer heartbeat so the group keeps us. */
  betweenAttempts?: () => Promise<void>;
}

export class AbortedError extends Error {
  override name = 'AbortedError';
}

/** Exponential backoff with full jitter, capped. */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 20));
  return Math.max(initialMs, Math.round(ceiling * random()));
}

/** Sleeps `ms`, or rejects with AbortedError as soon as `signal` aborts. */
export async function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  await sleep(ms, signal);
  if (signal.aborted) throw new AbortedError('aborted');
}

/**
 * Runs `attempt` until it succeeds, retrying retriable failures with backoff
 * for as long as it takes (the message must not be dropped while a dependency
 * is down). Non-retriable errors and shutdown (AbortedError) end it.
 */
export async function retryUntilDone<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  const initial = options.initialDelayMs ?? 500;
  // 5 s at most between attempts: a database back from an outage is written to within seconds.
  const max = options.maxDelayMs ?? 5000;
  for (let failures = 0; ; failures++) {
    if (options.signal.aborted) throw new AbortedError('aborted');
    try {
      const result = await attempt();
      if (failures > 0) options.onRecovered?.(failures);
      return result;
    } catch (error) {
      if (!options.isRetriable(error)) throw error;
      if (failures === 0) options.onOutage?.(error);
      await abortableSleep(backoffDelay(failures, initial, max), options.signal);
      await options.betweenAttempts?.();
    }
  }
}
