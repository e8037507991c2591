import { moneyProblem } from '@astroshop/money';
import {
  GetQuoteRequest,
  GetQuoteResponse,
  SendOrderConfirmationRequest,
  ShipOrderRequest,
  ShipOrderResponse,
  toSnakeCaseJson,
} from '@astroshop/proto';
import { GrpcStatus, StatusError } from '@astroshop/service-kit';
import type { Neighbours } from './neighbours.ts';

// ship-order may sleep up to 10 s by design (intlShippingSlowdown), so its
// deadline leaves room for that; the others answer at once when healthy.
const DEADLINE_MS = { quote: 3000, ship: 15_000, email: 3000 };

/**
 * 400/413/422 mean the neighbour refuses what we sent on the caller's behalf
 * (an address it rejects, too many items): the caller's INVALID_ARGUMENT,
 * never "unavailable". 5xx or no answer means it is down.
 */
function statusForHttp(httpStatus: number): GrpcStatus {
  if (httpStatus === 400 || httpStatus === 413 || httpStatus === 422) return GrpcStatus.INVALID_ARGUMENT;
  if (httpStatus === 429) return GrpcStatus.RESOURCE_EXHAUSTED;
  if (httpStatus >= 500) return GrpcStatus.UNAVAILABLE;
  return GrpcStatus.INTERNAL;
}

async function postJson(url: string, body: unknown, timeoutMs: number): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : `unreachable (${(error as Error & { cause?: Error }).cause?.message ?? String(error)})`;
    throw new StatusError(GrpcStatus.UNAVAILABLE, `POST ${url}: ${reason}`, { cause: error });
  }
  const text = await response.text();
  if (!response.ok) {
    throw new StatusError(
      statusForHttp(response.status),
      `POST ${url}: HTTP ${response.status} ${text.slice(0, 200)}`,
    );
  }
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new StatusError(GrpcStatus.INTERNAL, `POST ${url}: response is not JSON: ${text.slice(0, 200)}`);
  }
}

export function httpNeighbours(urls: {
  shipping: string;
  email: string;
}): Pick<Neighbours, 'quoteShipping' | 'shipOrder' | 'sendConfirmation'> {
  return {
    async quoteShipping(address, items) {
      const url = `${urls.shipping}/get-quote`;
      const body = toSnakeCaseJson(GetQuoteRequest.toJSON({ address, items }));
      const { costUsd } = GetQuoteResponse.fromJSON(await postJson(url, body, DEADLINE_MS.quote));
      const problem = moneyProblem(costUsd);
      if (problem || !costUsd)
        throw new StatusError(GrpcStatus.INTERNAL, `POST ${url}: bad cost_usd: ${problem}`);
      return costUsd;
    },
    async shipOrder(address, items) {
      const url = `${urls.shipping}/ship-order`;
      const body = toSnakeCaseJson(ShipOrderRequest.toJSON({ address, items }));
      const { trackingId } = ShipOrderResponse.fromJSON(await postJson(url, body, DEADLINE_MS.ship));
      if (!trackingId)
        throw new StatusError(GrpcStatus.INTERNAL, `POST ${url}: no tracking_id in the answer`);
      return trackingId;
    },
    async sendConfirmation(email, order) {
      const body = toSnakeCaseJson(SendOrderConfirmationRequest.toJSON({ email, order }));
      await postJson(`${urls.email}/send_order_confirmation`, body, DEADLINE_MS.email);
    },
  };
}
