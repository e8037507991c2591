import { moneyProblem } from '@astroshop/money';
import {
  CartServiceClient,
  CurrencyServiceClient,
  createClient,
  PaymentServiceClient,
  ProductCatalogServiceClient,
  unary,
} from '@astroshop/proto';
import { GrpcStatus, isGrpcCallError, StatusError } from '@astroshop/service-kit';
import type { Neighbours } from './neighbours.ts';

/** The address paymentUnreachable dials: a name that never resolves. */
export const UNREACHABLE_PAYMENT_ADDR = 'badAddress:50051';

// Per-call deadlines: each neighbour answers in milliseconds when healthy, so
// these only bound how long a dead or stuck one can hold an order.
const DEADLINE_MS = { cart: 2000, catalog: 2000, currency: 2000, payment: 3000, unreachablePayment: 1000 };

export interface GrpcAddresses {
  cart: string;
  currency: string;
  payment: string;
  productCatalog: string;
}

/** Prefixes a neighbour's error with the call and address, keeping its status code. */
async function called<T>(call: string, address: string, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!isGrpcCallError(error)) throw error;
    throw new StatusError(error.code, `${call} at ${address}: ${error.details || error.message}`, {
      cause: error,
    });
  }
}

type GrpcNeighbours = Pick<Neighbours, 'getCart' | 'emptyCart' | 'getProduct' | 'convert' | 'charge'> & {
  close(): void;
};

export function grpcNeighbours(addresses: GrpcAddresses): GrpcNeighbours {
  const cart = createClient(CartServiceClient, addresses.cart);
  const currency = createClient(CurrencyServiceClient, addresses.currency);
  const payment = createClient(PaymentServiceClient, addresses.payment);
  const catalog = createClient(ProductCatalogServiceClient, addresses.productCatalog);
  // Created on first use and kept: a channel per order would leak.
  let badPayment: PaymentServiceClient | undefined;

  const getCart = unary(cart.getCart, cart);
  const emptyCart = unary(cart.emptyCart, cart);
  const getProduct = unary(catalog.getProduct, catalog);
  const convert = unary(currency.convert, currency);
  const charge = unary(payment.charge, payment);

  return {
    async getCart(userId) {
      const found = await called(
        'CartService.GetCart',
        addresses.cart,
        getCart({ userId }, { timeoutMs: DEADLINE_MS.cart }),
      );
      return found.items;
    },
    async emptyCart(userId) {
      await called(
        'CartService.EmptyCart',
        addresses.cart,
        emptyCart({ userId }, { timeoutMs: DEADLINE_MS.cart }),
      );
    },
    async getProduct(id) {
      const where = `ProductCatalogService.GetProduct(${JSON.stringify(id)})`;
      const product = await called(
        where,
        addresses.productCatalog,
        getProduct({ id }, { timeoutMs: DEADLINE_MS.catalog }),
      );
      const problem = moneyProblem(product.priceUsd);
      if (problem) throw new StatusError(GrpcStatus.INTERNAL, `${where} returned a bad price: ${problem}`);
      return product;
    },
    async convert(from, toCode) {
      const converted = await called(
        'CurrencyService.Convert',
        addresses.currency,
        convert({ from, toCode }, { timeoutMs: DEADLINE_MS.currency }),
      );
      const problem = moneyProblem(converted);
      if (problem)
        throw new StatusError(GrpcStatus.INTERNAL, `CurrencyService.Convert returned bad money: ${problem}`);
      return converted;
    },
    async charge(request, { unreachable }) {
      if (unreachable) {
        badPayment ??= createClient(PaymentServiceClient, UNREACHABLE_PAYMENT_ADDR);
        const bad = unary(badPayment.charge, badPayment);
        const response = await called(
          'PaymentService.Charge',
          UNREACHABLE_PAYMENT_ADDR,
          bad(request, { timeoutMs: DEADLINE_MS.unreachablePayment }),
        );
        return response.transactionId;
      }
      const response = await called(
        'PaymentService.Charge',
        addresses.payment,
        charge(request, { timeoutMs: DEADLINE_MS.payment }),
      );
      return response.transactionId;
    },
    close() {
      for (const client of [cart, currency, payment, catalog, badPayment]) client?.close();
    },
  };
}
