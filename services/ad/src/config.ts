import { listenHost, parseConfig, port } from '@astroshop/service-kit';
import { z } from 'zod';

const schema = z.object({
  AD_PORT: port(9555),
  LISTEN_HOST: listenHost,
  // Spinning threads started by adHighCpu. Two saturate the demo machine's cores
  // without starving everything else for long; the original used four JVM threads.
  AD_HIGH_CPU_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
});

export type Config = z.infer<typeof schema>;
export const loadConfig = (env = process.env): Config => parseConfig(schema, env);
