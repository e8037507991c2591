import { grpcAddress, listenHost, parseConfig, port } from '@astroshop/service-kit';
import { z } from 'zod';

const schema = z.object({
  CART_PORT: port(7070),
  LISTEN_HOST: listenHost,
  /** host:port of Valkey/Redis; required, as in the original (no cart without storage). */
  VALKEY_ADDR: grpcAddress,
  /** Bound on one Redis command, so a stuck or absent Redis fails the RPC instead of hanging it. */
  VALKEY_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(50).default(1000),
});

export type Config = z.infer<typeof schema>;
export const loadConfig = (env = process.env): Config => parseConfig(schema, env);
