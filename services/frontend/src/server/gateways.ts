// The frontend's neighbours behind small interfaces: the handlers depend on
// these, the tests fake them. Calls go through service-kit's neighbour client
// (deadline, status mapping, retries of reads); every failure is its
// NeighbourError naming the neighbour, mapped to HTTP by errors.ts.
import {
  type Ad,
  type Address,
  AdServiceClient,
  type Cart,
  type CartItem,
  CartServiceClient,
  CheckoutServiceClient,
  CurrencyServiceClient,
  type Money,
  type OrderResult,
  type PlaceOrderRequest,
  type Product,
  ProductCatalogServiceClient,
  RecommendationServiceClient,
  toSnakeCaseJson,
} from '@astroshop/proto';
import {
  grpcNeighbour,
  type HttpNeighbour,
  httpNeighbour,
  type NeighbourConfig,
} from '@astroshop/service-kit';
import type { Config } from '../config.ts';

export interface Gateways {
  catalog: {
    listProducts(): Promise<Product[]>;
    getProduct(id: string): Promise<Product>;
  };
  currency: {
    supported(): Promise<string[]>;
    convert(from: Money, toCode: string): Promise<Money>;
  };
  cart: {
    get(userId: string): Promise<Cart>;
    add(userId: string, item: CartItem): Promise<void>;
    empty(userId: string): Promise<void>;
  };
  recommendation: { list(userId: string, productIds: string[]): Promise<string[]> };
  ad: { getAds(contextKeys: string[]): Promise<Ad[]> };
  checkout: { placeOrder(request: PlaceOrderRequest): Promise<OrderResult> };
  shipping: { quote(address: Address, items: CartItem[]): Promise<Money> };
}

// Every neighbour answers within 5 s when healthy; PlaceOrder fans out to
// six services (and may wait on Kafka), so it gets 15 s.
const neighbour = (name: string, address: string, timeoutMs = 5000): NeighbourConfig => ({
  name,
  address,
  timeoutMs,
});

export function createGateways(config: Config): Gateways & { close(): Promise<void> } {
  // One line per neighbour.
  const catalog = grpcNeighbour(
    ProductCatalogServiceClient,
    neighbour('product-catalog', config.PRODUCT_CATALOG_ADDR),
  );
  const currency = grpcNeighbour(CurrencyServiceClient, neighbour('currency', config.CURRENCY_ADDR));
  const cart = grpcNeighbour(CartServiceClient, neighbour('cart', config.CART_ADDR));
  const recommendation = grpcNeighbour(
    RecommendationServiceClient,
    neighbour('recommendation', config.RECOMMENDATION_ADDR),
  );
  const ad = grpcNeighbour(AdServiceClient, neighbour('ad', config.AD_ADDR));
  const checkout = grpcNeighbour(CheckoutServiceClient, neighbour('checkout', config.CHECKOUT_ADDR, 15_000));
  const shipping = httpNeighbour(neighbour('shipping', config.SHIPPING_ADDR));

  const read = { idempotent: true };
  const write = { idempotent: false };
  const listProducts = catalog.unary('listProducts', read);
  const getProduct = catalog.unary('getProduct', read);
  const supported = currency.unary('getSupportedCurrencies', read);
  const convert = currency.unary('convert', read);
  const getCart = cart.unary('getCart', read);
  const addItem = cart.unary('addItem', write);
  // Emptying twice leaves it as empty as once: safe to repeat.
  const emptyCart = cart.unary('emptyCart', read);
  const listRecommendations = recommendation.unary('listRecommendations', read);
  const getAds = ad.unary('getAds', read);
  const placeOrder = checkout.unary('placeOrder', write);

  return {
    catalog: {
      listProducts: async () => (await listProducts({})).products,
      getProduct: (id) => getProduct({ id }),
    },
    currency: {
      supported: async () => (await supported({})).currencyCodes,
      convert: (from, toCode) => convert({ from, toCode }),
    },
    cart: {
      get: (userId) => getCart({ userId }),
      add: async (userId, item) => {
        await addItem({ userId, item });
      },
      empty: async (userId) => {
        await emptyCart({ userId });
      },
    },
    recommendation: {
      list: async (userId, productIds) => (await listRecommendations({ userId, productIds })).productIds,
    },
    ad: { getAds: async (contextKeys) => (await getAds({ contextKeys })).ads },
    checkout: {
      placeOrder: async (request) => {
        const { order } = await placeOrder(request);
        if (!order) throw checkout.badAnswer('placeOrder', 'PlaceOrder returned no order');
        return order;
      },
    },
    shipping: { quote: (address, items) => quoteShipping(shipping, address, items) },
    async close() {
      await Promise.all([catalog, currency, cart, recommendation, ad, checkout].map((n) => n.close()));
    },
  };
}

interface SnakeMoney {
  currency_code?: string;
  units?: number | string;
  nanos?: number;
}

/** POST {SHIPPING_ADDR}/get-quote with the snake_case body shipping speaks (spec §1.3). */
export function shippingQuote(
  baseUrl: string,
  address: Address,
  items: CartItem[],
  fetchImpl: typeof fetch = fetch,
): Promise<Money> {
  return quoteShipping(httpNeighbour(neighbour('shipping', baseUrl), fetchImpl), address, items);
}

async function quoteShipping(shipping: HttpNeighbour, address: Address, items: CartItem[]): Promise<Money> {
  // A quote changes nothing: safe to ask again.
  const text = await shipping.postJson('/get-quote', toSnakeCaseJson({ address, items }), {
    idempotent: true,
  });
  let cost: SnakeMoney | undefined;
  try {
    const body = JSON.parse(text) as {
      cost_usd?: SnakeMoney;
      costUsd?: SnakeMoney & { currencyCode?: string };
    };
    cost =
      body.cost_usd ??
      (body.costUsd ? { ...body.costUsd, currency_code: body.costUsd.currencyCode } : undefined);
  } catch {
    cost = undefined;
  }
  if (!cost) throw shipping.badAnswer('POST /get-quote', `unexpected answer: ${text.slice(0, 200)}`);
  return {
    currencyCode: cost.currency_code || 'USD',
    units: Number(cost.units ?? 0),
    nanos: Number(cost.nanos ?? 0),
  };
}
