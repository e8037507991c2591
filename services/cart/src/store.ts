import type { Cart } from '@astroshop/proto';

/** Where carts live; every method may reject when the storage is unreachable. */
export interface CartStore {
  /** The stored cart, or undefined when the user has none (or it expired). */
  get(userId: string): Promise<Cart | undefined>;
  /** Replaces the user's cart and restarts its expiry. */
  save(userId: string, cart: Cart): Promise<void>;
  /** Resolves true when the storage answers. */
  ping(): Promise<boolean>;
}
