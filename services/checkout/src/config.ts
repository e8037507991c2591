import { grpcAddress, httpAddress, listenHost, parseConfig, port } from '@astroshop/service-kit';
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
