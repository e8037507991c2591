import type { Money } from '@astroshop/money';
import type { CartItem, ChargeRequest, OrderResult, PlaceOrderRequest, Product } from '@astroshop/proto';
import type { Logger } from '@astroshop/service-kit';
import { trace } from '@opentelemetry/api';
import type { CheckoutFlags, Neighbours, OrderPublisher } from '../src/neighbours.ts';
import type { CheckoutDeps } from '../src/place-order.ts';

export const usd = (units: number, nanos = 0): Money => ({ currencyCode: 'USD', units, nanos });

export const PRODUCTS: Record<string, Money> = {
  OLJCESPC7Z: usd(101, 960_000_000),
  '66VCHSJNUP': usd(349, 950_000_000),
  '9SIQT8TOJO': usd(3599, 0),
};

export function orderRequest(overrides: Partial<PlaceOrderRequest> = {}): PlaceOrderRequest {
  return {
    userId: 'user-1',
    userCurrency: 'USD',
    email: 'someone@example.com',
    address: {
      streetAddress: '1600 Amphitheatre Parkway',
      city: 'Mountain View',
      state: 'CA',
      country: 'United States',
      zipCode: '94043',
    },
    creditCard: {
      creditCardNumber: '4432-8015-6152-0454',
      creditCardCvv: 672,
      creditCardExpirationYear: 2099,
      creditCardExpirationMonth: 1,
    },
    ...overrides,
  };
}

export interface LogLine {
  level: string;
  fields: Record<string, unknown>;
  message: string;
}

export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: string) =>
    (fieldsOrMessage: unknown, message?: string): void => {
      if (typeof fieldsOrMessage === 'string') lines.push({ level, fields: {}, message: fieldsOrMessage });
      else lines.push({ level, fields: fieldsOrMessage as Record<string, unknown>, message: message ?? '' });
    };
  const logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
    child: () => logger,
  };
  return { logger: logger as unknown as Logger, lines };
}

/** Neighbours that behave like a healthy shop, with every call recorded. */
export function fakeShop(cart: CartItem[], overrides: Partial<Neighbours> = {}) {
  const calls = {
    charged: [] as { request: ChargeRequest; unreachable: boolean }[],
    shipped: 0,
    emptied: [] as string[],
    emails: [] as { email: string; order: OrderResult }[],
    published: [] as OrderResult[],
    copies: [] as number[],
  };
  const neighbours: Neighbours = {
    getCart: async () => cart,
    emptyCart: async (userId) => {
      calls.emptied.push(userId);
    },
    getProduct: async (id): Promise<Product> => {
      const price = PRODUCTS[id];
      if (!price)
        throw Object.assign(new Error(`product ${id} not found`), {
          code: 5,
          details: `product ${id} not found`,
        });
      return { id, name: id, description: '', picture: '', priceUsd: price, categories: [] };
    },
    convert: async (from, toCode) => {
      if (toCode === from.currencyCode) return from;
      throw new Error(`fake currency only does identity, asked ${from.currencyCode}→${toCode}`);
    },
    charge: async (request, { unreachable }) => {
      calls.charged.push({ request, unreachable });
      return 'txn-1';
    },
    quoteShipping: async () => usd(8, 990_000_000),
    shipOrder: async () => {
      calls.shipped++;
      return 'track-1';
    },
    sendConfirmation: async (email, order) => {
      calls.emails.push({ email, order });
    },
    ...overrides,
  };
  const publisher: OrderPublisher = {
    publish: async (order) => {
      calls.published.push(order);
      return 'published';
    },
    publishCopies: async (_order, copies) => {
      calls.copies.push(copies);
    },
  };
  return { neighbours, publisher, calls };
}

export function deps(
  neighbours: Neighbours,
  publisher: OrderPublisher | undefined,
  flags: Partial<{ paymentUnreachable: boolean; kafkaQueueProblems: number }> = {},
): CheckoutDeps & { lines: LogLine[] } {
  const { logger, lines } = captureLogger();
  const checkoutFlags: CheckoutFlags = {
    paymentUnreachable: async () => flags.paymentUnreachable ?? false,
    kafkaQueueProblems: async () => flags.kafkaQueueProblems ?? 0,
  };
  return {
    neighbours,
    publisher,
    flags: checkoutFlags,
    logger,
    tracer: trace.getTracer('test'),
    newOrderId: () => 'order-1',
    lines,
  };
}
