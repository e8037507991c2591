import { metrics } from '@opentelemetry/api';
import type { InstrumentationBase } from '@opentelemetry/instrumentation';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { shopInstrumentations } from './instrumentations.ts';
import { registerProcessMetrics } from './process-metrics.ts';
import { applyShopDefaults, logRecordProcessorsFromEnv, spanProcessorsFromEnv } from './processors.ts';
import { SHOP_DETECTORS, shopResource } from './resource.ts';

export { shopInstrumentations } from './instrumentations.ts';

/**
 * The SDK as the standard OTEL_* environment describes it, with the shop's
 * defaults where nothing is set. sdk-node itself reads OTEL_SDK_DISABLED,
 * OTEL_PROPAGATORS (default tracecontext,baggage), OTEL_METRICS_EXPORTER with
 * OTEL_METRIC_EXPORT_INTERVAL/TIMEOUT, OTEL_LOGS_EXPORTER (unless it is the
 * default OTLP/gRPC, which renews its exporter here), OTEL_NODE_RESOURCE_DETECTORS,
 * samplers and limits; the exporters read their endpoints and headers.
 * `instrumentations` are the preload's when it built them first (register.ts).
 */
export function createSdk(
  env: NodeJS.ProcessEnv = process.env,
  instrumentations: InstrumentationBase[] = shopInstrumentations(env),
): NodeSDK {
  applyShopDefaults(env);
  return new NodeSDK({
    resource: shopResource(env),
    resourceDetectors: env.OTEL_NODE_RESOURCE_DETECTORS?.trim() ? undefined : SHOP_DETECTORS,
    spanProcessors: spanProcessorsFromEnv(env),
    logRecordProcessors: logRecordProcessorsFromEnv(env),
    instrumentations: [instrumentations],
  });
}

export function startSdk(sdk: NodeSDK): void {
  sdk.start();
  if (metrics.getMeterProvider()) registerProcessMetrics();
}
