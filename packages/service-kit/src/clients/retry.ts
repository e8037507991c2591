import { status } from '@grpc/grpc-js';
import { sleep } from '../sleep.ts';
import type { CallBudget } from './deadline.ts';
import { NeighbourError } from './neighbour-error.ts';

/** Attempts of an idempotent call, the first included. */
export const MAX_ATTEMPTS = 3;
const BACKOFF_MS = [50, 150];

/**
 * Runs `attempt` once, or, for an idempotent call, again while it fails
 * UNAVAILABLE (a neighbour restarting, a connection refused): at most
 * MAX_ATTEMPTS, and never past the call's deadline. A write is never
 * repeated: the neighbour may have done it before the answer was lost.
 */
export async function withRetries<T>(
  idempotent: boolean,
  budget: CallBudget,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const backoff = BACKOFF_MS[n - 1] ?? 0;
      const retry =
        idempotent &&
        n < MAX_ATTEMPTS &&
        error instanceof NeighbourError &&
        error.code === status.UNAVAILABLE &&
        error.neighbourCode !== status.DEADLINE_EXCEEDED &&
        Date.now() + backoff < budget.at;
      if (!retry) throw error;
      await sleep(backoff);
    }
  }
}
