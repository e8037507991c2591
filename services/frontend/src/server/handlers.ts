// The /api/* routes of spec §4.2 as plain functions of (request, gateways):
// no Next, no HTTP server, so the shapes and error mapping are unit-tested.
import { moneyProblem } from '@astroshop/money';
import {
  Address,
  type Cart,
  type CartItem,
  type Money,
  type OrderResult,
  PlaceOrderRequest,
  type Product,
} from '@astroshop/proto';
import { invalidArgument } from '@astroshop/service-kit';
import type { Gateways } from './gateways.ts';

export interface ApiRequest {
  method: string;
  query: URLSearchParams;
  params: Record<string, string>;
  /** The parsed JSON body (undefined when empty); throws a 400 when malformed. */
  body(): unknown;
}

export interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: ApiRequest, gateways: Gateways) => Promise<ApiResult>;

const ok = (body: unknown): ApiResult => ({ status: 200, body });

/** How many recommended products a page shows (the original's slice). */
export const MAX_RECOMMENDATIONS = 4;

const CURRENCY_RE = /^[A-Z]{3}$/;

/** `currencyCode` from the query: '' (no conversion) or a 3-letter code. */
export function currencyParam(query: URLSearchParams, fallback = ''): string {
  const raw = (query.get('currencyCode') ?? '').trim();
  if (!raw) return fallback;
  if (!CURRENCY_RE.test(raw))
    throw invalidArgument(
      `currencyCode must be a 3-letter ISO 4217 code such as EUR, got ${JSON.stringify(raw)}`,
    );
  return raw;
}

/** Repeated (`?k=a&k=b`) or comma-joined (`?k=a,b`) query values, trimmed, without blanks. */
export function listParam(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value.length > 0);
}

/** Price in `currencyCode`, converted only when a non-USD code is asked for (as the original). */
async function inCurrency(gateways: Gateways, money: Money | undefined, currencyCode: string) {
  if (!money || !currencyCode || currencyCode === money.currencyCode) return money;
  return gateways.currency.convert(money, currencyCode);
}

async function priced(gateways: Gateways, product: Product, currencyCode: string): Promise<Product> {
  const priceUsd = await inCurrency(gateways, product.priceUsd, currencyCode);
  // `priceUsd` keeps its name even when converted: the original's browser code reads it.
  return priceUsd ? { ...product, priceUsd } : product;
}

async function pricedProduct(gateways: Gateways, id: string, currencyCode: string): Promise<Product> {
  return priced(gateways, await gateways.catalog.getProduct(id), currencyCode);
}

function objectBody(request: ApiRequest): Record<string, unknown> {
  const body = request.body();
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw invalidArgument('request body must be a JSON object');
  return body as Record<string, unknown>;
}

function requiredString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw invalidArgument(`${name} is required (a string)`);
  return value;
}

/** The protobuf int32 range: anything outside it cannot even be encoded for the neighbour. */
export const INT32_MAX = 2 ** 31 - 1;

function integer(value: unknown, name: string, min = -INT32_MAX - 1, max = INT32_MAX): number {
  const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n))
    throw invalidArgument(`${name} must be an integer, got ${JSON.stringify(value)?.slice(0, 40)}`);
  if (n < min || n > max) throw invalidArgument(`${name} must be ${min}..${max}, got ${n}`);
  return n;
}

/** The field under its JSON (camelCase) or proto (snake_case) name, as ts-proto's fromJSON reads it. */
function field(object: Record<string, unknown>, camel: string, snake: string): unknown {
  return object[camel] ?? object[snake];
}

/**
 * The card fields, checked before ts-proto sees them: its fromJSON turns
 * "abc" into NaN, which then fails to encode (a 5xx for a typo). The card's
 * validity itself (Luhn, type, expiry) is payment's call.
 */
function checkCard(body: Record<string, unknown>): void {
  const card = field(body, 'creditCard', 'credit_card');
  if (card === undefined || card === null) return; // checkout names what is missing
  if (typeof card !== 'object' || Array.isArray(card))
    throw invalidArgument('creditCard must be a JSON object');
  const c = card as Record<string, unknown>;
  const number = field(c, 'creditCardNumber', 'credit_card_number');
  if (number !== undefined && (typeof number !== 'string' || number.length > 64))
    throw invalidArgument('creditCard.creditCardNumber must be a string of at most 64 characters');
  const checks: [string, string, number, number][] = [
    ['creditCardCvv', 'credit_card_cvv', 0, 9999],
    ['creditCardExpirationYear', 'credit_card_expiration_year', 0, 9999],
    ['creditCardExpirationMonth', 'credit_card_expiration_month', 0, 12],
  ];
  for (const [camel, snake, min, max] of checks) {
    const value = field(c, camel, snake);
    if (value !== undefined && value !== null) integer(value, `creditCard.${camel}`, min, max);
  }
}

