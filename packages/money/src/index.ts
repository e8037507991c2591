import { Decimal } from 'decimal.js';
import { fromNanos, type Money, MoneyError, toNanos } from './nanos.ts';

export * from './nanos.ts';

/**
 * The 33 currencies the shop converts between (the original's rate table, kept
 * by the currency service). Other services use it to bound metric labels.
 */
export const SHOP_CURRENCIES: ReadonlySet<string> = new Set(
  'AUD BGN BRL CAD CHF CNY CZK DKK EUR GBP HKD HRK HUF IDR ILS INR ISK JPY KRW MXN MYR NOK NZD PHP PLN RON RUB SEK SGD THB TRY USD ZAR'.split(
    ' ',
  ),
);

/**
 * Converts with exact decimal arithmetic through a common base:
 * amount / rate(from) * rate(to), rounded half-even to the nano. Same
 * currency returns the input unchanged (no float round trip).
 */
export function convert(money: Money, fromRate: Decimal.Value, toRate: Decimal.Value, toCode: string): Money {
  if (money.currencyCode === toCode) return { ...money };
  const from = new Decimal(fromRate);
  const to = new Decimal(toRate);
  if (from.lte(0) || to.lte(0)) throw new MoneyError('exchange rates must be positive');
  const nanos = new Decimal(toNanos(money).toString())
    .div(from)
    .mul(to)
    .toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN);
  return fromNanos(toCode, BigInt(nanos.toFixed(0)));
}

/** Exact decimal string with two places, rounded half-up on cents: "57.08", "-0.01". */
export function formatAmount(money: Money, places = 2): string {
  return new Decimal(toNanos(money).toString()).div(1e9).toFixed(places, Decimal.ROUND_HALF_UP);
}

/** For double-typed span attributes (e.g. demo.order.amount): cents exact. */
export function toNumber(money: Money): number {
  return Number(formatAmount(money));
}
