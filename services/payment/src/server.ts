import { FLAG, numberFlag } from '@astroshop/flags';
import { formatAmount, moneyProblem, SHOP_CURRENCIES } from '@astroshop/money';
import { type PaymentServiceServer, PaymentServiceService } from '@astroshop/proto';
import { type GrpcService, type Logger, unary } from '@astroshop/service-kit';
import {
  ATTR,
  activeSpan,
  BAGGAGE,
  baggageValue,
  boundedLabel,
  METRIC,
  withSpan,
} from '@astroshop/telemetry';
import { metrics, trace } from '@opentelemetry/api';
import { chargeCard } from './charge.ts';

export function paymentService(logger: Logger): GrpcService {
  const tracer = trace.getTracer('payment');
  const transactions = metrics.getMeter('payment').createCounter(METRIC.paymentTransactions, {
    unit: '{transaction}',
    description: 'Card charges that went through',
  });

  const implementation: PaymentServiceServer = {
    charge: unary(logger, async (request) => {
      const serverSpan = activeSpan();
      if (!moneyProblem(request.amount) && request.amount) {
        serverSpan?.setAttribute(ATTR.paymentAmount, formatAmount(request.amount));
      }
      const synthetic = baggageValue(BAGGAGE.syntheticRequest) === 'true';
      logger.info('Charge request received.');

      const outcome = await withSpan(tracer, 'charge', async (span) => {
        // enduser.id comes from baggage through the telemetry package's baggage span processor.
        if (synthetic) span.setAttribute(ATTR.userAgentSyntheticType, 'test');
        const failureRate = await numberFlag(FLAG.paymentFailure, 0);
        return chargeCard(request, { failureRate, synthetic }, span);
      });

      serverSpan?.setAttribute(ATTR.paymentCharged, outcome.charged);
      // A direct caller may send any 3-letter code: the label keeps to the shop's currencies.
      transactions.add(1, {
        [ATTR.paymentCurrency]: boundedLabel(outcome.amount.currencyCode, SHOP_CURRENCIES),
      });
      // Card data stays out of logs: the type and last four digits identify it enough.
      logger.info(
        {
          transactionId: outcome.transactionId,
          cardType: outcome.cardType,
          lastFourDigits: outcome.lastFour,
          amount: outcome.amount,
          loyalty_level: outcome.loyaltyLevel,
        },
        'Transaction complete.',
      );
      return { transactionId: outcome.transactionId };
    }),
  };

  return { definition: PaymentServiceService, implementation, name: 'oteldemo.PaymentService' };
}