function parseJsonParam(query: URLSearchParams, name: string): unknown {
  const raw = query.get(name);
  if (raw === null || raw.trim() === '') throw invalidArgument(`query parameter ${name} is required (JSON)`);
  try {
    return JSON.parse(raw);
  } catch {
    throw invalidArgument(`query parameter ${name} is not valid JSON`);
  }
}

// ---------------------------------------------------------------- /api/cart

export const getCart: Handler = async (request, gateways) => {
  const sessionId = (request.query.get('sessionId') ?? '').trim();
  const currencyCode = currencyParam(request.query);
  // No session (the load generator's viewCart): an anonymous visitor's cart is empty.
  const cart: Cart = sessionId ? await gateways.cart.get(sessionId) : { userId: '', items: [] };
  const items = await Promise.all(
    cart.items.map(async (item) => ({
      productId: item.productId,
      quantity: item.quantity,
      product: await pricedProduct(gateways, item.productId, currencyCode),
    })),
  );
  return ok({ userId: cart.userId, items });
};

export const addToCart: Handler = async (request, gateways) => {
  const body = objectBody(request);
  const userId = requiredString(body.userId, 'userId');
  const item = body.item as Record<string, unknown> | undefined;
  if (!item || typeof item !== 'object')
    throw invalidArgument('item is required: {"productId": "...", "quantity": 1}');
  const cartItem: CartItem = {
    productId: requiredString(item.productId, 'item.productId'),
    quantity: integer(item.quantity, 'item.quantity', 1),
  };
  await gateways.cart.add(userId, cartItem);
  const cart = await gateways.cart.get(userId);
  return ok({
    userId: cart.userId,
    items: cart.items.map((i) => ({ productId: i.productId, quantity: i.quantity })),
  });
};

export const emptyCart: Handler = async (request, gateways) => {
  const raw = request.body();
  const fromBody =
    raw && typeof raw === 'object' && !Array.isArray(raw)
      ? (raw as Record<string, unknown>).userId
      : undefined;
  const userId = fromBody ?? request.query.get('sessionId') ?? undefined;
  await gateways.cart.empty(requiredString(userId, 'userId'));
  return { status: 204 };
};

// ------------------------------------------------------------ /api/checkout

export const checkout: Handler = async (request, gateways) => {
  const currencyCode = currencyParam(request.query);
  const body = objectBody(request);
  checkCard(body);
  const order = PlaceOrderRequest.fromJSON(body);
  if (!order.userCurrency) order.userCurrency = currencyCode || 'USD';
  const result: OrderResult = await gateways.checkout.placeOrder(order);
  const productCurrency = currencyCode || order.userCurrency;
  const items = await Promise.all(
    result.items.map(async ({ cost, item }) => ({
      cost,
      item: {
        productId: item?.productId ?? '',
        quantity: item?.quantity ?? 0,
        product: await pricedProduct(gateways, item?.productId ?? '', productCurrency),
      },
    })),
  );
  return ok({
    orderId: result.orderId,
    shippingTrackingId: result.shippingTrackingId,
    shippingCost: result.shippingCost,
    shippingAddress: result.shippingAddress,
    items,
  });
};

// ------------------------------------------------------------ the rest

export const currencies: Handler = async (_request, gateways) => ok(await gateways.currency.supported());

export const ads: Handler = async (request, gateways) => {
  // The load generator sends the literal `None` for "no category".
  const contextKeys = [...new Set(listParam(request.query, 'contextKeys').filter((k) => k !== 'None'))];
  const list = await gateways.ad.getAds(contextKeys);
  return ok(list.map((ad) => ({ redirectUrl: ad.redirectUrl, text: ad.text })));
};

export const products: Handler = async (request, gateways) => {
  const currencyCode = currencyParam(request.query);
  const list = await gateways.catalog.listProducts();
  return ok(await Promise.all(list.map((product) => priced(gateways, product, currencyCode))));
};

