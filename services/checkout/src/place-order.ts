import { randomUUID } from 'node:crypto';
import { formatAmount, type Money, toNumber } from '@astroshop/money';
import type { Address, CartItem, OrderItem, OrderResult, PlaceOrderRequest } from '@astroshop/proto';
import { invalidArgument, type Logger, unavailable } from '@astroshop/service-kit';
import { ATTR, activeSpan, BAGGAGE, baggageValue, maskCardNumber, withSpan } from '@astroshop/telemetry';
import type { Span, Tracer } from '@opentelemetry/api';
import type { CheckoutFlags, Neighbours, OrderPublisher } from './neighbours.ts';
import { itemUnits, orderTotal } from './pricing.ts';
import { step } from './step-failure.ts';
import { assertValidOrderRequest } from './validate.ts';

export interface CheckoutDeps {
  neighbours: Neighbours;
  /** Absent when KAFKA_ADDR is not set: orders are then not published. */
  publisher: OrderPublisher | undefined;
  flags: CheckoutFlags;
  logger: Logger;
  tracer: Tracer;
  newOrderId?: () => string;
}

interface PreparedOrder {
  cartItems: CartItem[];
  lines: OrderItem[];
  shippingCost: Money;
}

export function annotateRequest(span: Span | undefined, request: PlaceOrderRequest): void {
  if (!span) return;
  span.setAttributes({
    [ATTR.userId]: request.userId,
    [ATTR.userSelectedCurrency]: request.userCurrency,
    [ATTR.userEmail]: request.email,
  });
  // Masked here, before validation or anything else can record it: the
  // collector's redaction is only the second line. The CVV is never recorded.
  if (request.creditCard) {
    span.setAttribute(ATTR.paymentCardNumber, maskCardNumber(request.creditCard.creditCardNumber));
  }
  if (baggageValue(BAGGAGE.syntheticRequest) === 'true')
    span.setAttribute(ATTR.userAgentSyntheticType, 'test');
}

async function prepareOrder(
  deps: CheckoutDeps,
  userId: string,
  currency: string,
  address: Address,
): Promise<PreparedOrder> {
  const { neighbours } = deps;
  return withSpan(deps.tracer, 'prepareOrderItemsAndShippingQuoteFromCart', async (span) => {
    const cartItems = await step('cart failure', () => neighbours.getCart(userId));
    // The request names a user with nothing to order: the caller's mistake
    // (INVALID_ARGUMENT → 400 at the frontend).
    if (cartItems.length === 0)
      throw invalidArgument(
        `cart of user_id ${JSON.stringify(userId)} is empty: add items before placing an order`,
      );

    const lines = await step('failed to prepare order', () =>
      Promise.all(
        cartItems.map(async (item): Promise<OrderItem> => {
          const product = await neighbours.getProduct(item.productId);
          // priceUsd was checked by the client; the non-null keeps the types honest.
          const cost = await neighbours.convert(product.priceUsd!, currency);
          return { item, cost };
        }),
      ),
    );
    const shippingCost = await step('shipping quote failure', async () =>
      neighbours.convert(await neighbours.quoteShipping(address, cartItems), currency),
    );
    span.setAttributes({
      [ATTR.shippingAmount]: toNumber(shippingCost),
      [ATTR.cartItemsCount]: itemUnits(cartItems),
      [ATTR.orderItemsCount]: lines.length,
    });
    return { cartItems, lines, shippingCost };
  });
}

/** Everything after the order exists: confirmation mail and Kafka. Neither may fail the order. */
async function announceOrder(deps: CheckoutDeps, email: string, order: OrderResult): Promise<void> {
  const { logger, publisher } = deps;
  const mail = deps.neighbours.sendConfirmation(email, order).then(
    () => logger.info({ [ATTR.orderId]: order.orderId }, 'order confirmation email sent'),
    (error: unknown) =>
      logger.warn(
        { err: error, [ATTR.orderId]: order.orderId },
        `failed to send order confirmation: ${(error as Error).message}`,
      ),
  );
  if (!publisher) {
    await mail;
    return;
  }
  logger.info({ [ATTR.orderId]: order.orderId }, 'sending to postProcessor');
  const published = publisher.publish(order).then(
    (delivery) =>
      delivery === 'queued'
        ? logger.warn(
            { [ATTR.orderId]: order.orderId, [ATTR.eventName]: 'checkout.order.queued' },
            `order ${order.orderId} kept in the outbox until kafka is back`,
          )
        : logger.info({ [ATTR.orderId]: order.orderId }, 'order published'),
    (error: unknown) => {
      // The order stands, so PlaceOrder stays OK; the `orders publish` span carries the error.
      activeSpan()?.addEvent('order not published', { [ATTR.exceptionMessage]: (error as Error).message });
      logger.error(
        { err: error, [ATTR.orderId]: order.orderId },
        `order ${order.orderId} not published: ${(error as Error).message}`,
      );
    },
  );
  await Promise.all([mail, published, overloadQueue(deps, order)]);
}

