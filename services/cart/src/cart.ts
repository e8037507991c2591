import type { Cart, CartItem } from '@astroshop/proto';
import { invalidArgument, requireProductId } from '@astroshop/service-kit';

export const MAX_USER_ID_LENGTH = 128;
export const MAX_LINE_QUANTITY = 1000;
/** Distinct products per cart; the catalog has 10, so this only stops abuse. */
export const MAX_CART_LINES = 100;

export const emptyCart = (): Cart => ({ userId: '', items: [] });

export function requireUserId(userId: string): string {
  if (!userId) throw invalidArgument('user_id is required');
  if (userId.length > MAX_USER_ID_LENGTH)
    throw invalidArgument(`user_id must be at most ${MAX_USER_ID_LENGTH} characters, got ${userId.length}`);
  return userId;
}

export function requireItem(item: CartItem | undefined): CartItem {
  if (!item) throw invalidArgument('item is required');
  const productId = requireProductId(item.productId, 'item.product_id');
  const { quantity } = item;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_LINE_QUANTITY)
    throw invalidArgument(`item.quantity must be 1..${MAX_LINE_QUANTITY}, got ${quantity}`);
  return { productId, quantity };
}

/** Sum of quantities, which is what demo.cart.items.count counts. */
export const itemsCount = (cart: Cart): number => cart.items.reduce((sum, item) => sum + item.quantity, 0);

/**
 * The cart after adding `item`: the quantity joins an existing line of the
 * same product, otherwise a new line is appended. Limits are checked on the
 * result so repeated adds cannot grow a line or the cart without bound.
 */
export function mergeItem(cart: Cart | undefined, userId: string, item: CartItem): Cart {
  const items = (cart?.items ?? []).map((line) => ({ ...line }));
  const line = items.find((existing) => existing.productId === item.productId);
  if (line) {
    const total = line.quantity + item.quantity;
    if (total > MAX_LINE_QUANTITY)
      throw invalidArgument(
        `quantity of ${item.productId} would become ${total}; at most ${MAX_LINE_QUANTITY} per product`,
      );
    line.quantity = total;
  } else {
    if (items.length >= MAX_CART_LINES)
      throw invalidArgument(`cart already holds ${MAX_CART_LINES} different products`);
    items.push({ ...item });
  }
  return { userId: cart?.userId || userId, items };
}
