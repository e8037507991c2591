// What users and the browser reach: the proxy, the storefront, images, the
// flag UI and the load generator. One row each, for every mode (types.ts).
import { NODE_MEMORY, TELEMETRY } from './shop.ts';
import type { Deployable } from './types.ts';

export const EDGE: Deployable[] = [
  {
    name: 'image-provider',
    dir: 'services/image-provider',
    port: { env: 'IMAGE_PROVIDER_PORT', default: 8081 },
    probe: { kind: 'http', path: '/health' },
    criticality: 'low',
    dependsOn: TELEMETRY,
    memory: NODE_MEMORY,
  },
  {
    name: 'flagd-ui',
    dir: 'services/flagd-ui',
    port: { env: 'FLAGD_UI_PORT', default: 4000 },
    probe: { kind: 'http', path: '/health' },
    criticality: 'low',
    dependsOn: [...TELEMETRY, 'flagd'],
    // In the chart a sidecar of flagd's pod (it shares the flag file).
    memory: { ...NODE_MEMORY, chart: 160, chartRequest: 64 },
    containerEnv: ['FLAGD_FILE'],
  },
  {
    // Natively on FRONTEND_PORT 8082 (.env.native): the proxy owns 8080.
    name: 'frontend',
    dir: 'services/frontend',
    port: { env: 'FRONTEND_PORT', default: 8080 },
    probe: { kind: 'http', path: '/health' },
    criticality: 'critical',
    // flagd: the storefront's flag reads (and compose waits for it too).
    dependsOn: [
      ...TELEMETRY,
      'flagd',
      'ad',
      'cart',
      'checkout',
      'currency',
      'product-catalog',
      'recommendation',
      'shipping',
    ],
    memory: {
      peak: { native: 313, container: 130 },
      native: 512,
      compose: 192,
      chart: 384,
      chartRequest: 224,
    },
    containerEnv: ['PUBLIC_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'],
    nativeEnv: (port) => ({ PORT: String(port) }),
  },
  {
    name: 'frontend-proxy',
    dir: 'services/frontend-proxy',
    port: { env: 'ENVOY_PORT', default: 8080 },
    probe: { kind: 'http', path: '/health' },
    criticality: 'critical',
    dependsOn: [...TELEMETRY, 'frontend', 'image-provider', 'flagd', 'flagd-ui', 'jaeger'],
    memory: { ...NODE_MEMORY, chartRequest: 128 },
    url: (port) => `http://localhost:${port}`,
  },
  {
    name: 'load-generator',
    dir: 'loadgen',
    port: { env: 'LOADGEN_PORT', default: 8089 },
    probe: { kind: 'http', path: '/health' },
    criticality: 'low',
    dependsOn: [...TELEMETRY, 'frontend-proxy', 'flagd'],
    memory: { ...NODE_MEMORY, native: 512, chart: 256, chartRequest: 160 },
    // The image's entry is loadgen/ (not services/...), and its target is
    // another host, which it refuses unless allowed: without these two it
    // crash-loops in a container although its config parses.
    containerEnv: ['SERVICE_DIR', 'LOADGEN_ALLOW_REMOTE', 'LOADGEN_TARGET_URL'],
  },
];
