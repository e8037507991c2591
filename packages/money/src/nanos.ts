// Exact Money maths on BigInt nanos, with no dependency and no node: import,
// so the browser bundle uses the same code as the services
// (`@astroshop/money/nanos`). Decimal conversion and formatting are in index.ts.

/** The shop's Money shape (ts-proto's `Money`, camelCase). */
export interface Money {
  currencyCode: string;
  units: number;
  nanos: number;
}

export class MoneyError extends Error {
  override name = 'MoneyError';
}

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
