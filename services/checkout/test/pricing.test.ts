import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { itemUnits, orderTotal } from '../src/pricing.ts';
import { usd } from './fakes.ts';

describe('order pricing', () => {
  test('total is shipping plus each unit cost times quantity, to the nano', () => {
    const lines = [
      { item: { productId: 'A', quantity: 3 }, cost: usd(0, 100_000_000) },
      { item: { productId: 'B', quantity: 2 }, cost: usd(101, 960_000_000) },
    ];
    // 0.1 × 3 is 0.30000000000000004 in floats; here it must be exactly 0.30.
    assert.deepEqual(orderTotal(lines, usd(8, 990_000_000)), usd(213, 210_000_000));
  });

  test('carries nanos into units', () => {
    const lines = [{ item: { productId: 'A', quantity: 7 }, cost: usd(0, 999_999_999) }];
    assert.deepEqual(orderTotal(lines, usd(0, 1)), usd(6, 999_999_994));
    const halves = [{ item: { productId: 'B', quantity: 2 }, cost: usd(0, 600_000_000) }];
    assert.deepEqual(orderTotal(halves, usd(0, 500_000_000)), usd(1, 700_000_000));
  });

  test('mixed currencies are refused, not silently added', () => {
    const lines = [
      { item: { productId: 'A', quantity: 1 }, cost: { currencyCode: 'EUR', units: 1, nanos: 0 } },
    ];
    assert.throws(() => orderTotal(lines, usd(1)), /cannot combine/);
  });

  test('item units sum the quantities', () => {
    assert.equal(
      itemUnits([
        { productId: 'A', quantity: 2 },
        { productId: 'B', quantity: 5 },
      ]),
      7,
    );
  });
});
