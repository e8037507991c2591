import { ATTR } from '@astroshop/telemetry';
import { type Span, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { type ShopClient, type ShopRequest, type ShopResponse, StoppedError } from './client.ts';
import { type FlagSource, LOADGEN_FLAG } from './flags.ts';
import type { Person } from './people.ts';
import { newUuid, pick, type Rng } from './random.ts';

// The original load generator's user mix (spec §6.1): task names, weights,
// requests and span names/attributes are the contract the demo's dashboards
// and docs rely on.

export const PRODUCT_IDS = [
  '0PUK6V6EV0',
  '1YMWWN1N4O',
  '2ZYFJ3GM2N',
  '66VCHSJNUP',
  '6E92ZMYYFZ',
  '9SIQT8TOJO',
  'L9ECAV7KIM',
  'LS4PSXUNUM',
  'OLJCESPC7Z',
  'HQTGWGPNH4',
] as const;

/** `null` is sent as the literal `None`, as the original does. */
export const AD_CATEGORIES = [
  'binoculars',
  'telescopes',
  'accessories',
  'assembly',
  'travel',
  'books',
  null,
] as const;

export const QUANTITIES = [1, 2, 3, 4, 5, 10] as const;

/** Span attributes of the k6 script (load-generator only, not in the §10 schema). */
export const SPAN_ATTR = {
  productId: 'product.id',
  category: 'category',
  quantity: 'quantity',
  itemCount: 'item.count',
  floodCount: 'flood.count',
} as const;

/** Upper bound for one flood, whatever the flag says: a loop must stay bounded. */
export const MAX_FLOOD = 1000;

export interface UserContext {
  client: ShopClient;
  sessionId: string;
  rng: Rng;
  flags: FlagSource;
  people: readonly Person[];
  signal: AbortSignal;
}

type TaskFn = (ctx: UserContext, span: Span) => Promise<void>;

export interface Task {
  name: string;
  weight: number;
  span: string;
  run: TaskFn;
}

const get = (ctx: UserContext, path: string, name: string) =>
  ctx.client.request({ path, name }, ctx.sessionId, ctx.signal);

const send = (ctx: UserContext, req: ShopRequest) => ctx.client.request(req, ctx.sessionId, ctx.signal);

async function addToCart(ctx: UserContext, span: Span, userId: string): Promise<void> {
  const productId = pick(PRODUCT_IDS, ctx.rng);
  const quantity = pick(QUANTITIES, ctx.rng);
  span.setAttributes({
    [ATTR.userId]: userId,
    [SPAN_ATTR.productId]: productId,
    [SPAN_ATTR.quantity]: quantity,
  });
  await get(ctx, `/api/products/${productId}`, '/api/products/[id]');
  await send(ctx, {
    method: 'POST',
    path: '/api/cart',
    name: '/api/cart',
    body: { item: { productId, quantity }, userId },
  });
}

async function placeOrder(ctx: UserContext, userId: string): Promise<ShopResponse> {
  const person = pick(ctx.people, ctx.rng);
  return send(ctx, {
    method: 'POST',
    path: '/api/checkout',
    name: '/api/checkout',
    body: { ...person, userId },
  });
}

export const TASKS: readonly Task[] = [
  {
    name: 'index',
    weight: 1,
    span: 'user_index',
    run: async (ctx) => {
      await get(ctx, '/', '/');
    },
  },
  {
    name: 'browseProduct',
    weight: 10,
    span: 'user_browse_product',
    run: async (ctx, span) => {
      const id = pick(PRODUCT_IDS, ctx.rng);
      span.setAttribute(SPAN_ATTR.productId, id);
      await get(ctx, `/api/products/${id}`, '/api/products/[id]');
    },
  },
  {
    name: 'getRecommendations',
    weight: 3,
    span: 'user_get_recommendations',
    run: async (ctx, span) => {
      const id = pick(PRODUCT_IDS, ctx.rng);
      span.setAttribute(SPAN_ATTR.productId, id);
      await get(
        ctx,
        `/api/recommendations?${new URLSearchParams({ productIds: id })}`,
        '/api/recommendations',
      );
    },
  },
  {
    name: 'getAds',
    weight: 3,
    span: 'user_get_ads',
    run: async (ctx, span) => {
      const category = pick(AD_CATEGORIES, ctx.rng) ?? 'None';
      span.setAttribute(SPAN_ATTR.category, category);
      await get(ctx, `/api/data/?${new URLSearchParams({ contextKeys: category })}`, '/api/data');
    },
  },
  {
    name: 'viewCart',
    weight: 3,
    span: 'user_view_cart',
    run: async (ctx) => {
      await get(ctx, '/api/cart', '/api/cart');
    },
  },
  {
    name: 'addToCart',
    weight: 2,
    span: 'user_add_to_cart',
    run: async (ctx, span) => addToCart(ctx, span, newUuid()),
  },
  {
    name: 'checkout',
    weight: 1,
    span: 'user_checkout_single',
    run: async (ctx, span) => {
      const userId = newUuid();
      await addToCart(ctx, span, userId);
      await placeOrder(ctx, userId);
    },
  },
  {
    name: 'checkoutMulti',
    weight: 1,
    span: 'user_checkout_multi',
    run: async (ctx, span) => {
      const userId = newUuid();
      const count = pick([2, 3, 4], ctx.rng);
      span.setAttribute(SPAN_ATTR.itemCount, count);
      for (let i = 0; i < count && !ctx.signal.aborted; i++) await addToCart(ctx, span, userId);
      // addToCart overwrote these with the last item; the multi span describes the whole order.
      span.setAttribute(ATTR.userId, userId);
      await placeOrder(ctx, userId);
    },
  },
  {
    name: 'floodHome',
    weight: 5,
    span: 'user_flood_home',
    run: async (ctx, span) => {
      const wanted = await ctx.flags.number(LOADGEN_FLAG.floodHomepage, 0);
      const count = Math.min(MAX_FLOOD, Math.max(0, Math.floor(wanted)));
      span.setAttribute(SPAN_ATTR.floodCount, count);
      for (let i = 0; i < count && !ctx.signal.aborted; i++) await get(ctx, '/', '/');
    },
  },
];

/** The first thing a user does (spec §6.1 onStart / Locust on_start). */
export const SESSION_START: Task = {
  name: 'sessionStart',
  weight: 0,
  span: 'user_session_start',
  run: async (ctx) => {
    await get(ctx, '/', '/');
  },
};

/**
 * Runs one task inside its span. Failures of the shop are already counted by
 * the client; here they only mark the span. Returns false when stopped.
 */
export async function runTask(task: Task, ctx: UserContext, tracer: Tracer): Promise<boolean> {
  return tracer.startActiveSpan(task.span, async (span) => {
    span.setAttributes({ [ATTR.sessionId]: ctx.sessionId, [ATTR.syntheticRequest]: 'true' });
    try {
      await task.run(ctx, span);
      return true;
    } catch (error) {
      if (error instanceof StoppedError) return false;
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      return true;
    } finally {
      span.end();
    }
  });
}
