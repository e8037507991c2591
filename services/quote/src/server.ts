import { createHttpApp, type FastifyInstance, type Logger, parseRequest } from '@astroshop/service-kit';
import { ATTR, activeSpan, METRIC, withSpan } from '@astroshop/telemetry';
import { metrics, trace } from '@opentelemetry/api';
import { z } from 'zod';
import { itemsBucket, MAX_ITEMS, quoteFor } from './quote.ts';

const QuoteRequest = z.object({
  numberOfItems: z
    .number({ error: 'numberOfItems must be a number' })
    .int('numberOfItems must be an integer')
    .min(0, 'numberOfItems must not be negative')
    .max(MAX_ITEMS, `numberOfItems must be at most ${MAX_ITEMS}`),
});

export function quoteApp(logger: Logger): FastifyInstance {
  const app = createHttpApp({ logger, bodyLimit: 16 * 1024 });
  const tracer = trace.getTracer('quote');
  const quotes = metrics.getMeter('quotes').createCounter(METRIC.quotes, {
    // `{quote}` rather than the original's unit "quotes", so Prometheus names it quotes_total.
    unit: '{quote}',
    description: 'number of quotes calculated',
  });

  app.post('/getquote', async (request, reply) => {
    activeSpan()?.addEvent('Received get quote request, processing it');
    const { numberOfItems } = parseRequest(QuoteRequest, request.body);

    const total = await withSpan(tracer, 'calculate-quote', (span) => {
      span.addEvent('Calculating quote');
      const cost = quoteFor(numberOfItems);
      span.setAttributes({
        [ATTR.shippingQuoteItemsCount]: numberOfItems,
        [ATTR.shippingQuoteCostTotal]: Number(cost),
      });
      span.addEvent('Quote calculated, returning its value');
      return cost;
    });

    quotes.add(1, { [ATTR.quoteNumberOfItems]: itemsBucket(numberOfItems) });
    activeSpan()?.addEvent('Quote processed, response sent back', {
      [ATTR.shippingQuoteCostTotal]: Number(total),
    });
    logger.info({ total, numberOfItems }, 'Calculated quote');
    // A bare JSON number, written from the exact decimal string (no float round trip).
    return reply.type('application/json').send(total);
  });

  return app;
}
