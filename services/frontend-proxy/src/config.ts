import { listenHost, parseConfig, port } from '@astroshop/service-kit';
import { z } from 'zod';
import type { Clusters } from './routes.ts';

const host = (fallback: string) => z.string().min(1).default(fallback);

/** `host:port` (FRONTEND_ADDR style, tolerating an http:// prefix). */
const hostPort = z
  .string()
  .min(1)
  .transform((v) => v.replace(/^https?:\/\//, '').replace(/\/+$/, ''))
  .refine((v) => /^[^:/\s]+:\d+$/.test(v), { message: 'expected host:port' });

// Env names follow the original's .env (ENVOY_PORT for the listener, one
// HOST/PORT pair per upstream), so the same .env drives both.
const schema = z.object({
  ENVOY_ADDR: listenHost,
  ENVOY_PORT: port(8080),
  FRONTEND_ADDR: hostPort.default('frontend:8080'),
  OTEL_COLLECTOR_HOST: host('otel-collector'),
  OTEL_COLLECTOR_PORT_HTTP: port(4318),
  JAEGER_HOST: host('jaeger'),
  JAEGER_UI_PORT: port(16686),
  GRAFANA_HOST: host('grafana'),
  GRAFANA_PORT: port(3000),
  IMAGE_PROVIDER_HOST: host('image-provider'),
  IMAGE_PROVIDER_PORT: port(8081),
  FLAGD_HOST: host('flagd'),
  FLAGD_PORT: port(8013),
  FLAGD_UI_HOST: host('flagd-ui'),
  FLAGD_UI_PORT: port(4000),
  LOADGEN_HOST: host('load-generator'),
  LOADGEN_PORT: port(8089),
  /** Upper bound on an imageSlowLoad-style delay, so a header cannot park a request forever. */
  FAULT_MAX_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /** Envoy's max_active_faults. */
  FAULT_MAX_ACTIVE: z.coerce.number().int().min(0).default(100),
});

export type Config = z.infer<typeof schema>;
export const loadConfig = (env = process.env): Config => parseConfig(schema, env);

export function clustersOf(config: Config): Clusters {
  const [frontendHost = 'frontend', frontendPort = '8080'] = config.FRONTEND_ADDR.split(':');
  return {
    'otel-collector': { host: config.OTEL_COLLECTOR_HOST, port: config.OTEL_COLLECTOR_PORT_HTTP },
    jaeger: { host: config.JAEGER_HOST, port: config.JAEGER_UI_PORT },
    grafana: { host: config.GRAFANA_HOST, port: config.GRAFANA_PORT },
    'image-provider': { host: config.IMAGE_PROVIDER_HOST, port: config.IMAGE_PROVIDER_PORT },
    flagd: { host: config.FLAGD_HOST, port: config.FLAGD_PORT },
    'flagd-ui': { host: config.FLAGD_UI_HOST, port: config.FLAGD_UI_PORT },
    'load-generator': { host: config.LOADGEN_HOST, port: config.LOADGEN_PORT },
    frontend: { host: frontendHost, port: Number(frontendPort) },
  };
}
