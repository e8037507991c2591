import { getHeapStatistics } from 'node:v8';
import { grpcAddress, listenHost, parseConfig, port } from '@astroshop/service-kit';
import { z } from 'zod';

const schema = z.object({
  RECOMMENDATION_PORT: port(9001),
  LISTEN_HOST: listenHost,
  PRODUCT_CATALOG_ADDR: grpcAddress.default('127.0.0.1:3550'),
  PRODUCT_CATALOG_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(2000),
  // Heap bytes every cache miss retains while recommendationCacheFailure is on.
  // Default: 1/16 of the V8 heap limit (~10 MB at 256 MiB). At the default load
  // generator's ~0.04 misses/s that is one visible step every ~25 s and an
  // out-of-memory kill within about five minutes, whatever limit the runner sets.
  RECOMMENDATION_CACHE_MISS_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(() => Math.floor(getHeapStatistics().heap_size_limit / 16)),
});

export type Config = z.infer<typeof schema>;
export const loadConfig = (env = process.env): Config => parseConfig(schema, env);
