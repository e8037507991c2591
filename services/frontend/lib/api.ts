// The browser's client for /api/* (spec §4.2). Every call runs in a context
// whose baggage carries session.id / enduser.id (and synthetic_request), so
// the fetch instrumentation sends `baggage` next to `traceparent`.
import { BAGGAGE } from '@astroshop/telemetry/names';
import { context, propagation } from '@opentelemetry/api';
import { loadSession } from './session.ts';
import { waitForTracer } from './tracer-ready.ts';
import type { Ad, CartItem, DetailedCart, Money, Order, PlaceOrderRequest, Product } from './types.ts';

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

type Query = Record<string, string | string[] | undefined>;

function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.set(key, value);
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function call<T>(method: string, path: string, query: Query = {}, body?: unknown): Promise<T> {
  const wait = waitForTracer();
  if (wait) await wait;
  const { userId } = loadSession();
  const entries: Record<string, { value: string }> = {
    [BAGGAGE.sessionId]: { value: userId },
    [BAGGAGE.enduserId]: { value: userId },
  };
  if (window.ENV?.IS_SYNTHETIC_REQUEST === 'true') entries[BAGGAGE.syntheticRequest] = { value: 'true' };
  const ctx = propagation.setBaggage(context.active(), propagation.createBaggage(entries));
  // fetch() is called synchronously inside the context so its span (and the
  // baggage header) belong to the click that caused it.
  const response = await context.with(ctx, () =>
    fetch(`${path}${queryString(query)}`, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const message = (parsed as { error?: string } | undefined)?.error ?? `HTTP ${response.status}`;
    throw new ApiError(response.status, message);
  }
  return parsed as T;
}

export const api = {
  products: (currencyCode: string) => call<Product[]>('GET', '/api/products', { currencyCode }),
  product: (id: string, currencyCode: string) =>
    call<Product>('GET', `/api/products/${encodeURIComponent(id)}`, { currencyCode }),
  currencies: () => call<string[]>('GET', '/api/currency'),
  cart: (sessionId: string, currencyCode: string) =>
    call<DetailedCart>('GET', '/api/cart', { sessionId, currencyCode }),
  addToCart: (userId: string, item: CartItem, currencyCode: string) =>
    call<{ userId: string; items: CartItem[] }>('POST', '/api/cart', { currencyCode }, { userId, item }),
  emptyCart: (userId: string) => call<void>('DELETE', '/api/cart', {}, { userId }),
  recommendations: (productIds: string[], sessionId: string, currencyCode: string) =>
    call<Product[]>('GET', '/api/recommendations', { productIds, sessionId, currencyCode }),
  ads: (contextKeys: string[]) => call<Ad[]>('GET', '/api/data', { contextKeys }),
  // POST: the address stays out of URLs (and so out of access logs and spans' url.full).
  shipping: (itemList: CartItem[], currencyCode: string, address: PlaceOrderRequest['address']) =>
    call<Money>('POST', '/api/shipping', { currencyCode }, { itemList, address }),
  placeOrder: (request: PlaceOrderRequest, currencyCode: string) =>
    call<Order>('POST', '/api/checkout', { currencyCode }, request),
  flags: (sessionId: string) => call<{ imageSlowLoad: number }>('GET', '/api/flags', { sessionId }),
};
