// Money in the browser: the exact maths (BigInt nanos, no floats) is the
// services' own, from @astroshop/money's browser-safe entry; this file only
// totals for display and formats with the currency's symbol.
import { type Money, moneyProblem, multiply, sum, toNanos } from '@astroshop/money/nanos';

export type { Money };
export { multiply };

/**
 * The total of `amounts` in `currencyCode`, or undefined while any of them is
 * malformed or in another currency (a page mid-switch still holds the old
 * prices): a sum across currencies would be a wrong number, not a total.
 */
export function totalOf(currencyCode: string, amounts: Money[]): Money | undefined {
  if (amounts.some((amount) => moneyProblem(amount) || amount.currencyCode !== currencyCode))
    return undefined;
  return sum(currencyCode, amounts);
}

/** True when `value` is a well-formed Money (what a page may do maths on). */
export const isMoney = (value: unknown): value is Money =>
  typeof value === 'object' && value !== null && moneyProblem(value as Money) === undefined;

const symbols = new Map<string, string>();

/** The currency's narrow symbol (`$`, `€`, `¥`, `CHF`); the code itself when unknown. */
export function currencySymbol(code: string): string {
  let symbol = symbols.get(code);
  if (symbol === undefined) {
    try {
      const parts = new Intl.NumberFormat('en-US', {
        style: 'currency',
        currency: code,
        currencyDisplay: 'narrowSymbol',
      }).formatToParts(0);
      symbol = parts.find((p) => p.type === 'currency')?.value ?? code;
    } catch {
      symbol = code;
    }
    symbols.set(code, symbol);
  }
  return symbol;
}

/** "€1,234.57": cents rounded half-up from the exact nanos, digits grouped by 3. */
export function formatMoney(m: Money | undefined): string {
  if (!m || moneyProblem(m)) return '';
  const nanos = toNanos(m);
  const negative = nanos < 0n;
  const abs = negative ? -nanos : nanos;
  const cents = (abs + 5_000_000n) / 10_000_000n;
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fraction = (cents % 100n).toString().padStart(2, '0');
  const symbol = currencySymbol(m.currencyCode);
  const gap = /^[A-Z]{2,}$/.test(symbol) ? ' ' : '';
  return `${negative ? '-' : ''}${symbol}${gap}${whole}.${fraction}`;
}
