import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Money } from '@astroshop/proto';
import { memoizeConversions } from '../src/server/conversions.ts';

const usd = (units: number, nanos = 0): Money => ({ currencyCode: 'USD', units, nanos });

/** A currency gateway that counts its calls; `fail` makes the next calls reject. */
function fakeCurrency() {
  const calls: string[] = [];
  const state = { fail: false };
  return {
    calls,
    state,
    gateway: {
      supported: async () => ['EUR', 'USD'],
      convert: async (from: Money, toCode: string): Promise<Money> => {
        calls.push(`${from.units}.${from.nanos}>${toCode}`);
        if (state.fail) throw new Error('currency down');
        return { currencyCode: toCode, units: from.units * 2, nanos: from.nanos };
      },
    },
  };
}

describe('memoizeConversions', () => {
  it('asks once per distinct price and target, sharing an answer still in flight', async () => {
    const fake = fakeCurrency();
    const currency = memoizeConversions(fake.gateway, { ttlMs: 1000, now: () => 0 });
    const answers = await Promise.all([
      currency.convert(usd(1), 'EUR'),
      currency.convert(usd(1), 'EUR'),
      currency.convert(usd(1, 5), 'EUR'),
      currency.convert(usd(1), 'JPY'),
    ]);
    assert.deepEqual(fake.calls, ['1.0>EUR', '1.5>EUR', '1.0>JPY']);
    assert.deepEqual(answers[0], { currencyCode: 'EUR', units: 2, nanos: 0 });
    assert.equal(answers[0], answers[1]);
    await currency.convert(usd(1), 'EUR');
    assert.equal(fake.calls.length, 3);
  });

  it('asks again once the answer is older than ttlMs', async () => {
    const fake = fakeCurrency();
    let clock = 0;
    const currency = memoizeConversions(fake.gateway, { ttlMs: 1000, now: () => clock });
    await currency.convert(usd(3), 'EUR');
    clock = 999;
    await currency.convert(usd(3), 'EUR');
    assert.equal(fake.calls.length, 1);
    clock = 1000;
    await currency.convert(usd(3), 'EUR');
    assert.equal(fake.calls.length, 2);
  });

  it('never remembers a failure', async () => {
    const fake = fakeCurrency();
    const currency = memoizeConversions(fake.gateway, { ttlMs: 1000, now: () => 0 });
    fake.state.fail = true;
    await assert.rejects(currency.convert(usd(4), 'EUR'), /currency down/);
    fake.state.fail = false;
    assert.deepEqual(await currency.convert(usd(4), 'EUR'), { currencyCode: 'EUR', units: 8, nanos: 0 });
    assert.equal(fake.calls.length, 2);
  });

  it('stays bounded, forgetting the oldest first', async () => {
    const fake = fakeCurrency();
    const currency = memoizeConversions(fake.gateway, { ttlMs: 1000, maxEntries: 2, now: () => 0 });
    for (const units of [1, 2, 3]) await currency.convert(usd(units), 'EUR');
    await currency.convert(usd(3), 'EUR');
    assert.equal(fake.calls.length, 3);
    await currency.convert(usd(1), 'EUR');
    assert.equal(fake.calls.length, 4);
  });

  it('with ttlMs 0 converts on every call', async () => {
    const fake = fakeCurrency();
    const currency = memoizeConversions(fake.gateway, { ttlMs: 0 });
    await currency.convert(usd(1), 'EUR');
    await currency.convert(usd(1), 'EUR');
    assert.equal(fake.calls.length, 2);
  });
});
