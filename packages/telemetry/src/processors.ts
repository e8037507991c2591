import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPTraceExporter as OTLPTraceExporterGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OTLPTraceExporterJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPTraceExporterProto } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchLogRecordProcessor, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { shopBaggageSpanProcessor } from './baggage.ts';
import { envList } from './instrumentations.ts';
import { RenewingExporter } from './renewing-exporter.ts';

/**
 * The shop's values for standard variables the user did not set. They go into
 * the environment itself because sdk-node reads it directly when it builds
 * the metric reader and (for non-default choices) the log exporters.
 * - OTLP over gRPC to :4317, as before (sdk-node's own default is http/protobuf).
 * - Metrics every 10 s (the spec says 60 s; the demo wants a leak visible within a minute).
 * - 5 s export timeouts, so an absent collector never holds memory for long.
 */
export const SHOP_OTEL_DEFAULTS = {
  OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
  OTEL_EXPORTER_OTLP_TIMEOUT: '5000',
  OTEL_METRIC_EXPORT_INTERVAL: '10000',
  OTEL_METRIC_EXPORT_TIMEOUT: '5000',
} as const;

export function applyShopDefaults(env: NodeJS.ProcessEnv): void {
  for (const [key, value] of Object.entries(SHOP_OTEL_DEFAULTS)) {
    if (!env[key]?.trim()) env[key] = value;
  }
}

type Signal = 'TRACES' | 'LOGS';

/** The OTLP protocol for one signal: the per-signal variable, then the general one. */
export function otlpProtocol(env: NodeJS.ProcessEnv, signal: Signal): string {
  return (
    env[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`]?.trim() ||
    env.OTEL_EXPORTER_OTLP_PROTOCOL?.trim() ||
    SHOP_OTEL_DEFAULTS.OTEL_EXPORTER_OTLP_PROTOCOL
  );
}

/** OTEL_<signal>_EXPORTER as a list: `otlp` when unset, empty for `none`. */
export function exporterNames(env: NodeJS.ProcessEnv, signal: Signal): string[] {
  const names = [...new Set(envList(env[`OTEL_${signal}_EXPORTER`]) ?? ['otlp'])];
  return names.includes('none') ? [] : names;
}

/** True for the shop's default shape (OTLP/gRPC only), where exporters renew after a failure. */
function renewingOtlp(env: NodeJS.ProcessEnv, signal: Signal): boolean {
  const names = exporterNames(env, signal);
  return names.length === 1 && names[0] === 'otlp' && otlpProtocol(env, signal) === 'grpc';
}

const userAgent = (generation: number) => (generation ? `renewed-${generation}` : undefined);
const numberFrom = (value: string | undefined) => (value?.trim() ? Number(value) : undefined);

function batch(exporter: SpanExporter, env: NodeJS.ProcessEnv): SpanProcessor {
  return new BatchSpanProcessor({
    exporter,
    maxQueueSize: numberFrom(env.OTEL_BSP_MAX_QUEUE_SIZE) ?? 4096,
    scheduledDelayMillis: numberFrom(env.OTEL_BSP_SCHEDULE_DELAY) ?? 1000,
    maxExportBatchSize: numberFrom(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE),
    exportTimeoutMillis: numberFrom(env.OTEL_BSP_EXPORT_TIMEOUT),
  });
}

function otlpTraceProcessor(env: NodeJS.ProcessEnv): SpanProcessor {
  const protocol = otlpProtocol(env, 'TRACES');
  switch (protocol) {
    case 'grpc':
      // Renewed after a failure so a collector back from an outage gets spans within seconds.
      return batch(new RenewingExporter((n) => new OTLPTraceExporterGrpc({ userAgent: userAgent(n) })), env);
    case 'http/protobuf':
      return batch(new OTLPTraceExporterProto(), env);
    case 'http/json':
      return batch(new OTLPTraceExporterJson(), env);
    default:
      throw new Error(
        `OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL=${protocol} is not one of grpc, http/protobuf, http/json`,
      );
  }
}

/**
 * The span processors for OTEL_TRACES_EXPORTER (otlp, console, none; OTLP by
 * its protocol variables, endpoints and headers read by the exporters), with
 * the contrib baggage processor in front. Built here rather than by sdk-node
 * because sdk-node 0.300 builds exporters from env only when it is given no
 * span processors at all, so the baggage processor could not sit beside them.
 * No exporter means no processors: nothing is recorded.
 */
export function spanProcessorsFromEnv(env: NodeJS.ProcessEnv): SpanProcessor[] {
  const exporters = exporterNames(env, 'TRACES').map((name): SpanProcessor => {
    if (name === 'otlp') return otlpTraceProcessor(env);
    if (name === 'console') return new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() });
    throw new Error(`OTEL_TRACES_EXPORTER=${name} is not one of otlp, console, none`);
  });
  if (exporters.length === 0) return [];
  return [shopBaggageSpanProcessor(), ...exporters];
}

/**
 * The renewing OTLP/gRPC log processor in the shop's default shape; for any
 * other OTEL_LOGS_EXPORTER / protocol, undefined, and sdk-node builds the
 * log exporters from the environment itself.
 */
export function logRecordProcessorsFromEnv(env: NodeJS.ProcessEnv): LogRecordProcessor[] | undefined {
  if (!renewingOtlp(env, 'LOGS')) return undefined;
  return [
    new BatchLogRecordProcessor({
      exporter: new RenewingExporter((n) => new OTLPLogExporter({ userAgent: userAgent(n) })),
    }),
  ];
}
