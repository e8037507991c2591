import { fromNanos, type Money } from '@astroshop/money';
import { httpNeighbour, type NeighbourConfig } from '@astroshop/service-kit';

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

/**
 * Client of quote's `POST /getquote` through the neighbour client. quote's
 * 4xx (more than 10 000 items) stays the caller's 400 with quote's reason;
 * down or silent is a 503 naming quote. A quote changes nothing, so an
 * UNAVAILABLE answer is retried within the deadline.
 */
export function createQuoteClient(config: NeighbourConfig): QuoteClient {
  const quote = httpNeighbour(config);
  return {
    async quote(numberOfItems) {
      const body = await quote.postJson('/getquote', { numberOfItems }, { idempotent: true });
      try {
        return parseQuoteAmount(body);
      } catch (error) {
        throw quote.badAnswer('POST /getquote', (error as Error).message);
      }
    },
  };
}
