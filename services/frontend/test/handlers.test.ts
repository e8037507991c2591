import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Ad, Cart, CartItem, Money, PlaceOrderRequest, Product } from '@astroshop/proto';
import { GrpcStatus, NeighbourError } from '@astroshop/service-kit';
import { neighbourFailure } from '@astroshop/service-kit/testing';
import type { Gateways } from '../src/server/gateways.ts';
import { shippingQuote } from '../src/server/gateways.ts';
import { apiRoutes } from '../src/server/handlers.ts';
import { runApi } from '../src/server/router.ts';

const usd = (units: number, nanos = 0): Money => ({ currencyCode: 'USD', units, nanos });

const PRODUCTS: Product[] = [
  {
    id: 'OLJCESPC7Z',
    name: 'Explorascope',
    description: 'd',
    picture: 'a.jpg',
    priceUsd: usd(101, 960000000),
    categories: ['telescopes'],
  },
  {
    id: 'HQTGWGPNH4',
    name: 'The Comet Book',
    description: 'd',
    picture: 'b.jpg',
    priceUsd: usd(0, 990000000),
    categories: ['books'],
  },
  {
    id: '9SIQT8TOJO',
    name: 'Optical Tube Assembly',
    description: 'd',
    picture: 'c.jpg',
    priceUsd: usd(3599),
    categories: ['accessories', 'telescopes'],
  },
];

interface Calls {
  recommendations: string[][];
  ads: string[][];
  added: { userId: string; item: CartItem }[];
  emptied: string[];
  orders: PlaceOrderRequest[];
}

function fakeGateways(overrides: Partial<Gateways> = {}): { gateways: Gateways; calls: Calls } {
  const calls: Calls = { recommendations: [], ads: [], added: [], emptied: [], orders: [] };
  const carts = new Map<string, CartItem[]>();
  const gateways: Gateways = {
    catalog: {
      listProducts: async () => PRODUCTS,
      getProduct: async (id) => {
        const p = PRODUCTS.find((x) => x.id === id);
        if (!p) throw neighbourFailure('product-catalog', GrpcStatus.NOT_FOUND, `product "${id}" not found`);
        return p;
      },
    },
    currency: {
      supported: async () => ['USD', 'EUR', 'CHF'],
      convert: async (from, toCode) => {
        if (toCode === 'XYZ')
          throw neighbourFailure(
            'currency',
            GrpcStatus.INVALID_ARGUMENT,
            'unsupported target currency "XYZ"',
          );
        // EUR at exactly 2x, to check the shape, not the rate
        const nanos = (BigInt(from.units) * 1_000_000_000n + BigInt(from.nanos)) * 2n;
        return {
          currencyCode: toCode,
          units: Number(nanos / 1_000_000_000n),
          nanos: Number(nanos % 1_000_000_000n),
        };
      },
    },
    cart: {
      get: async (userId): Promise<Cart> => ({ userId, items: carts.get(userId) ?? [] }),
      add: async (userId, item) => {
        calls.added.push({ userId, item });
        carts.set(userId, [...(carts.get(userId) ?? []), item]);
      },
      empty: async (userId) => {
        calls.emptied.push(userId);
        carts.delete(userId);
      },
    },
    recommendation: {
      list: async (_userId, ids) => {
        calls.recommendations.push(ids);
        return PRODUCTS.map((p) => p.id).filter((id) => !ids.includes(id));
      },
    },
    ad: {
      getAds: async (keys): Promise<Ad[]> => {
        calls.ads.push(keys);
        return [{ redirectUrl: '/product/9SIQT8TOJO', text: 'Optical Tube Assembly for sale' }];
      },
    },
    checkout: {
      placeOrder: async (request) => {
        calls.orders.push(request);
        return {
          orderId: 'order-1',
          shippingTrackingId: 'track-1',
          shippingCost: { currencyCode: 'EUR', units: 17, nanos: 0 },
          shippingAddress: request.address,
          items: [
            {
              item: { productId: 'HQTGWGPNH4', quantity: 2 },
              cost: { currencyCode: 'EUR', units: 1, nanos: 980000000 },
            },
          ],
        };
      },
    },
    shipping: { quote: async () => usd(8, 990000000) },
    ...overrides,
  };
  return { gateways, calls };
}

const routes = apiRoutes({ imageSlowLoad: async () => 5000 });

