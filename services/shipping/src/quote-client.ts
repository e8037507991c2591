import { fromNanos, type Money } from '@astroshop/money';
import { invalidArgument, StatusError, unavailable } from '@astroshop/service-kit';

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
 * Client of quote's `POST /getquote`. quote's 4xx means the request itself is
 * wrong (more than 10 000 items): INVALID_ARGUMENT with its reason, so the
 * caller sees a 400, not "unavailable". Every other failure is a 503 naming quote.
 */
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
        if (response.status >= 400 && response.status < 500)
          throw invalidArgument(`quote rejected the request: ${reasonOf(body)}`);
        if (!response.ok) throw new Error(`HTTP ${response.status}: ${body.slice(0, 200)}`);
      } catch (error) {
        if (error instanceof StatusError) throw error;
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

/** The `error` of quote's JSON error body, else the start of the body. */
function reasonOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') return parsed.error;
  } catch {
    // not JSON: fall through
  }
  return body.slice(0, 200);
}

/** fetch() says only "fetch failed"; the useful part (ECONNREFUSED …) is in its cause. */
function causeOf(error: unknown): string {
  const err = error as Error & { cause?: { code?: string; message?: string } };
  const cause = err.cause?.code ?? err.cause?.message;
  return cause ? `${err.message} (${cause})` : err.message;
}
