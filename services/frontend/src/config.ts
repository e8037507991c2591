import { grpcAddress, httpAddress, listenHost, parseConfig, port } from '@astroshop/service-kit';
import { z } from 'zod';

const flag = z
  .string()
  .optional()
  .transform((v) => v?.toLowerCase() === 'true' || v === '1');

const schema = z.object({
  // The runner sets both; FRONTEND_PORT wins (native 8082 behind the proxy on 8080).
  FRONTEND_PORT: port(8080).optional(),
  PORT: port(8080),
  LISTEN_HOST: listenHost,
  AD_ADDR: grpcAddress,
  CART_ADDR: grpcAddress,
  CHECKOUT_ADDR: grpcAddress,
  CURRENCY_ADDR: grpcAddress,
  PRODUCT_CATALOG_ADDR: grpcAddress,
  RECOMMENDATION_ADDR: grpcAddress,
  SHIPPING_ADDR: httpAddress,
  // What the browser is told (window.ENV); relative = same origin as the page.
  PUBLIC_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().min(1).default('/otlp-http/v1/traces'),
  WEB_OTEL_SERVICE_NAME: z.string().min(1).default('frontend-web'),
  ENV_PLATFORM: z.string().min(1).default('local'),
  // Only for the direct mode (page opened on the frontend's own port, no proxy):
  // /otlp-http/* and /images/* are forwarded to these, as the proxy would.
  OTEL_COLLECTOR_HOST: z.string().min(1).default('127.0.0.1'),
  OTEL_COLLECTOR_PORT_HTTP: port(4318),
  IMAGE_PROVIDER_HOST: z.string().min(1).default('127.0.0.1'),
  IMAGE_PROVIDER_PORT: port(8081),
  FRONTEND_DEV: flag,
  // How long a converted price is reused (server/conversions.ts); 0 converts on every request.
  CURRENCY_CACHE_TTL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
});

export type Config = z.infer<typeof schema> & { listenPort: number };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = parseConfig(schema, env);
  return { ...parsed, listenPort: parsed.FRONTEND_PORT ?? parsed.PORT };
}
