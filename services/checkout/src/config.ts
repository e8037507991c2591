import {
  grpcAddress,
  httpAddress,
  listenHost,
  type NeighbourConfig,
  parseConfig,
  port,
} from '@astroshop/service-kit';
import { z } from 'zod';

const schema = z.object({
  CHECKOUT_PORT: port(5050),
  LISTEN_HOST: listenHost,
  CART_ADDR: grpcAddress,
  CURRENCY_ADDR: grpcAddress,
  PAYMENT_ADDR: grpcAddress,
  PRODUCT_CATALOG_ADDR: grpcAddress,
  SHIPPING_ADDR: httpAddress,
  EMAIL_ADDR: httpAddress,
  // Kafka is optional, as in the original: without it orders are not published.
  KAFKA_ADDR: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined)),
  KAFKA_TOPIC: z.string().min(1).default('orders'),
  // Orders held in memory while Kafka is away (about 1 KiB each); beyond it
  // PlaceOrder fails with UNAVAILABLE naming kafka instead of losing orders.
  CHECKOUT_OUTBOX_CAPACITY: z.coerce.number().int().min(1).max(100_000).default(1000),
});

export type Config = z.infer<typeof schema>;
export const loadConfig = (env = process.env): Config => parseConfig(schema, env);

/**
 * One line per neighbour. Each answers in milliseconds when healthy, so the
 * deadlines only bound how long a dead or stuck one can hold an order;
 * ship-order may sleep up to 10 s by design (intlShippingSlowdown).
 */
export function neighbourConfigs(config: Config) {
  return {
    cart: { name: 'cart', address: config.CART_ADDR, timeoutMs: 2000 },
    currency: { name: 'currency', address: config.CURRENCY_ADDR, timeoutMs: 2000 },
    payment: { name: 'payment', address: config.PAYMENT_ADDR, timeoutMs: 3000 },
    productCatalog: { name: 'product-catalog', address: config.PRODUCT_CATALOG_ADDR, timeoutMs: 2000 },
    shipping: { name: 'shipping', address: config.SHIPPING_ADDR, timeoutMs: 15_000 },
    email: { name: 'email', address: config.EMAIL_ADDR, timeoutMs: 3000 },
  } satisfies Record<string, NeighbourConfig>;
}