async function call(gateways: Gateways, method: string, path: string, body?: string) {
  return runApi(routes, gateways, {
    method,
    url: new URL(path, 'http://frontend'),
    readBody: async () => body ?? '',
  });
}

describe('GET /api/products', () => {
  it('returns ts-proto shaped products with defaults, priceUsd keeping its name when converted', async () => {
    const { gateways } = fakeGateways();
    const usdAnswer = await call(gateways, 'GET', '/api/products?currencyCode=USD');
    assert.equal(usdAnswer.status, 200);
    assert.deepEqual((usdAnswer.body as Product[])[1]?.priceUsd, usd(0, 990000000));
    const eur = await call(gateways, 'GET', '/api/products?currencyCode=EUR');
    const first = (eur.body as Product[])[0];
    assert.deepEqual(Object.keys(first ?? {}).sort(), [
      'categories',
      'description',
      'id',
      'name',
      'picture',
      'priceUsd',
    ]);
    assert.deepEqual(first?.priceUsd, { currencyCode: 'EUR', units: 203, nanos: 920000000 });
  });

  it('400 for a malformed or unsupported currency code', async () => {
    const { gateways } = fakeGateways();
    const bad = await call(gateways, 'GET', '/api/products?currencyCode=euro');
    assert.equal(bad.status, 400);
    assert.match((bad.body as { error: string }).error, /currencyCode/);
    const unknown = await call(gateways, 'GET', '/api/products?currencyCode=XYZ');
    assert.equal(unknown.status, 400);
    assert.match((unknown.body as { error: string }).error, /XYZ/);
  });

  it('503 naming the catalog when it is down', async () => {
    const { gateways } = fakeGateways({
      catalog: {
        listProducts: async () => {
          throw neighbourFailure('product-catalog', GrpcStatus.UNAVAILABLE, 'No connection established');
        },
        getProduct: async () => PRODUCTS[0]!,
      },
    });
    const answer = await call(gateways, 'GET', '/api/products');
    assert.equal(answer.status, 503);
    assert.deepEqual(answer.body, {
      error: 'product-catalog service unavailable: No connection established',
    });
    assert.equal(answer.serverFault, true);
  });
});

describe('GET /api/products/[productId]', () => {
  it('200 for a known id, 404 for an unknown one', async () => {
    const { gateways } = fakeGateways();
    const found = await call(gateways, 'GET', '/api/products/HQTGWGPNH4');
    assert.equal((found.body as Product).name, 'The Comet Book');
    assert.equal(found.template, '/api/products/[productId]');
    const missing = await call(gateways, 'GET', '/api/products/NOPE');
    assert.equal(missing.status, 404);
    assert.match((missing.body as { error: string }).error, /NOPE/);
  });
});

describe('/api/cart', () => {
  it('POST adds then answers the raw cart; GET details items with products', async () => {
    const { gateways, calls } = fakeGateways();
    const posted = await call(
      gateways,
      'POST',
      '/api/cart?currencyCode=EUR',
      JSON.stringify({ userId: 'u1', item: { productId: 'HQTGWGPNH4', quantity: 3 } }),
    );
    assert.equal(posted.status, 200);
    assert.deepEqual(posted.body, { userId: 'u1', items: [{ productId: 'HQTGWGPNH4', quantity: 3 }] });
    assert.deepEqual(calls.added, [{ userId: 'u1', item: { productId: 'HQTGWGPNH4', quantity: 3 } }]);
    const got = await call(gateways, 'GET', '/api/cart?sessionId=u1&currencyCode=EUR');
    const cart = got.body as {
      userId: string;
      items: { productId: string; quantity: number; product: Product }[];
    };
    assert.equal(cart.items[0]?.product.priceUsd?.currencyCode, 'EUR');
    assert.equal(cart.items[0]?.quantity, 3);
  });

  it('GET without a session is an empty cart (the load generator does that)', async () => {
    const { gateways } = fakeGateways();
    const got = await call(gateways, 'GET', '/api/cart');
    assert.deepEqual(got.body, { userId: '', items: [] });
  });

  it('DELETE empties with 204 and no body', async () => {
    const { gateways, calls } = fakeGateways();
    const answer = await call(gateways, 'DELETE', '/api/cart', '{"userId":"u2"}');
    assert.equal(answer.status, 204);
    assert.equal(answer.body, undefined);
    assert.deepEqual(calls.emptied, ['u2']);
  });

  it('400 for malformed JSON and for a bad item, 405 with Allow for other methods', async () => {
    const { gateways } = fakeGateways();
    const malformed = await call(gateways, 'POST', '/api/cart', '{"userId": ');
    assert.equal(malformed.status, 400);
    assert.match((malformed.body as { error: string }).error, /malformed JSON/);
    const noQty = await call(
      gateways,
      'POST',
      '/api/cart',
      '{"userId":"u","item":{"productId":"X","quantity":"many"}}',
    );
    assert.equal(noQty.status, 400);
    const put = await call(gateways, 'PUT', '/api/cart');
    assert.equal(put.status, 405);
    assert.equal(put.headers?.Allow, 'GET, POST, DELETE');
    assert.match((put.body as { error: string }).error, /PUT/);
  });

  it("keeps cart's FAILED_PRECONDITION a 4xx naming it (service-kit's mapping), its own fault a 502", async () => {
    const { gateways } = fakeGateways();
    for (const [code, detail, status, error] of [
      [
        GrpcStatus.FAILED_PRECONDITION,
        "can't access cart storage",
        400,
        "cart service rejected the request: can't access cart storage",
      ],
      [
        GrpcStatus.UNKNOWN,
        'TypeError: x is undefined',
        502,
        'cart service failed: TypeError: x is undefined',
      ],
    ] as const) {
      gateways.cart.empty = async () => {
        throw neighbourFailure('cart', code, detail);
      };
      const answer = await call(gateways, 'DELETE', '/api/cart', '{"userId":"u"}');
      assert.equal(answer.status, status);
      assert.deepEqual(answer.body, { error });
      assert.equal(answer.serverFault, status >= 500);
    }
  });
});

