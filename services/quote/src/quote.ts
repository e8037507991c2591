import { Decimal } from 'decimal.js';

export const PRICE_PER_ITEM = '8.99';
export const MAX_ITEMS = 10_000;

/**
 * The shipping cost for `numberOfItems`, as an exact two-decimal string
 * ("26.97" for 3). Decimal, not float: 8.99 × 3 in binary is 26.970000000000002.
 */
export function quoteFor(numberOfItems: number): string {
  return new Decimal(PRICE_PER_ITEM).mul(numberOfItems).toFixed(2, Decimal.ROUND_HALF_UP);
}

const BUCKETS: readonly [number, string][] = [
  [0, '0'],
  [1, '1'],
  [5, '2-5'],
  [10, '6-10'],
  [100, '11-100'],
  [1000, '101-1000'],
];

/**
 * The `number_of_items` label of the quotes counter: a bucket, not the count
 * the caller sent, so the label has 7 values at most instead of 10 001.
 */
export function itemsBucket(numberOfItems: number): string {
  for (const [max, label] of BUCKETS) if (numberOfItems <= max) return label;
  return `1001-${MAX_ITEMS}`;
}
