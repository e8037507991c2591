import { metrics } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { BatchLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { registerProcessMetrics } from './process-metrics.ts';
import { RenewingExporter } from './renewing-exporter.ts';
import { buildResource } from './resource.ts';

/** Paths that are probed constantly and would drown real traffic in traces. */
const UNTRACED_PATHS = new Set(['/health', '/healthz', '/readyz', '/status', '/favicon.ico', '/api/stats']);

/**
 * Only the instrumentations the shop's libraries need: loading the whole
 * auto-instrumentations-node bundle costs ~25 MiB RSS per process and patches
 * modules we never use (fs, dns, net are noise in a demo trace).
 */
export function shopInstrumentations(): Instrumentation[] {
  return [
    new GrpcInstrumentation({ ignoreGrpcMethods: ['Check', 'Watch'] }),
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0] ?? ''),
    }),
    new UndiciInstrumentation(),
    // Pool connect spans add a span per query with no diagnostic value here.
    new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
    new KafkaJsInstrumentation(),
    new PinoInstrumentation(),
    new RuntimeNodeInstrumentation({ monitoringPrecision: 5000 }),
  ];
}

function exportIntervalMs(env: NodeJS.ProcessEnv): number {
  // The spec default is 60 s; the demo wants a leak visible within a minute,
  // so we export every 10 s unless told otherwise.
  const raw = Number(env.OTEL_METRIC_EXPORT_INTERVAL);
  return Number.isFinite(raw) && raw > 0 ? raw : 10_000;
}

export function createSdk(env: NodeJS.ProcessEnv = process.env): NodeSDK {
  // Exporters read OTEL_EXPORTER_OTLP_ENDPOINT themselves (default localhost:4317).
  // Timeouts are short so an absent collector never holds memory for long.
  const timeoutMillis = 5000;
  const interval = exportIntervalMs(env);
  return new NodeSDK({
    resource: buildResource(env),
    autoDetectResources: false,
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    spanProcessors: [
      new BatchSpanProcessor({
        // Renewed after a failure so a collector back from an outage gets spans within seconds.
        exporter: new RenewingExporter(
          (n) => new OTLPTraceExporter({ timeoutMillis, userAgent: n ? `renewed-${n}` : undefined }),
        ),
        maxQueueSize: 4096,
        scheduledDelayMillis: 1000,
      }),
    ],
    metricReaders: [
      new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ timeoutMillis }),
        exportIntervalMillis: interval,
        exportTimeoutMillis: Math.min(timeoutMillis, interval),
      }),
    ],
    logRecordProcessors: [
      new BatchLogRecordProcessor({
        exporter: new RenewingExporter(
          (n) => new OTLPLogExporter({ timeoutMillis, userAgent: n ? `renewed-${n}` : undefined }),
        ),
      }),
    ],
    instrumentations: [shopInstrumentations()],
  });
}

export function startSdk(sdk: NodeSDK): void {
  sdk.start();
  if (metrics.getMeterProvider()) registerProcessMetrics();
}
