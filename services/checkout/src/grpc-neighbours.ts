import { moneyProblem } from '@astroshop/money';
import {
  CartServiceClient,
  CurrencyServiceClient,
  PaymentServiceClient,
  ProductCatalogServiceClient,
} from '@astroshop/proto';
import { GrpcStatus, grpcNeighbour, type NeighbourConfig, StatusError } from '@astroshop/service-kit';
import type { Neighbours } from './neighbours.ts';

/** The address paymentUnreachable dials: a name that never resolves. */
export const UNREACHABLE_PAYMENT_ADDR = 'badAddress:50051';

export interface GrpcNeighbourConfigs {
  cart: NeighbourConfig;
  currency: NeighbourConfig;
  payment: NeighbourConfig;
  productCatalog: NeighbourConfig;
}

type GrpcNeighbours = Pick<Neighbours, 'getCart' | 'emptyCart' | 'getProduct' | 'convert' | 'charge'> & {
  close(): Promise<void>;
};

export function grpcNeighbours(config: GrpcNeighbourConfigs): GrpcNeighbours {
  const cart = grpcNeighbour(CartServiceClient, config.cart);
  const currency = grpcNeighbour(CurrencyServiceClient, config.currency);
  const payment = grpcNeighbour(PaymentServiceClient, config.payment);
  const catalog = grpcNeighbour(ProductCatalogServiceClient, config.productCatalog);
  // A second channel to a name that never resolves, kept (one per order would
  // leak); a short deadline, as the flag only has to make the charge fail.
  const badPayment = grpcNeighbour(PaymentServiceClient, {
    name: 'payment',
    address: UNREACHABLE_PAYMENT_ADDR,
    timeoutMs: 1000,
  });

  const getCart = cart.unary('getCart', { idempotent: true });
  // Emptying twice leaves it as empty as once: safe to repeat.
  const emptyCart = cart.unary('emptyCart', { idempotent: true });
  const getProduct = catalog.unary('getProduct', { idempotent: true });
  const convert = currency.unary('convert', { idempotent: true });
  const charge = payment.unary('charge', { idempotent: false });
  const chargeUnreachable = badPayment.unary('charge', { idempotent: false });

  return {
    getCart: async (userId) => (await getCart({ userId })).items,
    emptyCart: async (userId) => {
      await emptyCart({ userId });
    },
    async getProduct(id) {
      const product = await getProduct({ id });
      const problem = moneyProblem(product.priceUsd);
      if (problem)
        throw new StatusError(
          GrpcStatus.INTERNAL,
          `product-catalog GetProduct(${JSON.stringify(id)}) returned a bad price: ${problem}`,
        );
      return product;
    },
    async convert(from, toCode) {
      const converted = await convert({ from, toCode });
      const problem = moneyProblem(converted);
      if (problem)
        throw new StatusError(GrpcStatus.INTERNAL, `currency Convert returned bad money: ${problem}`);
      return converted;
    },
    async charge(request, { unreachable }) {
      return (await (unreachable ? chargeUnreachable : charge)(request)).transactionId;
    },
    async close() {
      await Promise.all([cart, currency, payment, catalog, badPayment].map((n) => n.close()));
    },
  };
}
