import { adminEnv, listenHost, parseConfig, port } from '@astroshop/service-kit';
import { z } from 'zod';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = adminEnv
  .extend({
    LOADGEN_PORT: port(8089),
    LISTEN_HOST: listenHost,
    LOADGEN_TARGET_URL: z.string().min(1).default('http://127.0.0.1:8080'),
    LOADGEN_ALLOW_REMOTE: bool(false),
    // Unset: the loadGeneratorVUs flag decides (5 when flagd is away).
    LOADGEN_USERS: z.coerce.number().int().min(0).max(500).optional(),
    LOADGEN_SPAWN_RATE: z.coerce.number().positive().max(100).default(1),
    LOADGEN_AUTOSTART: bool(true),
    LOADGEN_BROWSER_USERS: z.coerce.number().int().min(0).max(4).default(0),
    LOADGEN_CHROMIUM_PATH: z.string().min(1).default('/usr/bin/chromium'),
    LOADGEN_THINK_MIN_MS: z.coerce.number().int().min(0).default(1000),
    LOADGEN_THINK_MAX_MS: z.coerce.number().int().min(0).default(10_000),
    LOADGEN_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
    LOADGEN_FLAG_POLL_MS: z.coerce.number().int().min(500).default(10_000),
    FLAGD_HOST: z.string().min(1).default('127.0.0.1'),
    FLAGD_OFREP_PORT: port(8016),
  })
  .refine((c) => c.LOADGEN_THINK_MIN_MS <= c.LOADGEN_THINK_MAX_MS, {
    message: 'LOADGEN_THINK_MIN_MS must not exceed LOADGEN_THINK_MAX_MS',
    path: ['LOADGEN_THINK_MIN_MS'],
  });

export type Config = z.infer<typeof schema>;
export const loadConfig = (env = process.env): Config => parseConfig(schema, env);
