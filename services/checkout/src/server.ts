import { type CheckoutServiceServer, CheckoutServiceService } from '@astroshop/proto';
import { type GrpcService, unary } from '@astroshop/service-kit';
import { type CheckoutDeps, placeOrder } from './place-order.ts';

export function checkoutService(deps: CheckoutDeps): GrpcService {
  const implementation: CheckoutServiceServer = {
    placeOrder: unary(deps.logger, async (request) => ({ order: await placeOrder(request, deps) })),
  };
  return { definition: CheckoutServiceService, implementation, name: 'oteldemo.CheckoutService' };
}
