import { parseConfig } from '@astroshop/service-kit';
import { z } from 'zod';

const schema = z.object({
  KAFKA_ADDR: z.string().min(1, 'KAFKA_ADDR is required (host:port of the Kafka broker)'),
  KAFKA_TOPIC: z.string().min(1).default('orders'),
  // As in the original, orders are only logged when no database is configured.
  DB_CONNECTION_STRING: z.string().min(1).optional(),
});

export type Config = z.infer<typeof schema>;
export const loadConfig = (env = process.env): Config => parseConfig(schema, env);
