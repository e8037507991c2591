import { z } from 'zod';

// Bodies as the original's clients send them (spec §1.3): snake_case, with
// the camelCase spellings accepted too. Checkout omits empty strings, so every
// address field may be missing.

type Aliases = Record<string, string>;

/** Copies each camelCase alias onto its snake_case key unless that is already set. */
function withAliases<S extends z.ZodType>(aliases: Aliases, schema: S) {
  return z.preprocess((value) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const copy: Record<string, unknown> = { ...value };
    for (const [camel, snake] of Object.entries(aliases)) {
      if (copy[snake] === undefined && copy[camel] !== undefined) copy[snake] = copy[camel];
    }
    return copy;
  }, schema);
}

const text = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .max(256, `${field} must be at most 256 characters`)
    .default('');

export const Address = withAliases(
  { streetAddress: 'street_address', zipCode: 'zip_code' },
  z.object({
    street_address: text('street_address'),
    city: text('city'),
    state: text('state'),
    country: text('country'),
    zip_code: text('zip_code'),
  }),
);

export const CartItem = withAliases(
  { productId: 'product_id' },
  z.object({
    product_id: z
      .string({ error: 'product_id is required (a string)' })
      .min(1, 'product_id must not be empty')
      .max(64, 'product_id must be at most 64 characters'),
    quantity: z
      .number({ error: 'quantity is required (a number)' })
      .int('quantity must be an integer')
      .min(0, 'quantity must not be negative')
      .max(1_000_000, 'quantity must be at most 1000000'),
  }),
);

export const MAX_LINES = 1000;

/** `GetQuoteRequest` and `ShipOrderRequest` share this shape. */
export const ShippingRequest = z.object({
  address: Address.optional(),
  items: z
    .array(CartItem, { error: 'items must be an array' })
    .max(MAX_LINES, `at most ${MAX_LINES} items`)
    .default([]),
});

export type ShippingRequest = z.output<typeof ShippingRequest>;

export function totalQuantity(request: ShippingRequest): number {
  return request.items.reduce((sum, item) => sum + item.quantity, 0);
}
