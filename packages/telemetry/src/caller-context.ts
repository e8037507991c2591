import { context } from '@opentelemetry/api';

/** A connection pool whose `connect` takes an optional callback (pg-pool's shape). */
interface CallbackPool {
  connect(...args: never[]): unknown;
}

/**
 * Makes `pool.connect` run its callback in the context of the caller.
 *
 * Why: when every pooled connection is busy, pg-pool queues the request and
 * later runs its callback from `release()` — in the context of the request
 * that released the connection. `pool.query` issues the query inside that
 * callback, so the query's span joined the releaser's trace (measured at
 * concurrency 16: most GetProduct traces without their pg span, a few with
 * dozens). instrumentation-pg binds the callback only when it also makes a
 * `pg-pool.connect` span, which `ignoreConnectSpans` (one span per query, no
 * pool noise) turns off. Binding here keeps both.
 */
export function connectInCallerContext<P extends CallbackPool>(pool: P): P {
  const connect = pool.connect.bind(pool) as (callback?: (...args: unknown[]) => void) => unknown;
  (pool as { connect: unknown }).connect = (callback?: (...args: unknown[]) => void) =>
    connect(typeof callback === 'function' ? context.bind(context.active(), callback) : callback);
  return pool;
}