describe('GET /api/recommendations', () => {
  it('sends a proper list from repeated and comma-joined ids; answers at most 4 products', async () => {
    const { gateways, calls } = fakeGateways();
    const a = await call(
      gateways,
      'GET',
      '/api/recommendations?productIds=OLJCESPC7Z,HQTGWGPNH4&sessionId=s',
    );
    const b = await call(gateways, 'GET', '/api/recommendations?productIds=OLJCESPC7Z&productIds=HQTGWGPNH4');
    assert.deepEqual(calls.recommendations, [
      ['OLJCESPC7Z', 'HQTGWGPNH4'],
      ['OLJCESPC7Z', 'HQTGWGPNH4'],
    ]);
    assert.deepEqual(
      (a.body as Product[]).map((p) => p.id),
      ['9SIQT8TOJO'],
    );
    assert.deepEqual(a.body, b.body);
  });
});

describe('GET /api/data', () => {
  it('accepts repeated or comma-joined contextKeys, drops None, trailing slash allowed', async () => {
    const { gateways, calls } = fakeGateways();
    const answer = await call(gateways, 'GET', '/api/data/?contextKeys=telescopes,books&contextKeys=None');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, [
      { redirectUrl: '/product/9SIQT8TOJO', text: 'Optical Tube Assembly for sale' },
    ]);
    await call(gateways, 'GET', '/api/data?contextKeys=None');
    assert.deepEqual(calls.ads, [['telescopes', 'books'], []]);
  });

  it('503 naming the ad service when it is unreachable', async () => {
    const { gateways } = fakeGateways();
    gateways.ad.getAds = async () => {
      throw neighbourFailure('ad', GrpcStatus.UNAVAILABLE, 'connect ECONNREFUSED 127.0.0.1:9555');
    };
    const answer = await call(gateways, 'GET', '/api/data');
    assert.equal(answer.status, 503);
    assert.deepEqual(answer.body, { error: 'ad service unavailable: connect ECONNREFUSED 127.0.0.1:9555' });
  });
});

describe('GET /api/currency and /api/shipping', () => {
  it('lists currencies as a string array', async () => {
    const { gateways } = fakeGateways();
    assert.deepEqual((await call(gateways, 'GET', '/api/currency')).body, ['USD', 'EUR', 'CHF']);
  });

  it('quotes shipping and converts it', async () => {
    const { gateways } = fakeGateways();
    const q = new URLSearchParams({
      itemList: JSON.stringify([{ productId: 'HQTGWGPNH4', quantity: 1 }]),
      currencyCode: 'EUR',
      address: JSON.stringify({
        streetAddress: '1600 Amphitheatre Parkway',
        city: 'Mountain View',
        state: 'CA',
        country: 'United States',
        zipCode: '94043',
      }),
    });
    const answer = await call(gateways, 'GET', `/api/shipping?${q}`);
    assert.deepEqual(answer.body, { currencyCode: 'EUR', units: 17, nanos: 980000000 });
    const usdAnswer = await call(gateways, 'GET', `/api/shipping?${q.toString().replace('EUR', 'USD')}`);
    assert.deepEqual(usdAnswer.body, usd(8, 990000000));
  });

  it('400 when itemList is not JSON', async () => {
    const { gateways } = fakeGateways();
    const answer = await call(gateways, 'GET', '/api/shipping?itemList=[oops&address={}');
    assert.equal(answer.status, 400);
    assert.match((answer.body as { error: string }).error, /itemList/);
  });
});

