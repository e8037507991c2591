import { fileURLToPath } from 'node:url';
import { adminEnv, listenHost, parseConfig, port } from '@astroshop/service-kit';
import { z } from 'zod';

const repoFlags = fileURLToPath(new URL('../../../flagd/demo.flagd.json', import.meta.url));

const schema = adminEnv.extend({
  FLAGD_UI_PORT: port(4000),
  LISTEN_HOST: listenHost,
  /** The file flagd watches (relative paths are resolved against the working directory). */
  FLAGD_FILE: z.string().min(1).default(repoFlags),
});

export type Config = z.infer<typeof schema>;
export const loadConfig = (env = process.env): Config => parseConfig(schema, env);
