import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GrpcStatus, StatusError } from '@astroshop/service-kit';
import { convertMoney, SUPPORTED_CURRENCIES } from '../src/currency.ts';

describe('currency', () => {
  test('supports the 33 currencies, sorted', () => {
    assert.equal(SUPPORTED_CURRENCIES.length, 33);
    assert.deepEqual([...SUPPORTED_CURRENCIES].sort(), SUPPORTED_CURRENCIES);
    assert.ok(SUPPORTED_CURRENCIES.includes('USD') && SUPPORTED_CURRENCIES.includes('ZAR'));
  });

  test('USD→USD is the identity', () => {
    const input = { currencyCode: 'USD', units: 101, nanos: 960_000_000 };
    assert.deepEqual(convertMoney(input, 'USD'), input);
  });

  test('USD→EUR divides by the USD rate', () => {
    assert.deepEqual(convertMoney({ currencyCode: 'USD', units: 1, nanos: 130_500_000 }, 'EUR'), {
      currencyCode: 'EUR',
      units: 1,
      nanos: 0,
    });
  });

  test('unknown currency is INVALID_ARGUMENT naming it', () => {
    assert.throws(
      () => convertMoney({ currencyCode: 'USD', units: 1, nanos: 0 }, 'XXX'),
      (error: unknown) =>
        error instanceof StatusError &&
        error.code === GrpcStatus.INVALID_ARGUMENT &&
        /"XXX"/.test(error.message),
    );
    assert.throws(() => convertMoney({ currencyCode: 'ABC', units: 1, nanos: 0 }, 'USD'), /"ABC"/);
  });

  test('malformed money is INVALID_ARGUMENT', () => {
    assert.throws(() => convertMoney(undefined, 'USD'), /missing/);
    assert.throws(() => convertMoney({ currencyCode: 'USD', units: 1, nanos: -1 }, 'EUR'), /different signs/);
  });
});

describe('SHOP_CURRENCIES (metric label bound elsewhere)', () => {
  test('is exactly the currencies this service converts', async () => {
    const { SHOP_CURRENCIES } = await import('@astroshop/money');
    assert.deepEqual([...SHOP_CURRENCIES].sort(), [...SUPPORTED_CURRENCIES]);
  });
});