describe('POST /api/checkout', () => {
  it('places the order and answers items with their products', async () => {
    const { gateways, calls } = fakeGateways();
    const body = {
      userId: 'u1',
      userCurrency: 'EUR',
      address: { streetAddress: 's', city: 'c', state: 'st', country: 'US', zipCode: '1' },
      email: 'someone@example.com',
      creditCard: {
        creditCardNumber: '4432-8015-6152-0454',
        creditCardCvv: 672,
        creditCardExpirationYear: 2030,
        creditCardExpirationMonth: 1,
      },
    };
    const answer = await call(gateways, 'POST', '/api/checkout?currencyCode=EUR', JSON.stringify(body));
    assert.equal(answer.status, 200);
    const order = answer.body as { orderId: string; items: { item: { product: Product } }[] };
    assert.equal(order.orderId, 'order-1');
    assert.equal(order.items[0]?.item.product.priceUsd?.currencyCode, 'EUR');
    assert.deepEqual(Object.keys(order).sort(), [
      'items',
      'orderId',
      'shippingAddress',
      'shippingCost',
      'shippingTrackingId',
    ]);
    assert.equal(calls.orders[0]?.creditCard?.creditCardCvv, 672);
    const get = await call(gateways, 'GET', '/api/checkout');
    assert.equal(get.status, 405);
    assert.equal(get.headers?.Allow, 'POST');
  });

  it('400 with the checkout service message for an invalid order', async () => {
    const { gateways } = fakeGateways();
    gateways.checkout.placeOrder = async () => {
      throw neighbourFailure(
        'checkout',
        GrpcStatus.INVALID_ARGUMENT,
        'invalid order request: email must look like name@example.com',
      );
    };
    const answer = await call(gateways, 'POST', '/api/checkout', '{"userId":"u"}');
    assert.equal(answer.status, 400);
    assert.match((answer.body as { error: string }).error, /email/);
  });
});

describe('routing', () => {
  it('404 JSON for an unknown API path; flags route answers imageSlowLoad', async () => {
    const { gateways } = fakeGateways();
    const missing = await call(gateways, 'GET', '/api/nothing');
    assert.equal(missing.status, 404);
    assert.deepEqual((await call(gateways, 'GET', '/api/flags?sessionId=s')).body, { imageSlowLoad: 5000 });
  });
});

describe('shippingQuote', () => {
  it('posts snake_case and reads cost_usd', async () => {
    let sent: unknown;
    const fakeFetch = (async (_url: string, init: RequestInit) => {
      sent = JSON.parse(String(init.body));
      return new Response(JSON.stringify({ cost_usd: { currency_code: 'USD', units: 8, nanos: 990000000 } }));
    }) as typeof fetch;
    const cost = await shippingQuote(
      'http://shipping',
      { streetAddress: 's', city: 'c', state: 'st', country: 'US', zipCode: '1' },
      [{ productId: 'P', quantity: 2 }],
      fakeFetch,
    );
    assert.deepEqual(cost, usd(8, 990000000));
    assert.deepEqual(sent, {
      address: { street_address: 's', city: 'c', state: 'st', country: 'US', zip_code: '1' },
      items: [{ product_id: 'P', quantity: 2 }],
    });
  });

  it('names shipping when it is down or rejects', async () => {
    const down = (async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    }) as typeof fetch;
    await assert.rejects(shippingQuote('http://shipping', {} as never, [], down), (error: unknown) => {
      assert.ok(error instanceof NeighbourError);
      assert.equal(error.neighbour, 'shipping');
      assert.match(error.message, /ECONNREFUSED/);
      return true;
    });
    const rejecting = (async () =>
      new Response('{"error":"missing zip_code"}', { status: 400 })) as typeof fetch;
    await assert.rejects(shippingQuote('http://shipping', {} as never, [], rejecting), /missing zip_code/);
  });
});
