import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GrpcStatus, StatusError, unavailable } from '@astroshop/service-kit';
import { placeOrder } from '../src/place-order.ts';
import { deps, fakeShop, orderRequest, usd } from './fakes.ts';

const CART = [
  { productId: 'OLJCESPC7Z', quantity: 2 },
  { productId: '66VCHSJNUP', quantity: 1 },
];

function failsWith(code: GrpcStatus, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof StatusError, `expected a StatusError, got ${String(error)}`);
    assert.equal(GrpcStatus[error.code], GrpcStatus[code], error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('placeOrder', () => {
  test('prices, charges the exact total, ships, empties the cart, mails and publishes', async () => {
    const shop = fakeShop(CART);
    const order = await placeOrder(orderRequest(), deps(shop.neighbours, shop.publisher));

    // 2 × 101.96 + 349.95 + 8.99 shipping = 562.86
    assert.deepEqual(shop.calls.charged[0]?.request.amount, usd(562, 860_000_000));
    assert.equal(shop.calls.charged[0]?.unreachable, false);
    assert.equal(order.orderId, 'order-1');
    assert.equal(order.shippingTrackingId, 'track-1');
    assert.deepEqual(order.shippingCost, usd(8, 990_000_000));
    assert.deepEqual(
      order.items.map((line) => [line.item?.productId, line.item?.quantity, line.cost]),
      [
        ['OLJCESPC7Z', 2, usd(101, 960_000_000)],
        ['66VCHSJNUP', 1, usd(349, 950_000_000)],
      ],
    );
    assert.deepEqual(shop.calls.emptied, ['user-1']);
    assert.equal(shop.calls.emails[0]?.email, 'someone@example.com');
    assert.equal(shop.calls.published[0]?.orderId, 'order-1');
  });

  test('bad requests are INVALID_ARGUMENT listing every problem, before any neighbour is called', async () => {
    const shop = fakeShop(CART, {
      getCart: async () => assert.fail('the cart must not be read for a bad request'),
    });
    const request = orderRequest({ userId: '', userCurrency: 'usd', email: 'nope', creditCard: undefined });
    request.address = { ...request.address!, zipCode: '' };
    await assert.rejects(
      placeOrder(request, deps(shop.neighbours, shop.publisher)),
      failsWith(
        GrpcStatus.INVALID_ARGUMENT,
        /user_id is required.*user_currency must be.*zip_code is required.*email must look like.*credit_card is required/,
      ),
    );
    await assert.rejects(
      placeOrder(orderRequest({ address: undefined }), deps(shop.neighbours, shop.publisher)),
      failsWith(GrpcStatus.INVALID_ARGUMENT, /address is required/),
    );
  });

  test('an empty cart is INVALID_ARGUMENT naming the user and nothing is charged', async () => {
    const shop = fakeShop([]);
    await assert.rejects(
      placeOrder(orderRequest(), deps(shop.neighbours, shop.publisher)),
      failsWith(GrpcStatus.INVALID_ARGUMENT, /^cart of user_id ".*" is empty/),
    );
    assert.equal(shop.calls.charged.length, 0);
  });

  test('each failing step is named, keeping an actionable status', async () => {
    const cases = [
      {
        override: {
          getCart: async () => Promise.reject(unavailable('CartService.GetCart at x:1: connection refused')),
        },
        code: GrpcStatus.UNAVAILABLE,
        pattern: /^cart failure: CartService\.GetCart at x:1: connection refused$/,
      },
      {
        override: {},
        cart: [{ productId: 'MISSING', quantity: 1 }],
        code: GrpcStatus.NOT_FOUND,
        pattern: /^failed to prepare order: product MISSING not found$/,
      },
      {
        override: {
          quoteShipping: async () => Promise.reject(unavailable('POST http://s/get-quote: HTTP 503')),
        },
        code: GrpcStatus.UNAVAILABLE,
        pattern: /^shipping quote failure: POST http:\/\/s\/get-quote: HTTP 503$/,
      },
      {
        override: {
          convert: async () =>
            Promise.reject(Object.assign(new Error('x'), { code: 4, details: 'deadline' })),
        },
        code: GrpcStatus.UNAVAILABLE,
        pattern: /^failed to prepare order: deadline$/,
      },
      {
        override: {
          charge: async () =>
            Promise.reject(new StatusError(GrpcStatus.INVALID_ARGUMENT, 'Credit card info is invalid.')),
        },
        code: GrpcStatus.INVALID_ARGUMENT,
        pattern: /^failed to charge card: Credit card info is invalid\.$/,
      },
      {
        override: { charge: async () => Promise.reject(new TypeError('boom')) },
        code: GrpcStatus.INTERNAL,
        pattern: /^failed to charge card: boom$/,
      },
    ];
    for (const { override, cart, code, pattern } of cases) {
      const shop = fakeShop(cart ?? CART, override);
      await assert.rejects(
        placeOrder(orderRequest(), deps(shop.neighbours, shop.publisher)),
        failsWith(code, pattern),
      );
    }
  });

  test('a failed charge leaves the cart alone and ships nothing', async () => {
    const shop = fakeShop(CART, {
      charge: async () =>
        Promise.reject(unavailable('PaymentService.Charge at badAddress:50051: Name resolution failed')),
    });
    await assert.rejects(
      placeOrder(orderRequest(), deps(shop.neighbours, shop.publisher, { paymentUnreachable: true })),
      failsWith(GrpcStatus.UNAVAILABLE, /^failed to charge card: PaymentService\.Charge at badAddress:50051/),
    );
    assert.deepEqual(shop.calls.emptied, []);
    assert.equal(shop.calls.shipped, 0);
    assert.equal(shop.calls.published.length, 0);
  });

  test('paymentUnreachable sends the charge to the unreachable address', async () => {
    const shop = fakeShop(CART);
    await placeOrder(orderRequest(), deps(shop.neighbours, shop.publisher, { paymentUnreachable: true }));
    assert.equal(shop.calls.charged[0]?.unreachable, true);
  });

  test('shipping failing after the charge is UNAVAILABLE and logs the transaction to reconcile', async () => {
    const shop = fakeShop(CART, {
      shipOrder: async () => Promise.reject(unavailable('POST http://s/ship-order: no answer')),
    });
    const d = deps(shop.neighbours, shop.publisher);
    await assert.rejects(
      placeOrder(orderRequest(), d),
      failsWith(GrpcStatus.UNAVAILABLE, /^shipping error: /),
    );
    const line = d.lines.find((l) => l.level === 'error' && /charged but not shipped/.test(l.message));
    assert.ok(line, 'an error log names the charged-but-unshipped order');
    assert.match(line.message, /order-1.*txn-1/);
    assert.deepEqual(shop.calls.emptied, []);
  });

  test('a failed confirmation mail or cart emptying only warns; the order stands', async () => {
    const shop = fakeShop(CART, {
      sendConfirmation: async () =>
        Promise.reject(unavailable('POST http://e/send_order_confirmation: HTTP 503')),
      emptyCart: async () => Promise.reject(unavailable('CartService.EmptyCart: down')),
    });
    const d = deps(shop.neighbours, shop.publisher);
    const order = await placeOrder(orderRequest(), d);
    assert.equal(order.shippingTrackingId, 'track-1');
    assert.ok(
      d.lines.some((l) => l.level === 'warn' && /^failed to send order confirmation: /.test(l.message)),
    );
    assert.ok(d.lines.some((l) => l.level === 'warn' && /not emptied/.test(l.message)));
  });

  test('kafka down: the order completes and the failure is logged with its id', async () => {
    const shop = fakeShop(CART);
    const publisher = {
      publish: async () => Promise.reject(unavailable('kafka at 127.0.0.1:9092 not connected')),
      publishCopies: async () => undefined,
    };
    const d = deps(shop.neighbours, publisher);
    const order = await placeOrder(orderRequest(), d);
    assert.equal(order.orderId, 'order-1');
    assert.ok(
      d.lines.some(
        (l) =>
          l.level === 'error' &&
          l.message === 'order order-1 not published: kafka at 127.0.0.1:9092 not connected',
      ),
    );
  });

  test('without KAFKA_ADDR nothing is published and orders still complete', async () => {
    const shop = fakeShop(CART);
    const order = await placeOrder(
      orderRequest(),
      deps(shop.neighbours, undefined, { kafkaQueueProblems: 5 }),
    );
    assert.equal(order.orderId, 'order-1');
  });

  test('kafkaQueueProblems N publishes N extra copies and says so', async () => {
    const shop = fakeShop(CART);
    const d = deps(shop.neighbours, shop.publisher, { kafkaQueueProblems: 3 });
    await placeOrder(orderRequest(), d);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(shop.calls.published.length, 1);
    assert.deepEqual(shop.calls.copies, [3]);
    assert.ok(d.lines.some((l) => /kafkaQueueProblems' is activated/.test(l.message)));
    assert.ok(d.lines.some((l) => l.message === 'Done with #3 messages for overload simulation.'));
  });

  test('kafkaQueueProblems off sends no copies', async () => {
    const shop = fakeShop(CART);
    await placeOrder(orderRequest(), deps(shop.neighbours, shop.publisher));
    assert.deepEqual(shop.calls.copies, []);
  });
});
