// The outage verdict (test/faults/evaluate.ts) without a stack: a clean
// measure passes, and each rule fails on the measure that breaks it — the
// negative controls that show `make faults` can fail.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate, type OutageMeasure, recoveredAt, type Sample, table } from '../faults/evaluate.ts';

const T0 = 1_000_000;
const sample = (probe: string, at: number, ms: number, ok: boolean, extra: Partial<Sample> = {}): Sample => ({
  probe,
  startedAt: T0 + at,
  endedAt: T0 + at + ms,
  ok,
  status: ok ? 200 : 503,
  ...extra,
});

/** Redis away from 0 to 30 s: cart fails fast naming it, checkout still fine before and after. */
function clean(overrides: Partial<OutageMeasure> = {}): OutageMeasure {
  return {
    dependency: 'redis',
    stoppedAt: T0,
    backAt: T0 + 30_000,
    samples: [
      sample('cart', -1000, 20, true),
      sample('cart', 1000, 15, false, {
        error: 'cart service unavailable: Redis at 127.0.0.1:6379 is unreachable',
      }),
      sample('checkout', 2000, 300, true, { orderId: 'o-1' }),
      sample('cart', 31_000, 20, true),
    ],
    deadlineMs: (probe) => (probe === 'checkout' ? 25_000 : 10_000),
    namesDependency: /redis|valkey/i,
    restartsBefore: { redis: 0, cart: 0, checkout: 1 },
    restartsAfter: { redis: 0, cart: 0, checkout: 1 },
    notRunningAfter: [],
    recoveredAt: T0 + 31_020,
    ordersMustSucceed: false,
    recordedOrders: { 'o-1': 1 },
    ...overrides,
  };
}

describe('outage verdict', () => {
  test('a clean outage passes and reports what it measured', () => {
    const v = evaluate(clean());
    assert.deepEqual(v.violations, []);
    assert.equal(v.errors, 1);
    assert.equal(v.maxLatencyMs, 300);
    assert.equal(v.recoverySeconds, 1.02);
    assert.equal(v.ordersAccepted, 1);
    assert.equal(v.ordersLost, 0);
    assert.match(table([v], 30), /\| redis \| 3 \/ 1 \|.*\| 300 ms \| 1\.0 s \| 1 \/ 0 \/ 0 \| PASS \|/);
  });

  test('an order counted twice fails the exactly-once check', () => {
    const v = evaluate(clean({ recordedOrders: { 'o-1': 2 } }));
    assert.deepEqual(v.violations, ['1 accepted orders were recorded more than once']);
    assert.equal(v.ordersDuplicated, 1);
  });

  test('an accepted order accounting never saw is lost', () => {
    const v = evaluate(clean({ recordedOrders: {} }));
    assert.deepEqual(v.violations, ['1 of 1 accepted orders never reached accounting']);
    assert.match(table([v], 30), /FAIL/);
  });

  test('a dependency never brought back fails recovery; a slow return too', () => {
    assert.deepEqual(evaluate(clean({ recoveredAt: null })).violations, [
      'never recovered after redis came back',
    ]);
    assert.match(evaluate(clean({ recoveredAt: T0 + 45_000 })).violations.join(), /recovered 15\.0 s after/);
  });

  test('a request past its deadline fails, even a successful one', () => {
    const v = evaluate(clean({ samples: [...clean().samples, sample('cart', 5000, 12_000, true)] }));
    assert.match(v.violations.join(), /cart took 12000 ms, over its 11000 ms deadline/);
  });

  test('an error that does not name the dependency fails', () => {
    const v = evaluate(
      clean({ samples: [...clean().samples, sample('cart', 3000, 10, false, { error: 'internal error' })] }),
    );
    assert.match(v.violations.join(), /"internal error" does not name redis/);
    // …unless the run provoked it on purpose (flagd: the flag switched while flagd was away).
    const flagged = [
      ...clean().samples,
      sample('recommendations', 3000, 10, false, { error: 'Flag Enabled' }),
    ];
    assert.deepEqual(evaluate(clean({ samples: flagged, deliberate: /Flag Enabled/ })).violations, []);
    const hung = evaluate(clean({ samples: [...clean().samples, sample('cart', 3000, 10, false)] }));
    assert.match(hung.violations.join(), /no message/);
  });

  test('a restart of another component fails; the stopped dependency itself may', () => {
    const v = evaluate(clean({ restartsAfter: { redis: 3, cart: 1, checkout: 1 } }));
    assert.deepEqual(v.violations, ['cart restarted 1× during the redis outage']);
    assert.match(
      evaluate(clean({ notRunningAfter: ['accounting (backoff)'] })).violations.join(),
      /accounting \(backoff\) is not running/,
    );
  });

  test('missing data fails: no requests, or no order where orders must go through', () => {
    assert.match(evaluate(clean({ samples: [] })).violations.join(), /no requests measured/);
    const v = evaluate(
      clean({
        dependency: 'kafka',
        namesDependency: /kafka/,
        ordersMustSucceed: true,
        recordedOrders: {},
        samples: [sample('cart', 100, 10, true)],
      }),
    );
    assert.match(v.violations.join(), /no order was accepted during the kafka outage/);
  });

  test('recovery is the first success after the return that no later failure undoes', () => {
    const samples = [
      sample('cart', 30_100, 10, false, { error: 'redis' }),
      sample('cart', 31_000, 10, true),
      sample('cart', 32_000, 10, false, { error: 'redis' }),
      sample('cart', 33_000, 10, true),
      sample('cart', 34_000, 10, true),
    ];
    assert.equal(recoveredAt(samples, 'cart', T0 + 30_000), T0 + 33_010);
    assert.equal(recoveredAt([...samples, sample('cart', 35_000, 10, false)], 'cart', T0 + 30_000), null);
    assert.equal(recoveredAt([], 'cart', T0), null);
  });
});
