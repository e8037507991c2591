import { moneyProblem } from '@astroshop/money';
import {
  GetQuoteRequest,
  GetQuoteResponse,
  SendOrderConfirmationRequest,
  ShipOrderRequest,
  ShipOrderResponse,
  toSnakeCaseJson,
} from '@astroshop/proto';
import { type HttpNeighbour, httpNeighbour, type NeighbourConfig } from '@astroshop/service-kit';
import type { Neighbours } from './neighbours.ts';

/** The JSON of an answer; a body that is not JSON is the neighbour's fault. */
function json(neighbour: HttpNeighbour, step: string, text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw neighbour.badAnswer(step, `response is not JSON: ${text.slice(0, 200)}`);
  }
}

export function httpNeighbours(config: {
  shipping: NeighbourConfig;
  email: NeighbourConfig;
}): Pick<Neighbours, 'quoteShipping' | 'shipOrder' | 'sendConfirmation'> {
  const shipping = httpNeighbour(config.shipping);
  const email = httpNeighbour(config.email);
  return {
    async quoteShipping(address, items) {
      const body = toSnakeCaseJson(GetQuoteRequest.toJSON({ address, items }));
      // A quote changes nothing: safe to ask again.
      const text = await shipping.postJson('/get-quote', body, { idempotent: true });
      const { costUsd } = GetQuoteResponse.fromJSON(json(shipping, 'POST /get-quote', text));
      const problem = moneyProblem(costUsd);
      if (problem || !costUsd) throw shipping.badAnswer('POST /get-quote', `bad cost_usd: ${problem}`);
      return costUsd;
    },
    async shipOrder(address, items) {
      const body = toSnakeCaseJson(ShipOrderRequest.toJSON({ address, items }));
      const text = await shipping.postJson('/ship-order', body, { idempotent: false });
      const { trackingId } = ShipOrderResponse.fromJSON(json(shipping, 'POST /ship-order', text));
      if (!trackingId) throw shipping.badAnswer('POST /ship-order', 'no tracking_id in the answer');
      return trackingId;
    },
    async sendConfirmation(to, order) {
      const body = toSnakeCaseJson(SendOrderConfirmationRequest.toJSON({ email: to, order }));
      await email.postJson('/send_order_confirmation', body, { idempotent: false });
    },
  };
}
