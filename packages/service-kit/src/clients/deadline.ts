import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The deadline (epoch ms) of the inbound call being served, so an outbound
 * call made on its behalf never outlives it. service-kit's gRPC `unary` sets
 * it from the call's own deadline; outside a call there is none.
 */
const inbound = new AsyncLocalStorage<number>();

/** Runs `work` with `deadline` (Date, epoch ms or Infinity) as the caller's deadline. */
export function withCallerDeadline<T>(deadline: Date | number, work: () => T): T {
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(at) ? inbound.run(at, work) : work();
}

export interface CallBudget {
  /** Absolute deadline (epoch ms) for the whole call, retries included. */
  at: number;
  /** Milliseconds the call may take from now. */
  ms: number;
  /** True when the caller's remaining time, not the neighbour's timeout, set `at`. */
  byCaller: boolean;
}

/** The neighbour's configured timeout, cut to what the caller has left. */
export function callBudget(timeoutMs: number, now = Date.now()): CallBudget {
  const own = now + timeoutMs;
  const caller = inbound.getStore();
  if (caller !== undefined && caller < own)
    return { at: caller, ms: Math.max(0, caller - now), byCaller: true };
  return { at: own, ms: timeoutMs, byCaller: false };
}
