import { fileURLToPath } from 'node:url';
import { listenHost, parseConfig, port } from '@astroshop/service-kit';
import { z } from 'zod';

const schema = z.object({
  IMAGE_PROVIDER_PORT: port(8081),
  LISTEN_HOST: listenHost,
  /** Web root; the committed, generated pictures by default. */
  IMAGE_ROOT: z
    .string()
    .min(1)
    .default(fileURLToPath(new URL('../static', import.meta.url))),
  /** Browser cache lifetime for pictures. */
  IMAGE_MAX_AGE_S: z.coerce.number().int().min(0).default(86_400),
});

export type Config = z.infer<typeof schema>;
export const loadConfig = (env = process.env): Config => parseConfig(schema, env);
