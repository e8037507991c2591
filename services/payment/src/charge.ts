import { randomUUID } from 'node:crypto';
import { formatAmount, type Money, moneyProblem } from '@astroshop/money';
import type { ChargeRequest } from '@astroshop/proto';
import { invalidArgument, unavailable } from '@astroshop/service-kit';
import { ATTR } from '@astroshop/telemetry';
import type { Span } from '@opentelemetry/api';
import { assertChargeable, inspectCard } from './card.ts';

export const LOYALTY_LEVELS = ['platinum', 'gold', 'silver', 'bronze'] as const;
export type LoyaltyLevel = (typeof LOYALTY_LEVELS)[number];

export const FAILURE_MESSAGE = 'Payment request failed. Invalid token. demo.user_context.loyalty_level=gold';

export interface ChargeContext {
  /** paymentFailure flag value: the probability (0..1) of a simulated failure. */
  failureRate: number;
  /** Synthetic (load-generator) requests are validated but not charged. */
  synthetic: boolean;
  random?: () => number;
  now?: Date;
  newId?: () => string;
}

export interface ChargeOutcome {
  transactionId: string;
  amount: Money;
  cardType: string;
  lastFour: string;
  loyaltyLevel: LoyaltyLevel;
  charged: boolean;
}

export function validAmount(amount: Money | undefined): Money {
  const problem = moneyProblem(amount);
  if (problem || !amount) throw invalidArgument(`invalid amount: ${problem}`);
  if (amount.units < 0 || amount.nanos < 0 || (amount.units === 0 && amount.nanos === 0)) {
    throw invalidArgument(`invalid amount: must be greater than zero, got ${formatAmount(amount)}`);
  }
  return amount;
}

/**
 * The `charge` span's work. The simulated failure is UNAVAILABLE: it stands
 * for a processor that rejected the token this time, a transient server-side
 * fault the caller did not cause and may retry (INTERNAL would read as a bug).
 */
export function chargeCard(request: ChargeRequest, context: ChargeContext, span: Span): ChargeOutcome {
  const random = context.random ?? Math.random;
  const amount = validAmount(request.amount);

  if (context.failureRate > 0 && random() < context.failureRate) {
    span.setAttribute(ATTR.userLoyaltyLevel, 'gold');
    throw unavailable(FAILURE_MESSAGE);
  }

  const seen = inspectCard(request.creditCard);
  const loyaltyLevel = LOYALTY_LEVELS[Math.floor(random() * LOYALTY_LEVELS.length)] ?? 'bronze';
  span.setAttributes({
    [ATTR.paymentCardType]: seen.type,
    [ATTR.paymentCardValid]: seen.valid,
    [ATTR.userLoyaltyLevel]: loyaltyLevel,
  });
  const card = assertChargeable(request.creditCard, context.now ?? new Date());

  const charged = !context.synthetic;
  span.setAttribute(ATTR.paymentCharged, charged);
  return {
    transactionId: (context.newId ?? randomUUID)(),
    amount,
    cardType: card.type,
    lastFour: card.lastFour,
    loyaltyLevel,
    charged,
  };
}
