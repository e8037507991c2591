// Where the suite sends its inputs: every process that takes requests, by its
// devstack component name (the name in .run/state.json and `make status`),
// with its port from .env/.env.native (the stack's own single source).
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadNativeEnv } from '../../scripts/devstack/src/env.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const RUN_DIR = process.env.ASTROSHOP_RUN_DIR ?? join(REPO_ROOT, '.run');
export const HOST = process.env.ROBUSTNESS_HOST ?? '127.0.0.1';

export type Protocol = 'grpc' | 'http';

export interface Target {
  /** devstack component name. */
  component: string;
  protocol: Protocol;
  port: number;
  /** HTTP path that must answer while the process runs (the liveness probe; /health before it existed). */
  livePaths?: string[];
}

const env = loadNativeEnv(REPO_ROOT, RUN_DIR);

function port(name: string, fallback: number): number {
  const value = Number(env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

// /livez is the probe contract (liveness: the process answers); /health is
// tried when an older build has no /livez yet. Any HTTP
// answer proves the process is up, so a 404 on /livez is fine for this check.
const LIVE = ['/livez', '/health'];

export const TARGETS = {
  'frontend-proxy': {
    component: 'frontend-proxy',
    protocol: 'http',
    port: port('ENVOY_PORT', 8080),
    livePaths: LIVE,
  },
  frontend: { component: 'frontend', protocol: 'http', port: port('FRONTEND_PORT', 8082), livePaths: LIVE },
  'image-provider': {
    component: 'image-provider',
    protocol: 'http',
    port: port('IMAGE_PROVIDER_PORT', 8081),
    livePaths: ['/livez', '/status'],
  },
  'flagd-ui': { component: 'flagd-ui', protocol: 'http', port: port('FLAGD_UI_PORT', 4000), livePaths: LIVE },
  'load-generator': {
    component: 'load-generator',
    protocol: 'http',
    port: port('LOADGEN_PORT', 8089),
    livePaths: LIVE,
  },
  quote: { component: 'quote', protocol: 'http', port: port('QUOTE_PORT', 8090), livePaths: LIVE },
  shipping: { component: 'shipping', protocol: 'http', port: port('SHIPPING_PORT', 50050), livePaths: LIVE },
  email: { component: 'email', protocol: 'http', port: port('EMAIL_PORT', 6060), livePaths: LIVE },
  ad: { component: 'ad', protocol: 'grpc', port: port('AD_PORT', 9555) },
  cart: { component: 'cart', protocol: 'grpc', port: port('CART_PORT', 7070) },
  checkout: { component: 'checkout', protocol: 'grpc', port: port('CHECKOUT_PORT', 5050) },
  currency: { component: 'currency', protocol: 'grpc', port: port('CURRENCY_PORT', 7001) },
  payment: { component: 'payment', protocol: 'grpc', port: port('PAYMENT_PORT', 50051) },
  'product-catalog': {
    component: 'product-catalog',
    protocol: 'grpc',
    port: port('PRODUCT_CATALOG_PORT', 3550),
  },
  recommendation: { component: 'recommendation', protocol: 'grpc', port: port('RECOMMENDATION_PORT', 9001) },
} satisfies Record<string, Target>;

export type TargetName = keyof typeof TARGETS;

export function target(name: TargetName): Target {
  return TARGETS[name];
}
