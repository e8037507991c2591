// Converted prices, remembered for a short while. `/api/products` in EUR used
// to make one Convert call per product on every request (issue 17: 81 req/s,
// p95 206 ms). The currency service converts from a fixed rate table, so the
// same (amount, target) always gives the same answer: the frontend asks once
// per distinct price and target, shares an answer still in flight, and asks
// again after `ttlMs` (so the currency service keeps seeing traffic and a
// changed table is picked up). Failures are never remembered.
import type { Money } from '@astroshop/proto';

export interface CurrencyGateway {
  supported(): Promise<string[]>;
  convert(from: Money, toCode: string): Promise<Money>;
}

/** Enough for every catalog price in every shop currency (10 × 33), with room for shipping quotes. */
export const MAX_REMEMBERED = 2048;

interface Entry {
  expires: number;
  value: Promise<Money>;
}

export function memoizeConversions(
  currency: CurrencyGateway,
  options: { ttlMs: number; maxEntries?: number; now?: () => number },
): CurrencyGateway {
  if (options.ttlMs <= 0) return currency;
  const max = options.maxEntries ?? MAX_REMEMBERED;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  const convert = (from: Money, toCode: string): Promise<Money> => {
    const key = `${from.currencyCode} ${from.units} ${from.nanos} ${toCode}`;
    const at = now();
    const hit = entries.get(key);
    if (hit && hit.expires > at) return hit.value;
    if (hit) entries.delete(key);
    const value = currency.convert(from, toCode).then((money) => Object.freeze(money));
    entries.set(key, { expires: at + options.ttlMs, value });
    // A failed call is answered as it is (every waiter sees it) and asked again next time.
    value.catch(() => {
      if (entries.get(key)?.value === value) entries.delete(key);
    });
    // Oldest first: a Map iterates in insertion order.
    while (entries.size > max) entries.delete(entries.keys().next().value as string);
    return value;
  };

  return { supported: () => currency.supported(), convert };
}
