// Client mistakes at /api/* are 4xx naming the field, never a 5xx (issue 14).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cart, CartItem, Money, PlaceOrderRequest } from '@astroshop/proto';
import { GrpcStatus } from '@astroshop/service-kit';
import { neighbourFailure } from '@astroshop/service-kit/testing';
import type { Gateways } from '../src/server/gateways.ts';
import { apiRoutes } from '../src/server/handlers.ts';
import { runApi } from '../src/server/router.ts';
import { parseTarget } from '../src/server/target.ts';

const usd = (units: number): Money => ({ currencyCode: 'USD', units, nanos: 0 });

function gateways() {
  const seen = { added: [] as CartItem[], orders: [] as PlaceOrderRequest[], quotes: [] as CartItem[][] };
  const product = { id: 'P1', name: 'p', description: '', picture: '', priceUsd: usd(1), categories: [] };
  const g = {
    catalog: {
      listProducts: async () => [product],
      getProduct: async (id: string) => {
        if (id !== 'P1')
          throw neighbourFailure('product-catalog', GrpcStatus.NOT_FOUND, `product ${id} not found`);
        return product;
      },
    },
    currency: { supported: async () => ['USD'], convert: async (m: Money) => m },
    cart: {
      get: async (userId: string): Promise<Cart> => ({ userId, items: [] }),
      add: async (_u: string, item: CartItem) => void seen.added.push(item),
      empty: async () => undefined,
    },
    recommendation: { list: async () => [] },
    ad: { getAds: async () => [] },
    checkout: {
      placeOrder: async (request: PlaceOrderRequest) => {
        seen.orders.push(request);
        return { orderId: 'o', shippingTrackingId: 't', shippingCost: usd(1), items: [] };
      },
    },
    shipping: {
      quote: async (_a: unknown, items: CartItem[]) => {
        seen.quotes.push(items);
        return usd(9);
      },
    },
  } as unknown as Gateways;
  return { g, seen };
}

const routes = apiRoutes({ imageSlowLoad: async () => 0 });
const call = (g: Gateways, method: string, path: string, body?: unknown) =>
  runApi(routes, g, {
    method,
    url: new URL(path, 'http://frontend'),
    readBody: async () => (body === undefined ? '' : JSON.stringify(body)),
  });
const errorOf = (answer: { body?: unknown }) => (answer.body as { error: string }).error;

const card = {
  creditCardNumber: '4432-8015-6152-0454',
  creditCardCvv: 672,
  creditCardExpirationYear: 2030,
  creditCardExpirationMonth: 1,
};
const order = (creditCard: Record<string, unknown>) => ({
  userId: 'u',
  userCurrency: 'USD',
  email: 'a@b.c',
  address: { streetAddress: 's', city: 'c', state: 'st', country: 'US', zipCode: '1' },
  creditCard,
});

describe('bad input at /api/*', () => {
  it('cart quantity 2^31 (and other out-of-range numbers) → 400 naming item.quantity', async () => {
    const { g, seen } = gateways();
    for (const quantity of [2 ** 31, -1, 0, 1.5, '12abc', 'NaN', 1e300]) {
      const answer = await call(g, 'POST', '/api/cart', { userId: 'u', item: { productId: 'P1', quantity } });
      assert.equal(answer.status, 400, `quantity ${quantity}`);
      assert.match(errorOf(answer), /item\.quantity/);
    }
    assert.deepEqual(seen.added, []);
    const ok = await call(g, 'POST', '/api/cart', { userId: 'u', item: { productId: 'P1', quantity: '3' } });
    assert.equal(ok.status, 200);
  });

  it('non-numeric or out-of-range CVV, year, month → 400 naming the field; nothing reaches checkout', async () => {
    const { g, seen } = gateways();
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...card, creditCardCvv: 'abc' }, /creditCard\.creditCardCvv/],
      [{ ...card, creditCardExpirationYear: 'next year' }, /creditCard\.creditCardExpirationYear/],
      [{ ...card, creditCardExpirationYear: 2 ** 31 }, /creditCard\.creditCardExpirationYear/],
      [{ ...card, creditCardExpirationMonth: 13 }, /creditCard\.creditCardExpirationMonth/],
      [{ ...card, creditCardNumber: 4111111111111111 }, /creditCard\.creditCardNumber/],
      [{ credit_card_number: '4111', credit_card_cvv: 'x' }, /creditCard\.creditCardCvv/],
    ];
    for (const [creditCard, field] of cases) {
      const answer = await call(g, 'POST', '/api/checkout', order(creditCard));
      assert.equal(answer.status, 400, JSON.stringify(creditCard));
      assert.match(errorOf(answer), field);
    }
    assert.equal(seen.orders.length, 0);
    assert.equal((await call(g, 'POST', '/api/checkout', order(card))).status, 200);
    assert.equal(
      (await call(g, 'POST', '/api/checkout', order({ ...card, creditCardCvv: '672' }))).status,
      200,
    );
  });

  it('a truncated percent-escape in a product id → 400, not 500', async () => {
    const { g } = gateways();
    for (const id of ['%E0%A4%A', '%', 'abc%2', '%ZZ']) {
      const answer = await call(g, 'GET', `/api/products/${id}`);
      assert.equal(answer.status, 400, id);
      assert.match(errorOf(answer), /productId is not valid percent-encoding/);
    }
    assert.equal((await call(g, 'GET', '/api/products/P1')).status, 200);
  });

  it("a neighbour's request it could not encode is the client's 400", async () => {
    const { g } = gateways();
    g.cart.add = async () => {
      throw neighbourFailure(
        'cart',
        GrpcStatus.INTERNAL,
        'Request message serialization failure: invalid int32: 2147483648',
      );
    };
    const answer = await call(g, 'POST', '/api/cart', {
      userId: 'u',
      item: { productId: 'P1', quantity: 1 },
    });
    assert.equal(answer.status, 400);
    assert.match(errorOf(answer), /invalid int32/);
  });

  it('shipping quote by POST keeps the address out of the URL; GET still works', async () => {
    const { g, seen } = gateways();
    const address = { streetAddress: '1 Main St', city: 'c', state: 's', country: 'US', zipCode: '1' };
    const posted = await call(g, 'POST', '/api/shipping?currencyCode=USD', {
      itemList: [{ productId: 'P1', quantity: 2 }],
      address,
    });
    assert.equal(posted.status, 200);
    assert.deepEqual(seen.quotes.at(-1), [{ productId: 'P1', quantity: 2 }]);
    const q = new URLSearchParams({
      itemList: JSON.stringify([{ productId: 'P1', quantity: 1 }]),
      address: JSON.stringify(address),
    });
    assert.equal((await call(g, 'GET', `/api/shipping?${q}`)).status, 200);
    const huge = await call(g, 'POST', '/api/shipping', {
      itemList: [{ productId: 'P1', quantity: 2 ** 40 }],
      address,
    });
    assert.equal(huge.status, 400);
    assert.match(errorOf(huge), /itemList\[0\]\.quantity/);
  });
});

describe('request target', () => {
  it('GET /\\[ and GET //[ are rejected before routing (→ 400), ordinary paths parse', () => {
    for (const target of ['/\\[', '//[', '*', 'http://x/', '', undefined]) {
      assert.equal(parseTarget(target), undefined, String(target));
    }
    assert.equal(parseTarget('/api/products?x=1')?.pathname, '/api/products');
    assert.equal(parseTarget('/%E0%A4%A')?.pathname, '/%E0%A4%A');
  });
});
