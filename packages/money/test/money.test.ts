import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  add,
  convert,
  formatAmount,
  fromNanos,
  type Money,
  MoneyError,
  moneyProblem,
  multiply,
  sum,
  toNanos,
} from '../src/index.ts';

const usd = (units: number, nanos: number): Money => ({ currencyCode: 'USD', units, nanos });

const arbMoney = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }).map((n) => fromNanos('USD', n));

describe('money', () => {
  test('adds with carry across the nano boundary', () => {
    assert.deepEqual(add(usd(1, 600_000_000), usd(2, 500_000_000)), usd(4, 100_000_000));
    assert.deepEqual(add(usd(1, 0), usd(-2, -500_000_000)), usd(-1, -500_000_000));
    assert.deepEqual(add(usd(2, 0), usd(-2, -500_000_000)), usd(0, -500_000_000));
  });

  test('multiplies by quantity exactly', () => {
    assert.deepEqual(multiply(usd(8, 990_000_000), 3), usd(26, 970_000_000));
  });

  test('refuses to mix currencies', () => {
    assert.throws(() => add(usd(1, 0), { currencyCode: 'EUR', units: 1, nanos: 0 }), MoneyError);
  });

  test('reports malformed money', () => {
    assert.match(moneyProblem(usd(1, -5)) ?? '', /different signs/);
    assert.match(moneyProblem(usd(0, 1_000_000_000)) ?? '', /outside/);
    assert.match(moneyProblem({ currencyCode: 'usd', units: 1, nanos: 0 }) ?? '', /ISO 4217/);
    assert.equal(moneyProblem(usd(57, 80_000_000)), undefined);
  });

  test('formats exactly with two decimals', () => {
    assert.equal(formatAmount(usd(57, 80_000_000)), '57.08');
    assert.equal(formatAmount(usd(0, 10_000_000)), '0.01');
    assert.equal(formatAmount(usd(101, 960_000_000)), '101.96');
  });

  test('same-currency conversion returns the input unchanged', () => {
    assert.deepEqual(convert(usd(101, 960_000_000), '1.1305', '1.1305', 'USD'), usd(101, 960_000_000));
  });

  test('reads nanos 80000000 as 0.08, not 0.8', () => {
    const eur = convert(usd(57, 80_000_000), '1.1305', '1.0', 'EUR');
    // 57.08 / 1.1305 = 50.49093321539...
    assert.equal(formatAmount(eur), '50.49');
  });

  test('results are always normalised (property)', () => {
    fc.assert(
      fc.property(arbMoney, arbMoney, fc.integer({ min: -50, max: 50 }), (a, b, q) => {
        for (const m of [add(a, b), multiply(a, q), sum('USD', [a, b])]) {
          assert.equal(moneyProblem(m), undefined);
        }
        assert.equal(toNanos(add(a, b)), toNanos(a) + toNanos(b));
      }),
    );
  });

  test('A→B→A stays within one nano per step (property)', () => {
    const rates = ['1.1305', '126.40', '0.85970', '15999.40', '1.0', '4.2996'];
    fc.assert(
      fc.property(arbMoney, fc.constantFrom(...rates), fc.constantFrom(...rates), (m, ra, rb) => {
        const there = convert(m, ra, rb, 'XXB');
        const back = convert(there, rb, ra, 'USD');
        assert.equal(moneyProblem(back), undefined);
        // One nano of rounding in B is worth rate(A)/rate(B) nanos of A, plus
        // one nano of rounding on the way back.
        const tolerance = Math.max(1, Number(ra) / Number(rb)) / 2 + 1;
        assert.ok(
          Number(toNanos(back) - toNanos(m)) <= tolerance,
          `${JSON.stringify(m)} -> ${JSON.stringify(back)}`,
        );
        assert.ok(Number(toNanos(m) - toNanos(back)) <= tolerance);
      }),
    );
  });
});
