import { fromNanos, type Money } from '@astroshop/money';
import { unavailable } from '@astroshop/service-kit';

const DECIMAL = /^\s*(\d{1,15})(?:\.(\d{1,9}))?\s*$/;

/**
 * Parses quote's bare JSON number ("26.97") into exact USD Money. Digits are
 * taken from the text itself, never through a float, so no cent drifts.
 */
export function parseQuoteAmount(body: string): Money {
  const match = DECIMAL.exec(body);
  if (!match)
    throw new Error(`expected a non-negative decimal number, got ${JSON.stringify(body.slice(0, 40))}`);
  const [, units = '0', fraction = ''] = match;
  const nanos = BigInt(units) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0'));
  return fromNanos('USD', nanos);
}

export interface QuoteClient {
  quote(numberOfItems: number): Promise<Money>;
}

/** Client of quote's `POST /getquote`; every failure is a 503 naming quote. */
export function createQuoteClient(baseUrl: string, timeoutMs: number): QuoteClient {
  return {
    async quote(numberOfItems) {
      let body: string;
      try {
        const response = await fetch(`${baseUrl}/getquote`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ numberOfItems }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        body = await response.text();
        if (!response.ok) throw new Error(`HTTP ${response.status}: ${body.slice(0, 200)}`);
      } catch (error) {
        const reason =
          (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : causeOf(error);
        throw unavailable(`quote service unavailable: ${reason}`, error);
      }
      try {
        return parseQuoteAmount(body);
      } catch (error) {
        throw unavailable(`quote service unavailable: bad answer: ${(error as Error).message}`, error);
      }
    },
  };
}

/** fetch() says only "fetch failed"; the useful part (ECONNREFUSED …) is in its cause. */
function causeOf(error: unknown): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message;
  return cause ? `${err.message} (${cause})` : err.message;
}
