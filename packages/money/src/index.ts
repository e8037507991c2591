import { Decimal } from 'decimal.js';

/** The shop's Money shape (ts-proto's `Money`, camelCase). */
export interface Money {
  currencyCode: string;
  units: number;
  nanos: number;
}

export class MoneyError extends Error {
  override name = 'MoneyError';
}

/**
 * The 33 currencies the shop converts between (the original's rate table, kept
 * by the currency service). Other services use it to bound metric labels.
 */
export const SHOP_CURRENCIES: ReadonlySet<string> = new Set(
  'AUD BGN BRL CAD CHF CNY CZK DKK EUR GBP HKD HRK HUF IDR ILS INR ISK JPY KRW MXN MYR NOK NZD PHP PLN RON RUB SEK SGD THB TRY USD ZAR'.split(
    ' ',
  ),
);

const NANOS_PER_UNIT = 1_000_000_000n;
const MAX_NANOS = 999_999_999;

/** Why a Money is malformed, or undefined when it is valid. */
export function moneyProblem(money: Money | undefined | null): string | undefined {
  if (!money) return 'money is missing';
  const { units, nanos, currencyCode } = money;
  if (!/^[A-Z]{3}$/.test(currencyCode))
    return `currency code ${JSON.stringify(currencyCode)} is not a 3-letter ISO 4217 code`;
  if (!Number.isSafeInteger(units)) return `units ${units} is not a safe integer`;
  if (!Number.isInteger(nanos) || Math.abs(nanos) > MAX_NANOS) return `nanos ${nanos} is outside ±999999999`;
  if ((units > 0 && nanos < 0) || (units < 0 && nanos > 0))
    return `units ${units} and nanos ${nanos} have different signs`;
  return undefined;
}

export function assertMoney(money: Money | undefined | null): asserts money is Money {
  const problem = moneyProblem(money);
  if (problem) throw new MoneyError(problem);
}

/** The amount as an exact count of nanos. */
export function toNanos(money: Money): bigint {
  return BigInt(money.units) * NANOS_PER_UNIT + BigInt(money.nanos);
}

/** Builds a normalised Money (same-sign units/nanos, |nanos| < 1e9) from nanos. */
export function fromNanos(currencyCode: string, total: bigint): Money {
  // BigInt division truncates toward zero and the remainder keeps the
  // dividend's sign, which is exactly the normal form Money requires.
  return { currencyCode, units: Number(total / NANOS_PER_UNIT), nanos: Number(total % NANOS_PER_UNIT) };
}

export function zero(currencyCode: string): Money {
  return { currencyCode, units: 0, nanos: 0 };
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currencyCode !== b.currencyCode) {
    throw new MoneyError(`cannot combine ${a.currencyCode} with ${b.currencyCode}`);
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return fromNanos(a.currencyCode, toNanos(a) + toNanos(b));
}

export function multiply(money: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity)) throw new MoneyError(`quantity ${quantity} is not an integer`);
  return fromNanos(money.currencyCode, toNanos(money) * BigInt(quantity));
}

export function sum(currencyCode: string, amounts: Iterable<Money>): Money {
  let total = zero(currencyCode);
  for (const amount of amounts) total = add(total, amount);
  return total;
}

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