export const product: Handler = async (request, gateways) => {
  const id = (request.params.productId ?? '').trim();
  if (!id) throw invalidArgument('product id is required');
  return ok(await pricedProduct(gateways, id, currencyParam(request.query)));
};

export const recommendations: Handler = async (request, gateways) => {
  const currencyCode = currencyParam(request.query);
  const productIds = listParam(request.query, 'productIds');
  const userId = (request.query.get('sessionId') ?? '').trim();
  const ids = await gateways.recommendation.list(userId, productIds);
  const picked = ids.slice(0, MAX_RECOMMENDATIONS);
  return ok(await Promise.all(picked.map((id) => pricedProduct(gateways, id, currencyCode))));
};

/**
 * A shipping quote. POST carries the address in a JSON body
 * (`{"itemList": [...], "address": {...}}`), so it stays out of URLs and
 * access logs; GET with JSON query parameters is the original's form, kept
 * for its clients.
 */
export const shipping: Handler = async (request, gateways) => {
  const currencyCode = currencyParam(request.query, 'USD');
  const posted = request.method === 'POST' ? objectBody(request) : undefined;
  const rawItems = posted ? posted.itemList : parseJsonParam(request.query, 'itemList');
  if (!Array.isArray(rawItems))
    throw invalidArgument('itemList must be a JSON array of {"productId", "quantity"}');
  const items: CartItem[] = rawItems.map((raw, index) => {
    const entry = (raw ?? {}) as Record<string, unknown>;
    return {
      productId: requiredString(entry.productId ?? entry.product_id, `itemList[${index}].productId`),
      quantity: integer(entry.quantity, `itemList[${index}].quantity`, 0),
    };
  });
  const rawAddress = posted ? posted.address : parseJsonParam(request.query, 'address');
  if (!rawAddress || typeof rawAddress !== 'object' || Array.isArray(rawAddress))
    throw invalidArgument('address must be a JSON object');
  const address = Address.fromJSON(rawAddress);
  const costUsd = await gateways.shipping.quote(address, items);
  const problem = moneyProblem(costUsd);
  if (problem) throw new Error(`shipping returned a malformed cost: ${problem}`);
  return ok(await inCurrency(gateways, costUsd, currencyCode));
};

export interface FlagReader {
  imageSlowLoad(targetingKey: string): Promise<number>;
}

/** Ours (not in the original): the browser-side flags, evaluated on the server. */
export const flags =
  (reader: FlagReader): Handler =>
  async (request) => {
    const sessionId = (request.query.get('sessionId') ?? '').trim();
    return ok({ imageSlowLoad: await reader.imageSlowLoad(sessionId) });
  };

// ------------------------------------------------------------ routing table

export interface Route {
  pattern: RegExp;
  /** `http.route` / span name template. */
  template: string;
  paramNames: string[];
  methods: Partial<Record<'GET' | 'POST' | 'DELETE', Handler>>;
}

export function apiRoutes(flagReader: FlagReader): Route[] {
  return [
    {
      pattern: /^\/api\/cart$/,
      template: '/api/cart',
      paramNames: [],
      methods: { GET: getCart, POST: addToCart, DELETE: emptyCart },
    },
    { pattern: /^\/api\/checkout$/, template: '/api/checkout', paramNames: [], methods: { POST: checkout } },
    { pattern: /^\/api\/currency$/, template: '/api/currency', paramNames: [], methods: { GET: currencies } },
    { pattern: /^\/api\/data$/, template: '/api/data', paramNames: [], methods: { GET: ads } },
    { pattern: /^\/api\/products$/, template: '/api/products', paramNames: [], methods: { GET: products } },
    {
      pattern: /^\/api\/products\/([^/]+)$/,
      template: '/api/products/[productId]',
      paramNames: ['productId'],
      methods: { GET: product },
    },
    {
      pattern: /^\/api\/recommendations$/,
      template: '/api/recommendations',
      paramNames: [],
      methods: { GET: recommendations },
    },
    {
      pattern: /^\/api\/shipping$/,
      template: '/api/shipping',
      paramNames: [],
      methods: { GET: shipping, POST: shipping },
    },
    {
      pattern: /^\/api\/flags$/,
      template: '/api/flags',
      paramNames: [],
      methods: { GET: flags(flagReader) },
    },
  ];
}
