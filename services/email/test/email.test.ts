import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FLAG, InMemoryProvider, OpenFeature } from '@astroshop/flags';
import { OrderResult } from '@astroshop/proto';
import { createLogger } from '@astroshop/service-kit';
import { renderConfirmation } from '../src/confirmation.ts';
import { type Mail, Outbox, padForLeak } from '../src/outbox.ts';
import { emailApp } from '../src/server.ts';

const logger = createLogger('email-test');
logger.level = 'silent';

// As checkout sends it: snake_case, zero values omitted (nanos of 175.00).
const orderJson = {
  order_id: 'a1b2c3d4-0000-1111-2222-333344445555',
  shipping_tracking_id: 'f0e1d2c3-9999-8888-7777-666655554444',
  shipping_cost: { currency_code: 'EUR', units: 8, nanos: 50_000_000 },
  shipping_address: {
    street_address: '1600 Amphitheatre Parkway',
    city: 'Mountain View',
    state: 'CA',
    country: 'United States',
    zip_code: '94043',
  },
  items: [
    {
      item: { product_id: 'OLJCESPC7Z', quantity: 2 },
      cost: { currency_code: 'EUR', units: 90, nanos: 10_000_000 },
    },
    { item: { product_id: '0PUK6V6EV0', quantity: 1 }, cost: { currency_code: 'EUR', units: 175 } },
  ],
};

describe('confirmation template', () => {
  const html = renderConfirmation(OrderResult.fromJSON(orderJson));

  test('shows order id, tracking id and exact two-decimal money with currency', () => {
    assert.match(html, /#a1b2c3d4-0000-1111-2222-333344445555/);
    assert.match(html, /Tracking ID: f0e1d2c3-9999-8888-7777-666655554444/);
    assert.match(html, /Shipping cost: 8\.05 EUR/);
    assert.match(html, /<td>#OLJCESPC7Z<\/td>\s*<td>2<\/td>\s*<td>90\.01 EUR<\/td>/);
    assert.match(html, /<td>#0PUK6V6EV0<\/td>\s*<td>1<\/td>\s*<td>175\.00 EUR<\/td>/);
  });

  test('renders the actual address lines', () => {
    assert.match(html, /1600 Amphitheatre Parkway<br>/);
    assert.match(html, /Mountain View, CA 94043<br>/);
    assert.match(html, /United States<br>/);
  });

  test('escapes HTML in order data', () => {
    const evil = renderConfirmation(
      OrderResult.fromJSON({ ...orderJson, shipping_address: { street_address: '<script>x</script>' } }),
    );
    assert.ok(!evil.includes('<script>x'));
    assert.match(evil, /&lt;script&gt;/);
  });
});

test('the leak pads by len × (m − 1) and only from m ≥ 1', () => {
  assert.equal(padForLeak('abcd', 0), 'abcd');
  assert.equal(padForLeak('abcd', 0.5), 'abcd');
  assert.equal(padForLeak('abcd', 1), 'abcd');
  assert.equal(padForLeak('abcd', 3).length, 12);
});

describe('POST /send_order_confirmation', () => {
  class SpyOutbox extends Outbox {
    delivered: Mail[] = [];
    override deliver(mail: Mail): void {
      this.delivered.push(mail);
      super.deliver(mail);
    }
  }
  const outbox = new SpyOutbox();
  const app = emailApp(logger, outbox);
  const send = (payload: unknown) =>
    app.inject({
      method: 'POST',
      url: '/send_order_confirmation',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(payload),
    });
  const leak = (m: number) =>
    OpenFeature.setProviderAndWait(
      new InMemoryProvider({
        [FLAG.emailMemoryLeak]: { variants: { on: m, off: 0 }, defaultVariant: 'on', disabled: false },
      }),
    );

  test('200 with an empty body; the mail goes to the customer', async () => {
    const response = await send({ email: 'someone@example.com', order: orderJson });
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, '');
    const mail = outbox.delivered.at(-1);
    assert.equal(mail?.to, 'someone@example.com');
    assert.equal(mail?.subject, 'Your confirmation email');
    assert.match(mail?.html ?? '', /90\.01 EUR/);
    assert.equal(outbox.size, 0, 'without the flag nothing is retained');
  });

  test('emailMemoryLeak ≥ 1 retains every mail, padded', async () => {
    await leak(10);
    try {
      for (let i = 0; i < 3; i++)
        assert.equal((await send({ email: 'a@b.c', order: orderJson })).statusCode, 200);
      assert.equal(outbox.size, 3);
      const plain = renderConfirmation(OrderResult.fromJSON(orderJson)).length;
      assert.equal(outbox.retainedChars(), 3 * plain * 10);
    } finally {
      await OpenFeature.clearProviders();
    }
    await send({ email: 'a@b.c', order: orderJson });
    assert.equal(outbox.size, 0, 'turning the flag off releases the mail');
  });

  for (const [label, body, message] of [
    ['missing email', { order: orderJson }, /email is required/],
    ['email of the wrong type', { email: 42, order: orderJson }, /email is required \(a string\)/],
    ['missing order', { email: 'a@b.c' }, /order is required/],
    [
      'malformed money',
      {
        email: 'a@b.c',
        order: { ...orderJson, shipping_cost: { currency_code: 'EUR', units: 1, nanos: -5 } },
      },
      /shipping_cost: units 1 and nanos -5 have different signs/,
    ],
    [
      'a null order item (ts-proto would throw a TypeError)',
      { email: 'a@b.c', order: { ...orderJson, items: [orderJson.items[0], null] } },
      /order\.items\.1 must be an object, got null/,
    ],
    [
      'bad quantity',
      { email: 'a@b.c', order: { ...orderJson, items: [{ item: { product_id: 'X', quantity: 'two' } }] } },
      /quantity must be a non-negative integer/,
    ],
  ] as const) {
    test(`400 JSON for ${label}`, async () => {
      const response = await send(body);
      assert.equal(response.statusCode, 400, response.body);
      assert.match(response.json().error, message);
    });
  }
});
