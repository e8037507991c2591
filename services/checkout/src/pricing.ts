import { add, type Money, multiply, sum } from '@astroshop/money';
import type { CartItem, OrderItem } from '@astroshop/proto';

/** Number of units in the cart (the original's demo.cart.items.count). */
export const itemUnits = (items: readonly CartItem[]): number =>
  items.reduce((total, item) => total + item.quantity, 0);

/** Total = shipping + Σ unit cost × quantity, exactly, in the shipping currency. */
export function orderTotal(lines: readonly OrderItem[], shipping: Money): Money {
  const goods = sum(
    shipping.currencyCode,
    lines.map((line) => {
      if (!line.cost || !line.item) throw new Error('order line without cost or item');
      return multiply(line.cost, line.item.quantity);
    }),
  );
  return add(shipping, goods);
}
