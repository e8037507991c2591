import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { FLAG, numberFlag } from '@astroshop/flags';
import { formatAmount } from '@astroshop/money';
import {
  createHttpApp,
  type FastifyInstance,
  type Logger,
  parseRequest,
  unavailable,
} from '@astroshop/service-kit';
import { ATTR, activeSpan, METRIC } from '@astroshop/telemetry';
import { metrics } from '@opentelemetry/api';
import { isDomestic } from './domestic.ts';
import type { QuoteClient } from './quote-client.ts';
import { ShippingRequest, totalQuantity } from './request.ts';

/** The flag is in seconds; anything longer than this would outlive every client deadline. */
const MAX_SLOWDOWN_SECONDS = 60;

export interface ShippingDeps {
  logger: Logger;
  quotes: QuoteClient;
  /** Aborted on SIGTERM so a request sleeping for intlShippingSlowdown ends at once. */
  shutdown: AbortSignal;
  quoteAddress: string;
  /** Waits out the slowdown, rejecting when `signal` aborts; tests pass one they release themselves. */
  wait?: (ms: number, signal: AbortSignal) => Promise<unknown>;
}

export function shippingApp({
  logger,
  quotes,
  shutdown,
  quoteAddress,
  wait = (ms, signal) => sleep(ms, undefined, { signal }),
}: ShippingDeps): FastifyInstance {
  const app = createHttpApp({ logger, bodyLimit: 128 * 1024 });
  const itemsShipped = metrics.getMeter('shipping').createCounter(METRIC.shippingItemsShipped, {
    unit: '{item}',
    description: 'Items in shipped orders',
  });

  app.post('/get-quote', async (request) => {
    const body = parseRequest(ShippingRequest, request.body);
    const count = totalQuantity(body);
    logger.info(
      {
        [ATTR.eventName]: 'shipping.quote.requested',
        quote_service_addr: quoteAddress,
        numberOfItems: count,
      },
      'requesting a quote',
    );
    const cost = await quotes.quote(count);
    const total = formatAmount(cost);
    const span = activeSpan();
    span?.addEvent('shipping.quote.received');
    span?.setAttribute(ATTR.shippingCostTotal, total);
    logger.info(
      {
        [ATTR.eventName]: 'shipping.quote.sent',
        dollars: cost.units,
        cents: Math.trunc(cost.nanos / 10_000_000),
      },
      `sending quote ${total} USD`,
    );
    return { cost_usd: { currency_code: cost.currencyCode, units: cost.units, nanos: cost.nanos } };
  });

  app.post('/ship-order', async (request) => {
    const body = parseRequest(ShippingRequest, request.body);
    if (!isDomestic(body.address?.country)) await internationalSlowdown();
    const trackingId = randomUUID();
    itemsShipped.add(totalQuantity(body));
    activeSpan()?.setAttribute(ATTR.shippingTrackingId, trackingId);
    logger.info(
      { [ATTR.eventName]: 'shipping.tracking_id.created', tracking_id: trackingId },
      'tracking id created',
    );
    return { tracking_id: trackingId };
  });

  async function internationalSlowdown(): Promise<void> {
    const seconds = Math.min(
      MAX_SLOWDOWN_SECONDS,
      Math.max(0, Math.trunc(await numberFlag(FLAG.intlShippingSlowdown, 0))),
    );
    logger.info(
      {
        [ATTR.eventName]: 'shipping.feature_flag.evaluated',
        feature_flag_key: FLAG.intlShippingSlowdown,
        feature_flag_provider_name: 'flagd',
        feature_flag_variant: seconds,
      },
      'feature flag evaluated',
    );
    if (seconds === 0) return;
    logger.info(
      { [ATTR.eventName]: 'shipping.international.slowdown', delay_secs: seconds },
      'delaying international shipment',
    );
    try {
      await wait(seconds * 1000, shutdown);
    } catch {
      throw unavailable('shipping service is shutting down; retry the order');
    }
  }

  return app;
}
