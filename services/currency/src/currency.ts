import { convert, type Money, moneyProblem } from '@astroshop/money';
import { invalidArgument } from '@astroshop/service-kit';
import { EUR_RATES } from './rates.ts';

export const SUPPORTED_CURRENCIES: readonly string[] = Object.keys(EUR_RATES).sort();

function rateOf(code: string, role: 'source' | 'target'): string {
  const rate = Object.hasOwn(EUR_RATES, code) ? EUR_RATES[code] : undefined;
  if (!rate) throw invalidArgument(`unsupported ${role} currency ${JSON.stringify(code)}`);
  return rate;
}

/** Converts exactly; unknown codes and malformed money are INVALID_ARGUMENT. */
export function convertMoney(from: Money | undefined, toCode: string): Money {
  const problem = moneyProblem(from);
  if (problem || !from) throw invalidArgument(`invalid amount: ${problem}`);
  const fromRate = rateOf(from.currencyCode, 'source');
  const toRate = rateOf(toCode, 'target');
  return convert(from, fromRate, toRate, toCode);
}
