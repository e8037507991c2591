import { type CartServiceServer, CartServiceService } from '@astroshop/proto';
import { type GrpcService, type Logger, unary } from '@astroshop/service-kit';
import { ATTR, activeSpan } from '@astroshop/telemetry';
import { itemsCount } from './cart.ts';
import { CartFailureInjected, type CartService } from './cart-service.ts';

export function cartGrpcService(carts: CartService, logger: Logger): GrpcService {
  const implementation: CartServiceServer = {
    addItem: unary(logger, async ({ userId, item }) => {
      activeSpan()?.setAttributes({
        [ATTR.userId]: userId,
        [ATTR.productId]: item?.productId ?? '',
        [ATTR.productQuantity]: item?.quantity ?? 0,
      });
      logger.debug(
        { [ATTR.eventName]: 'cart.add_item', [ATTR.userId]: userId, [ATTR.productId]: item?.productId },
        'AddItem called',
      );
      await carts.addItem(userId, item);
      return {};
    }),

    getCart: unary(logger, async ({ userId }) => {
      const span = activeSpan();
      span?.setAttribute(ATTR.userId, userId);
      span?.addEvent('Fetch cart');
      logger.debug({ [ATTR.eventName]: 'cart.get', [ATTR.userId]: userId }, 'GetCart called');
      const cart = await carts.getCart(userId);
      span?.setAttribute(ATTR.cartItemsCount, itemsCount(cart));
      return cart;
    }),

    emptyCart: unary(logger, async ({ userId }) => {
      const span = activeSpan();
      span?.setAttribute(ATTR.userId, userId);
      span?.addEvent('Empty cart');
      logger.debug({ [ATTR.eventName]: 'cart.empty', [ATTR.userId]: userId }, 'EmptyCart called');
      try {
        await carts.emptyCart(userId);
      } catch (error) {
        if (error instanceof CartFailureInjected)
          span?.addEvent('cartFailure flag triggered', { 'feature_flag.probability': error.probability });
        throw error;
      }
      return {};
    }),
  };

  return { definition: CartServiceService, implementation, name: 'oteldemo.CartService' };
}
