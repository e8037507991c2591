import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { context, createContextKey } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { connectInCallerContext } from '../src/caller-context.ts';

const REQUEST = createContextKey('request');
const manager = new AsyncLocalStorageContextManager();
before(() => context.setGlobalContextManager(manager.enable()));
after(() => context.disable());

/** pg-pool's shape: with no free connection, `connect` callbacks wait until someone releases. */
class QueueingPool {
  waiting: ((error: Error | undefined, client: string) => void)[] = [];
  connect(callback?: (error: Error | undefined, client: string) => void): unknown {
    if (!callback) return Promise.resolve('client');
    this.waiting.push(callback);
    return undefined;
  }
  release(): void {
    this.waiting.shift()?.(undefined, 'client');
  }
}

const inRequest = <T>(id: string, fn: () => T) => context.with(context.active().setValue(REQUEST, id), fn);

test('a queued connect callback runs in the context of the request that asked, not the releaser', () => {
  for (const [bound, expected] of [
    [false, 'releaser'],
    [true, 'asker'],
  ] as const) {
    const pool = new QueueingPool();
    const used = bound ? connectInCallerContext(pool) : pool;
    let seen: unknown;
    inRequest('asker', () => used.connect(() => (seen = context.active().getValue(REQUEST))));
    inRequest('releaser', () => pool.release());
    // Unbound, the callback sees the releaser: the defect the wrapper exists for (negative control).
    assert.equal(seen, expected, bound ? 'with connectInCallerContext' : 'plain pool');
  }
});

test('without a callback connect still returns its promise', async () => {
  assert.equal(await connectInCallerContext(new QueueingPool()).connect(), 'client');
});
