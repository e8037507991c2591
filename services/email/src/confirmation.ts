import { readFileSync } from 'node:fs';
import { formatAmount, type Money, moneyProblem } from '@astroshop/money';
import type { Address, OrderResult } from '@astroshop/proto';
import { invalidArgument } from '@astroshop/service-kit';
import Handlebars from 'handlebars';

export interface ConfirmationView {
  orderId: string;
  trackingId: string;
  shippingCost: string;
  addressLines: string[];
  items: { productId: string; quantity: number; cost: string }[];
}

const template = Handlebars.create().compile<ConfirmationView>(
  readFileSync(new URL('./confirmation.hbs', import.meta.url), 'utf8'),
  { strict: true },
);

/** "101.96 USD": exact, always two decimals. */
function money(amount: Money | undefined, field: string, fallbackCurrency: string): string {
  const value = amount ?? { currencyCode: fallbackCurrency, units: 0, nanos: 0 };
  const problem = moneyProblem(value);
  if (problem) throw invalidArgument(`${field}: ${problem}`);
  return `${formatAmount(value)} ${value.currencyCode}`;
}

function addressLines(address: Address | undefined): string[] {
  if (!address) return [];
  const cityLine = [address.city, [address.state, address.zipCode].filter(Boolean).join(' ')]
    .filter(Boolean)
    .join(', ');
  return [address.streetAddress, cityLine, address.country].filter((line) => line.length > 0);
}

/** The view of an order, validated: money must be well-formed, quantities non-negative integers. */
export function confirmationView(order: OrderResult): ConfirmationView {
  const currency = order.items[0]?.cost?.currencyCode || order.shippingCost?.currencyCode || 'USD';
  return {
    orderId: order.orderId,
    trackingId: order.shippingTrackingId,
    shippingCost: money(order.shippingCost, 'order.shipping_cost', currency),
    addressLines: addressLines(order.shippingAddress),
    items: order.items.map((line, index) => {
      const quantity = line.item?.quantity ?? 0;
      if (!Number.isInteger(quantity) || quantity < 0)
        throw invalidArgument(`order.items.${index}.item.quantity must be a non-negative integer`);
      return {
        productId: line.item?.productId ?? '',
        quantity,
        cost: money(line.cost, `order.items.${index}.cost`, currency),
      };
    }),
  };
}

/** The HTML body of the confirmation mail (values HTML-escaped by Handlebars). */
export function renderConfirmation(order: OrderResult): string {
  return template(confirmationView(order));
}
