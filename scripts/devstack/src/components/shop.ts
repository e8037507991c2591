// The shop's backend services (gRPC/HTTP behind the frontend, and the two
// Kafka consumers): one row each, for every mode. See types.ts (Deployable).
import type { Deployable } from './types.ts';

/** Every service reports to the collector and most read flags. */
export const TELEMETRY = ['otel-collector'];
const WITH_FLAGS = [...TELEMETRY, 'flagd'];

/**
 * A Node service's usual memory. Peaks measured 2026-11-30: native, the PSS
 * in state.json sampled every 10 s for 23 min under the default load (105-145
 * MiB running the TypeScript sources, 65-90 MiB with scripts/bundle's
 * bundles; the rows below name the services that peaked higher); container,
 * `docker stats` in `make test-compose` (README: 90-110 MiB).
 */
export const NODE_MEMORY: Deployable['memory'] = {
  peak: { native: 145, container: 110 },
  native: 256,
  compose: 160,
  chart: 192,
  chartRequest: 112,
};

export const SHOP: Deployable[] = [
  {
    name: 'currency',
    dir: 'services/currency',
    port: { env: 'CURRENCY_PORT', default: 7001 },
    probe: { kind: 'grpc' },
    criticality: 'high',
    dependsOn: TELEMETRY,
    memory: { ...NODE_MEMORY, peak: { ...NODE_MEMORY.peak, native: 179 } },
  },
  {
    name: 'product-catalog',
    dir: 'services/product-catalog',
    port: { env: 'PRODUCT_CATALOG_PORT', default: 3550 },
    probe: { kind: 'grpc' },
    criticality: 'high',
    dependsOn: [...WITH_FLAGS, 'postgres'],
    memory: { ...NODE_MEMORY, native: 288, peak: { ...NODE_MEMORY.peak, native: 203 }, chartRequest: 128 },
  },
  {
    name: 'cart',
    dir: 'services/cart',
    port: { env: 'CART_PORT', default: 7070 },
    probe: { kind: 'grpc' },
    criticality: 'high',
    dependsOn: [...WITH_FLAGS, 'redis'],
    memory: { ...NODE_MEMORY, peak: { ...NODE_MEMORY.peak, native: 155 }, chartRequest: 128 },
  },
  {
    name: 'payment',
    dir: 'services/payment',
    port: { env: 'PAYMENT_PORT', default: 50051 },
    probe: { kind: 'grpc' },
    criticality: 'critical',
    dependsOn: WITH_FLAGS,
    memory: NODE_MEMORY,
  },
  {
    name: 'quote',
    dir: 'services/quote',
    port: { env: 'QUOTE_PORT', default: 8090 },
    probe: { kind: 'http', path: '/health' },
    criticality: 'low',
    dependsOn: TELEMETRY,
    memory: NODE_MEMORY,
  },
  {
    name: 'shipping',
    dir: 'services/shipping',
    port: { env: 'SHIPPING_PORT', default: 50050 },
    probe: { kind: 'http', path: '/health' },
    criticality: 'high',
    dependsOn: [...WITH_FLAGS, 'quote'],
    memory: NODE_MEMORY,
  },
  {
    name: 'email',
    dir: 'services/email',
    port: { env: 'EMAIL_PORT', default: 6060 },
    probe: { kind: 'http', path: '/health' },
    criticality: 'medium',
    dependsOn: WITH_FLAGS,
    // Room for the emailMemoryLeak scenario to show before the kill.
    memory: { ...NODE_MEMORY, compose: 192 },
  },
  {
    name: 'ad',
    dir: 'services/ad',
    port: { env: 'AD_PORT', default: 9555 },
    probe: { kind: 'grpc' },
    criticality: 'medium',
    dependsOn: WITH_FLAGS,
    // adHighCpu's busy loop allocates too.
    memory: { ...NODE_MEMORY, chart: 256, chartRequest: 144 },
  },
  {
    // The recommendationCacheFailure leak must end in a kill and a restart
    // (natively V8's heap limit, ~60 % of the limit, or our RSS limit; in
    // containers the kernel's OOM killer, V8's cap set above the limit).
    name: 'recommendation',
    dir: 'services/recommendation',
    port: { env: 'RECOMMENDATION_PORT', default: 9001 },
    probe: { kind: 'grpc' },
    criticality: 'medium',
    dependsOn: [...WITH_FLAGS, 'product-catalog'],
    memory: { ...NODE_MEMORY, compose: 384, chart: 256, chartRequest: 144 },
  },
  {
    name: 'checkout',
    dir: 'services/checkout',
    port: { env: 'CHECKOUT_PORT', default: 5050 },
    probe: { kind: 'grpc' },
    criticality: 'critical',
    dependsOn: [
      ...WITH_FLAGS,
      'cart',
      'product-catalog',
      'currency',
      'payment',
      'shipping',
      'email',
      'kafka',
    ],
    memory: { ...NODE_MEMORY, peak: { ...NODE_MEMORY.peak, native: 166 }, chartRequest: 128 },
  },
  {
    name: 'accounting',
    dir: 'services/accounting',
    probe: { kind: 'consumer' },
    criticality: 'low',
    dependsOn: [...TELEMETRY, 'kafka', 'postgres'],
    memory: { ...NODE_MEMORY, chartRequest: 128 },
    containerEnv: ['KAFKA_ADDR', 'DB_CONNECTION_STRING'],
  },
  {
    name: 'fraud-detection',
    dir: 'services/fraud-detection',
    probe: { kind: 'consumer' },
    criticality: 'low',
    dependsOn: [...WITH_FLAGS, 'kafka'],
    memory: { ...NODE_MEMORY, chartRequest: 128 },
    containerEnv: ['KAFKA_ADDR'],
  },
];
