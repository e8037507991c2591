import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GrpcStatus, StatusError } from '@astroshop/service-kit';
import { assertChargeable } from '../src/card.ts';

const VISA = '4432-8015-6152-0454';
const card = (number: string, year: number, month: number) => ({
  creditCardNumber: number,
  creditCardCvv: 672,
  creditCardExpirationYear: year,
  creditCardExpirationMonth: month,
});
const JUNE_2030 = new Date(Date.UTC(2030, 5, 15));

function rejects(fn: () => unknown, message: string) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof StatusError);
    assert.equal(error.code, GrpcStatus.INVALID_ARGUMENT);
    assert.equal(error.message, message);
    return true;
  });
}

describe('card validation', () => {
  test('accepts VISA and MasterCard, with or without dashes', () => {
    assert.equal(assertChargeable(card(VISA, 2031, 1), JUNE_2030).type, 'visa');
    assert.equal(assertChargeable(card('5555555555554444', 2031, 1), JUNE_2030).type, 'mastercard');
    assert.equal(assertChargeable(card(VISA, 2031, 1), JUNE_2030).lastFour, '0454');
  });

  test('a number failing Luhn is invalid', () => {
    rejects(
      () => assertChargeable(card('4432-8015-6152-0455', 2031, 1), JUNE_2030),
      'Credit card info is invalid.',
    );
  });

  test('missing card and impossible month are invalid', () => {
    rejects(() => assertChargeable(undefined, JUNE_2030), 'Credit card info is invalid.');
    rejects(() => assertChargeable(card(VISA, 2031, 13), JUNE_2030), 'Credit card info is invalid.');
  });

  test('other card types are refused by name', () => {
    rejects(
      () => assertChargeable(card('378282246310005', 2031, 1), JUNE_2030),
      'Sorry, we cannot process american-express credit cards. Only VISA or MasterCard is accepted.',
    );
  });

  test('the expiry month itself is still valid; the month before it is not', () => {
    assert.equal(assertChargeable(card(VISA, 2030, 6), JUNE_2030).type, 'visa');
    rejects(
      () => assertChargeable(card(VISA, 2030, 5), JUNE_2030),
      'The credit card (ending 0454) expired on 5/2030.',
    );
    rejects(
      () => assertChargeable(card(VISA, 2029, 12), JUNE_2030),
      'The credit card (ending 0454) expired on 12/2029.',
    );
  });

  test('an out-of-range CVV or year is INVALID_ARGUMENT naming the field (never echoing the CVV)', () => {
    rejects(
      () => assertChargeable({ ...card(VISA, 2031, 1), creditCardCvv: -1 }, JUNE_2030),
      'credit_card.credit_card_cvv must be 0..9999 (3 or 4 digits)',
    );
    rejects(
      () => assertChargeable({ ...card(VISA, 2031, 1), creditCardCvv: 2 ** 31 - 1 }, JUNE_2030),
      'credit_card.credit_card_cvv must be 0..9999 (3 or 4 digits)',
    );
    rejects(
      () => assertChargeable(card(VISA, 2 ** 31 - 1, 1), JUNE_2030),
      'credit_card.credit_card_expiration_year must be a 4-digit year, got 2147483647',
    );
  });
});
