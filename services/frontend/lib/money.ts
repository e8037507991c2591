// Exact money in the browser: amounts are units + nanos, summed as BigInt
// nanos (no floats), displayed with two decimals and the currency's symbol.

export interface Money {
  currencyCode: string;
  units: number;
  nanos: number;
}

const NANOS = 1_000_000_000n;

export const toNanos = (m: Money): bigint =>
  BigInt(Math.trunc(m.units)) * NANOS + BigInt(Math.trunc(m.nanos));

export function fromNanos(currencyCode: string, total: bigint): Money {
  return { currencyCode, units: Number(total / NANOS), nanos: Number(total % NANOS) };
}

export const multiply = (m: Money, quantity: number): Money =>
  fromNanos(m.currencyCode, toNanos(m) * BigInt(quantity));

/** Sum of amounts in one currency; `currencyCode` names the result when the list is empty. */
export function sum(currencyCode: string, amounts: Money[]): Money {
  let total = 0n;
  for (const amount of amounts) total += toNanos(amount);
  return fromNanos(amounts[0]?.currencyCode ?? currencyCode, total);
}

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
  if (!m) return '';
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
