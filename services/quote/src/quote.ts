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
