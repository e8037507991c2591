// The frontend's neighbours behind small interfaces: the handlers depend on
// these, the tests fake them. Every call has a deadline and every failure is
// a DependencyError naming the neighbour.
import {
  type Ad,
  type Address,
  AdServiceClient,
  type Cart,
  type CartItem,
  CartServiceClient,
  CheckoutServiceClient,
  CurrencyServiceClient,
  createClient,
  type Money,
  type OrderResult,
  type PlaceOrderRequest,
  type Product,
  ProductCatalogServiceClient,
  RecommendationServiceClient,
  toSnakeCaseJson,
  unary,
} from '@astroshop/proto';
import type { Config } from '../config.ts';
import { DependencyError, fromGrpcError } from './errors.ts';

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

const DEADLINE_MS = 5000;
// PlaceOrder fans out to six services (and may wait on Kafka), so it gets longer.
const CHECKOUT_DEADLINE_MS = 15_000;

async function guarded<T>(dependency: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fromGrpcError(dependency, error);
  }
}

export function createGateways(config: Config): Gateways & { close(): void } {
  const catalog = createClient(ProductCatalogServiceClient, config.PRODUCT_CATALOG_ADDR);
  const currency = createClient(CurrencyServiceClient, config.CURRENCY_ADDR);
  const cart = createClient(CartServiceClient, config.CART_ADDR);
  const recommendation = createClient(RecommendationServiceClient, config.RECOMMENDATION_ADDR);
  const ad = createClient(AdServiceClient, config.AD_ADDR);
  const checkout = createClient(CheckoutServiceClient, config.CHECKOUT_ADDR);

  const listProducts = unary(catalog.listProducts, catalog);
  const getProduct = unary(catalog.getProduct, catalog);
  const supported = unary(currency.getSupportedCurrencies, currency);
  const convert = unary(currency.convert, currency);
  const getCart = unary(cart.getCart, cart);
  const addItem = unary(cart.addItem, cart);
  const emptyCart = unary(cart.emptyCart, cart);
  const listRecommendations = unary(recommendation.listRecommendations, recommendation);
  const getAds = unary(ad.getAds, ad);
  const placeOrder = unary(checkout.placeOrder, checkout);

  return {
    catalog: {
      listProducts: () =>
        guarded('product-catalog', async () => (await listProducts({}, { timeoutMs: DEADLINE_MS })).products),
      getProduct: (id) => guarded('product-catalog', () => getProduct({ id }, { timeoutMs: DEADLINE_MS })),
    },
    currency: {
      supported: () =>
        guarded('currency', async () => (await supported({}, { timeoutMs: DEADLINE_MS })).currencyCodes),
      convert: (from, toCode) =>
        guarded('currency', () => convert({ from, toCode }, { timeoutMs: DEADLINE_MS })),
    },
    cart: {
      get: (userId) => guarded('cart', () => getCart({ userId }, { timeoutMs: DEADLINE_MS })),
      add: (userId, item) =>
        guarded('cart', async () => {
          await addItem({ userId, item }, { timeoutMs: DEADLINE_MS });
        }),
      empty: (userId) =>
        guarded('cart', async () => {
          await emptyCart({ userId }, { timeoutMs: DEADLINE_MS });
        }),
    },
    recommendation: {
      list: (userId, productIds) =>
        guarded(
          'recommendation',
          async () =>
            (await listRecommendations({ userId, productIds }, { timeoutMs: DEADLINE_MS })).productIds,
        ),
    },
    ad: {
      getAds: (contextKeys) =>
        guarded('ad', async () => (await getAds({ contextKeys }, { timeoutMs: DEADLINE_MS })).ads),
    },
    checkout: {
      placeOrder: (request) =>
        guarded('checkout', async () => {
          const { order } = await placeOrder(request, { timeoutMs: CHECKOUT_DEADLINE_MS });
          if (!order) throw new DependencyError('checkout', 'PlaceOrder returned no order');
          return order;
        }),
    },
    shipping: { quote: (address, items) => shippingQuote(config.SHIPPING_ADDR, address, items) },
    close() {
      for (const client of [catalog, currency, cart, recommendation, ad, checkout]) client.close();
    },
  };
}

interface SnakeMoney {
  currency_code?: string;
  units?: number | string;
  nanos?: number;
}

/** POST {SHIPPING_ADDR}/get-quote with the snake_case body shipping speaks (spec §1.3). */
export async function shippingQuote(
  baseUrl: string,
  address: Address,
  items: CartItem[],
  fetchImpl: typeof fetch = fetch,
): Promise<Money> {
  let response: Response;
  try {
    response = await fetchImpl(`${baseUrl}/get-quote`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(toSnakeCaseJson({ address, items })),
      signal: AbortSignal.timeout(DEADLINE_MS),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new DependencyError('shipping', cause ? `${message} (${cause})` : message, { cause: error });
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    let detail = text.slice(0, 300) || response.statusText;
    try {
      const parsed = JSON.parse(text) as { error?: unknown };
      if (typeof parsed.error === 'string') detail = parsed.error;
    } catch {
      // not JSON: keep the raw text
    }
    throw new DependencyError('shipping', `HTTP ${response.status}: ${detail}`, {
      httpStatus: response.status,
    });
  }
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
  if (!cost) throw new DependencyError('shipping', `unexpected /get-quote answer: ${text.slice(0, 200)}`);
  return {
    currencyCode: cost.currency_code || 'USD',
    units: Number(cost.units ?? 0),
    nanos: Number(cost.nanos ?? 0),
  };
}
