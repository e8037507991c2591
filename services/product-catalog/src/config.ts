import { listenHost, parseConfig, port } from '@astroshop/service-kit';
import { z } from 'zod';

const schema = z.object({
  PRODUCT_CATALOG_PORT: port(3550),
  LISTEN_HOST: listenHost,
  DB_CONNECTION_STRING: z
    .string()
    .min(1)
    .refine((v) => /^postgres(ql)?:\/\//.test(v), { message: 'expected postgres://user:pass@host:port/db' }),
  /** Upper bound for one query, so a stuck database turns into an error, not a hung RPC. */
  DB_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(4),
});

export type Config = z.infer<typeof schema>;
export const loadConfig = (env = process.env): Config => parseConfig(schema, env);
