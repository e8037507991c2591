import { grpcAddress, listenHost, parseConfig, port } from '@astroshop/service-kit';
import { z } from 'zod';

const schema = z.object({
  RECOMMENDATION_PORT: port(9001),
  LISTEN_HOST: listenHost,
  PRODUCT_CATALOG_ADDR: grpcAddress.default('127.0.0.1:3550'),
  PRODUCT_CATALOG_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2000),
  // Upper bound on cache entries added per miss while recommendationCacheFailure is on:
  // it turns the original's exponential growth into a leak that is visible within a
  // minute yet takes minutes (not seconds) to exhaust the heap.
  RECOMMENDATION_CACHE_MAX_GROWTH: z.coerce.number().int().min(1).max(1_000_000).default(1500),
});

export type Config = z.infer<typeof schema>;
export const loadConfig = (env = process.env): Config => parseConfig(schema, env);