/** kafkaQueueProblems: N extra copies, sent in the background so the order does not wait on them. */
async function overloadQueue(deps: CheckoutDeps, order: OrderResult): Promise<void> {
  const copies = Math.trunc(await deps.flags.kafkaQueueProblems());
  if (!deps.publisher || copies <= 0) return;
  const { logger } = deps;
  logger.warn("Warning: FeatureFlag 'kafkaQueueProblems' is activated, overloading queue now.");
  void deps.publisher.publishCopies(order, copies).then(
    () => logger.info(`Done with #${copies} messages for overload simulation.`),
    (error: unknown) =>
      logger.warn({ err: error }, `overload copies not published: ${(error as Error).message}`),
  );
}

export async function placeOrder(request: PlaceOrderRequest, deps: CheckoutDeps): Promise<OrderResult> {
  const { neighbours, logger } = deps;
  const span = activeSpan();
  annotateRequest(span, request);
  assertValidOrderRequest(request);
  const address = request.address!;
  const { userId, userCurrency } = request;
  logger.info({ user_id: userId, user_currency: userCurrency }, '[PlaceOrder]');

  // An order that could be neither published nor kept must be refused before
  // the card is charged: accepted-then-lost is worse than a clear failure.
  const refused = deps.publisher?.refusal?.();
  if (refused) throw unavailable(refused);

  const orderId = (deps.newOrderId ?? randomUUID)();
  const prepared = await prepareOrder(deps, userId, userCurrency, address);
  span?.addEvent('prepared');

  const total = orderTotal(prepared.lines, prepared.shippingCost);
  const unreachable = await deps.flags.paymentUnreachable();
  const transactionId = await step('failed to charge card', () =>
    neighbours.charge({ amount: total, creditCard: request.creditCard }, { unreachable }),
  );
  span?.addEvent('charged', { [ATTR.paymentTransactionId]: transactionId });
  logger.info({ transaction_id: transactionId, [ATTR.orderId]: orderId }, 'payment went through');

  let trackingId: string;
  try {
    trackingId = await step('shipping error', () => neighbours.shipOrder(address, prepared.cartItems));
  } catch (error) {
    // The customer paid; whoever reconciles needs the transaction to refund or re-ship.
    logger.error(
      { err: error, [ATTR.orderId]: orderId, [ATTR.paymentTransactionId]: transactionId },
      `order ${orderId} charged but not shipped (transaction ${transactionId})`,
    );
    throw error;
  }
  span?.addEvent('shipped', { [ATTR.shippingTrackingId]: trackingId });

  await neighbours.emptyCart(userId).catch((error: unknown) =>
    // The order stands; a stale cart is the lesser harm, but it must be visible.
    logger.warn(
      { err: error, [ATTR.orderId]: orderId },
      `cart of ${userId} not emptied: ${(error as Error).message}`,
    ),
  );

  const order: OrderResult = {
    orderId,
    shippingTrackingId: trackingId,
    shippingCost: prepared.shippingCost,
    shippingAddress: address,
    items: prepared.lines,
  };
  const summary = {
    [ATTR.orderId]: orderId,
    [ATTR.shippingAmount]: toNumber(prepared.shippingCost),
    [ATTR.orderAmount]: toNumber(total),
    [ATTR.orderItemsCount]: prepared.lines.length,
    [ATTR.shippingTrackingId]: trackingId,
  };
  span?.setAttributes(summary);
  logger.info({ ...summary, total: `${formatAmount(total)} ${total.currencyCode}` }, 'order placed');

  await announceOrder(deps, request.email, order);
  return order;
}
