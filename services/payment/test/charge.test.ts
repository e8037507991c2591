import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { FLAG, InMemoryProvider, numberFlag, OpenFeature } from '@astroshop/flags';
import type { ChargeRequest } from '@astroshop/proto';
import { GrpcStatus, StatusError } from '@astroshop/service-kit';
import { ATTR } from '@astroshop/telemetry';
import type { Span } from '@opentelemetry/api';
import { chargeCard, FAILURE_MESSAGE, LOYALTY_LEVELS } from '../src/charge.ts';

/** Records attributes the way a span would, enough to assert on. */
function fakeSpan() {
  const attributes: Record<string, unknown> = {};
  const span = {
    setAttribute(key: string, value: unknown) {
      attributes[key] = value;
      return span;
    },
    setAttributes(values: Record<string, unknown>) {
      Object.assign(attributes, values);
      return span;
    },
  };
  return { span: span as unknown as Span, attributes };
}

const request = (amount = { currencyCode: 'USD', units: 57, nanos: 80_000_000 }): ChargeRequest => ({
  amount,
  creditCard: {
    creditCardNumber: '4432-8015-6152-0454',
    creditCardCvv: 672,
    creditCardExpirationYear: 2099,
    creditCardExpirationMonth: 1,
  },
});

describe('chargeCard', () => {
  afterEach(async () => {
    await OpenFeature.clearProviders();
  });

  test('a good card is charged with a uuid transaction id and span attributes', () => {
    const { span, attributes } = fakeSpan();
    const outcome = chargeCard(request(), { failureRate: 0, synthetic: false }, span);
    assert.match(
      outcome.transactionId,
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.equal(outcome.charged, true);
    assert.equal(attributes[ATTR.paymentCardType], 'visa');
    assert.equal(attributes[ATTR.paymentCardValid], true);
    assert.equal(attributes[ATTR.paymentCharged], true);
    assert.ok(LOYALTY_LEVELS.includes(attributes[ATTR.userLoyaltyLevel] as never));
  });

  test('synthetic requests are validated but not charged', () => {
    const { span, attributes } = fakeSpan();
    const outcome = chargeCard(request(), { failureRate: 0, synthetic: true }, span);
    assert.equal(outcome.charged, false);
    assert.equal(attributes[ATTR.paymentCharged], false);
  });

  test('amount must be valid money above zero', () => {
    const { span } = fakeSpan();
    const invalid = (amount: { currencyCode: string; units: number; nanos: number }, pattern: RegExp) =>
      assert.throws(
        () => chargeCard(request(amount), { failureRate: 0, synthetic: false }, span),
        (error: unknown) =>
          error instanceof StatusError &&
          error.code === GrpcStatus.INVALID_ARGUMENT &&
          pattern.test(error.message),
      );
    invalid({ currencyCode: 'USD', units: 0, nanos: 0 }, /greater than zero, got 0\.00/);
    invalid({ currencyCode: 'USD', units: -1, nanos: 0 }, /greater than zero/);
    invalid({ currencyCode: 'usd', units: 1, nanos: 0 }, /ISO 4217/);
    invalid({ currencyCode: 'USD', units: 1, nanos: -5 }, /different signs/);
  });

  test('the failure draw happens before validation and fails UNAVAILABLE with the original message', () => {
    const { span, attributes } = fakeSpan();
    assert.throws(
      () => chargeCard(request(), { failureRate: 0.9, synthetic: false, random: () => 0.89 }, span),
      (error: unknown) =>
        error instanceof StatusError &&
        error.code === GrpcStatus.UNAVAILABLE &&
        error.message === FAILURE_MESSAGE,
    );
    assert.equal(attributes[ATTR.userLoyaltyLevel], 'gold');
    const outcome = chargeCard(request(), { failureRate: 0.9, synthetic: false, random: () => 0.9 }, span);
    assert.equal(outcome.charged, true);
  });

  test('paymentFailure "90%" from flagd fails about nine charges in ten', async () => {
    await OpenFeature.setProviderAndWait(
      new InMemoryProvider({
        [FLAG.paymentFailure]: { variants: { '90%': 0.9, off: 0 }, defaultVariant: '90%', disabled: false },
      }),
    );
    const failureRate = await numberFlag(FLAG.paymentFailure, 0);
    assert.equal(failureRate, 0.9);
    let failures = 0;
    const runs = 2000;
    for (let i = 0; i < runs; i++) {
      try {
        chargeCard(request(), { failureRate, synthetic: false }, fakeSpan().span);
      } catch {
        failures++;
      }
    }
    // Binomial(2000, 0.9): sd ≈ 13.4, so ±60 is more than 4 sd.
    assert.ok(Math.abs(failures - 1800) < 60, `expected ~1800 failures, got ${failures}`);
  });

  test('paymentFailure off never fails', async () => {
    await OpenFeature.setProviderAndWait(
      new InMemoryProvider({
        [FLAG.paymentFailure]: { variants: { '90%': 0.9, off: 0 }, defaultVariant: 'off', disabled: false },
      }),
    );
    const failureRate = await numberFlag(FLAG.paymentFailure, 0.5);
    assert.equal(failureRate, 0);
    for (let i = 0; i < 200; i++) chargeCard(request(), { failureRate, synthetic: false }, fakeSpan().span);
  });
});
