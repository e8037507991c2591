import { FLAG, numberFlag } from '@astroshop/flags';
import { SendOrderConfirmationRequest } from '@astroshop/proto';
import {
  createHttpApp,
  type FastifyInstance,
  invalidArgument,
  type Logger,
  parseRequest,
} from '@astroshop/service-kit';
import { ATTR, activeSpan, METRIC, withSpan } from '@astroshop/telemetry';
import { metrics, trace } from '@opentelemetry/api';
import { z } from 'zod';
import { renderConfirmation } from './confirmation.ts';
import { type Outbox, padForLeak, retainsMail } from './outbox.ts';

// Only the outer shape is checked here; the order is decoded by ts-proto
// (snake_case or camelCase, zero fields may be missing) and its money and
// quantities are validated while building the view.
const Body = z.object({
  email: z
    .string({ error: 'email is required (a string)' })
    .min(3, 'email is required')
    .max(320, 'email must be at most 320 characters')
    .includes('@', { message: 'email must contain "@"' }),
  order: z.record(z.string(), z.unknown(), { error: 'order is required (an object)' }),
});

export function emailApp(logger: Logger, outbox: Outbox): FastifyInstance {
  const app = createHttpApp({ logger, bodyLimit: 512 * 1024 });
  const tracer = trace.getTracer('email');
  const confirmations = metrics.getMeter('email').createCounter(METRIC.notificationConfirmations, {
    unit: '1',
    description: 'Counts the number of order confirmation emails sent',
  });

  app.post('/send_order_confirmation', async (request, reply) => {
    const body = parseRequest(Body, request.body);
    const nullEntry = firstNullEntry(body.order, 'order');
    if (nullEntry) throw invalidArgument(`${nullEntry} must be an object, got null`);
    const { email, order } = SendOrderConfirmationRequest.fromJSON(body);
    const orderId = order?.orderId ?? '';
    activeSpan()?.setAttribute(ATTR.orderId, orderId);

    await withSpan(tracer, 'send_email', async (span) => {
      span.setAttribute(ATTR.orderId, orderId);
      const multiplier = await numberFlag(FLAG.emailMemoryLeak, 0);
      const html = padForLeak(renderConfirmation(order!), multiplier);
      outbox.deliver({ from: 'noreply@example.com', to: email, subject: 'Your confirmation email', html });
      if (!retainsMail(multiplier)) outbox.clear();
    });
    confirmations.add(1);
    logger.info(
      { [ATTR.eventName]: 'email.confirmation_sent', [ATTR.orderId]: orderId },
      'Order confirmation email sent',
    );
    return reply.code(200).send();
  });

  return app;
}

/**
 * The path of the first null list entry (`order.items.0`): ts-proto's fromJSON
 * reads fields of each entry and would throw a TypeError (a 500) on a null.
 */
export function firstNullEntry(value: unknown, path: string): string | undefined {
  if (Array.isArray(value)) {
    for (const [index, entry] of value.entries()) {
      if (entry === null) return `${path}.${index}`;
      const inner = firstNullEntry(entry, `${path}.${index}`);
      if (inner) return inner;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) {
      const inner = firstNullEntry(entry, `${path}.${key}`);
      if (inner) return inner;
    }
  }
  return undefined;
}
