import { httpAddress, listenHost, parseConfig, port } from '@astroshop/service-kit';
import { z } from 'zod';

const schema = z.object({
  SHIPPING_PORT: port(50050),
  QUOTE_ADDR: httpAddress.default('http://quote:8090'),
  QUOTE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
  LISTEN_HOST: listenHost,
});

export type Config = z.infer<typeof schema>;
export const loadConfig = (env = process.env): Config => parseConfig(schema, env);
