import type { Money } from '@astroshop/money';
import type { Address, CartItem, ChargeRequest, OrderResult, Product } from '@astroshop/proto';

/** Everything PlaceOrder needs from other services; faked in unit tests. */
export interface Neighbours {
  getCart(userId: string): Promise<CartItem[]>;
  emptyCart(userId: string): Promise<void>;
  getProduct(productId: string): Promise<Product>;
  convert(from: Money, toCode: string): Promise<Money>;
  /** Returns the transaction id; `unreachable` dials a dead address (paymentUnreachable flag). */
  charge(request: ChargeRequest, options: { unreachable: boolean }): Promise<string>;
  quoteShipping(address: Address, items: CartItem[]): Promise<Money>;
  /** Returns the tracking id. */
  shipOrder(address: Address, items: CartItem[]): Promise<string>;
  sendConfirmation(email: string, order: OrderResult): Promise<void>;
}

/** Where placed orders go for post-processing (Kafka `orders`). */
export interface OrderPublisher {
  /**
   * Resolves when the broker took it (`published`) or, with an outbox, when it
   * is held until the broker is back (`queued`); rejects (within a bound) otherwise.
   */
  publish(order: OrderResult): Promise<'published' | 'queued'>;
  /** kafkaQueueProblems: `copies` duplicates of the same order. */
  publishCopies(order: OrderResult, copies: number): Promise<void>;
  /** Why a new order could not be kept now (outbox full), checked before charging; undefined = fine. */
  refusal?(): string | undefined;
}

export interface CheckoutFlags {
  paymentUnreachable(): Promise<boolean>;
  kafkaQueueProblems(): Promise<number>;
}
