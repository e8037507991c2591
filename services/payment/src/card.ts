import type { CreditCardInfo } from '@astroshop/proto';
import { invalidArgument } from '@astroshop/service-kit';
import cardValidator from 'card-validator';

const ACCEPTED_TYPES = new Set(['visa', 'mastercard']);

export interface CheckedCard {
  /** card-validator's type id: `visa`, `mastercard`, `american-express`, ... */
  type: string;
  valid: boolean;
  lastFour: string;
}

/** What the card looks like, without judging it (so spans can say why it failed). */
export function inspectCard(card: CreditCardInfo | undefined): CheckedCard {
  const number = card?.creditCardNumber ?? '';
  const verdict = cardValidator.number(number);
  return {
    type: verdict.card?.type ?? 'unknown',
    valid: verdict.isValid,
    lastFour: number.replace(/\D/g, '').slice(-4),
  };
}

/** Months since year 0, so "expired" is one integer comparison. */
const monthIndex = (year: number, month: number) => year * 12 + month;

/**
 * Rejects with the original's exact messages. All are INVALID_ARGUMENT: the
 * caller sent a card we will never accept, so retrying cannot help.
 * A card is valid through the last day of its expiry month.
 */
export function assertChargeable(card: CreditCardInfo | undefined, now: Date): CheckedCard {
  const checked = inspectCard(card);
  const month = card?.creditCardExpirationMonth ?? 0;
  const year = card?.creditCardExpirationYear ?? 0;
  if (!card || !checked.valid || month < 1 || month > 12) {
    throw invalidArgument('Credit card info is invalid.');
  }
  // int32 on the wire: a negative or 5-digit CVV, or a year no card has, is the caller's mistake.
  if (card.creditCardCvv < 0 || card.creditCardCvv > 9999)
    throw invalidArgument(`credit_card.credit_card_cvv must be 0..9999 (3 or 4 digits)`);
  if (year < 1 || year > 9999)
    throw invalidArgument(`credit_card.credit_card_expiration_year must be a 4-digit year, got ${year}`);
  if (!ACCEPTED_TYPES.has(checked.type)) {
    throw invalidArgument(
      `Sorry, we cannot process ${checked.type} credit cards. Only VISA or MasterCard is accepted.`,
    );
  }
  if (monthIndex(now.getUTCFullYear(), now.getUTCMonth() + 1) > monthIndex(year, month)) {
    throw invalidArgument(`The credit card (ending ${checked.lastFour}) expired on ${month}/${year}.`);
  }
  return checked;
}
