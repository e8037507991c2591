import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { ShopGrpcInstrumentation } from './grpc-instrumentation.ts';

/** Paths that are probed constantly and would drown real traffic in traces. */
const UNTRACED_PATHS = new Set(['/health', '/healthz', '/readyz', '/status', '/favicon.ico', '/api/stats']);

/**
 * Only the instrumentations the shop's libraries need: loading the whole
 * auto-instrumentations-node bundle costs ~25 MiB RSS per process and patches
 * modules we never use (fs, dns, net are noise in a demo trace). Keyed by the
 * names auto-instrumentations-node uses in OTEL_NODE_ENABLED_INSTRUMENTATIONS
 * (the package name without `@opentelemetry/instrumentation-`); built lazily,
 * because constructing an instrumentation already patches its module.
 */
const SHOP_INSTRUMENTATIONS = {
  // Servers started by service-kit make their own server spans (grpc-server.ts).
  grpc: () => new ShopGrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch'] }),
  http: () =>
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0] ?? ''),
    }),
  undici: () => new UndiciInstrumentation(),
  // Pool connect spans add a span per query with no diagnostic value here
  // (connectInCallerContext keeps queued queries in their own trace without them).
  pg: () => new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
  ioredis: () => new IORedisInstrumentation({ requireParentSpan: true }),
  kafkajs: () => new KafkaJsInstrumentation(),
  pino: () => new PinoInstrumentation(),
  'runtime-node': () => new RuntimeNodeInstrumentation({ monitoringPrecision: 5000 }),
} satisfies Record<string, () => InstrumentationBase>;

export type InstrumentationName = keyof typeof SHOP_INSTRUMENTATIONS;
const KNOWN = Object.keys(SHOP_INSTRUMENTATIONS) as InstrumentationName[];

/** A comma-separated env list; undefined when the variable is unset or blank. */
export function envList(value: string | undefined): string[] | undefined {
  const items = (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
}

/**
 * The instrumentations to load, with auto-instrumentations-node's semantics:
 * OTEL_NODE_ENABLED_INSTRUMENTATIONS keeps only the listed ones,
 * OTEL_NODE_DISABLED_INSTRUMENTATIONS then removes its own. A name the shop
 * does not load is reported (a typo would otherwise silently do nothing).
 */
export function selectInstrumentations(
  env: NodeJS.ProcessEnv,
  warn: (message: string) => void = (message) => process.emitWarning(message, 'TelemetryConfigWarning'),
): InstrumentationName[] {
  const enabled = envList(env.OTEL_NODE_ENABLED_INSTRUMENTATIONS);
  const disabled = envList(env.OTEL_NODE_DISABLED_INSTRUMENTATIONS) ?? [];
  for (const name of [...(enabled ?? []), ...disabled]) {
    if (!(KNOWN as string[]).includes(name)) {
      warn(
        `unknown instrumentation "${name}" in OTEL_NODE_*_INSTRUMENTATIONS; the shop loads: ${KNOWN.join(', ')}`,
      );
    }
  }
  return KNOWN.filter(
    (name) => (enabled === undefined || enabled.includes(name)) && !disabled.includes(name),
  );
}

export function shopInstrumentations(env: NodeJS.ProcessEnv = process.env): InstrumentationBase[] {
  return selectInstrumentations(env).map((name) => SHOP_INSTRUMENTATIONS[name]());
}

/**
 * The modules these instrumentations patch (`http`, `pg`, `@grpc/grpc-js`, ...):
 * the only ones the ESM loader hook has to wrap (register.ts).
 */
export function patchedModules(instrumentations: InstrumentationBase[]): string[] {
  return [...new Set(instrumentations.flatMap((i) => i.getModuleDefinitions().map((m) => m.name)))];
}
