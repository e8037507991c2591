import { type Counter, type Histogram, metrics } from '@opentelemetry/api';

/**
 * The load generator's own metrics, exported over OTLP by the telemetry
 * preload. In Prometheus they appear as `loadgen_requests_total`,
 * `loadgen_request_duration_seconds_*` and `loadgen_users`, which is what the
 * scenario verifier uses to see the loadGenerator* flags take effect.
 */
export const LOADGEN_METRIC = {
  requests: 'loadgen.requests',
  duration: 'loadgen.request.duration',
  users: 'loadgen.users',
} as const;

export class LoadgenMetrics {
  private readonly requests: Counter;
  private readonly duration: Histogram;

  constructor(users: () => number) {
    const meter = metrics.getMeter('load-generator');
    this.requests = meter.createCounter(LOADGEN_METRIC.requests, {
      unit: '{request}',
      description: 'Requests the load generator sent to the shop, by route and outcome.',
    });
    this.duration = meter.createHistogram(LOADGEN_METRIC.duration, {
      unit: 's',
      description: 'Response time seen by the load generator, body included.',
      advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30] },
    });
    meter
      .createObservableGauge(LOADGEN_METRIC.users, { unit: '{user}', description: 'Running virtual users.' })
      .addCallback((result) => result.observe(users()));
  }

  /** `errorType` set (status code or 'network') means the request failed. */
  request(method: string, route: string, ms: number, errorType?: number | string): void {
    const attrs: Record<string, string> = {
      'http.request.method': method,
      'http.route': route,
      outcome: errorType === undefined ? 'success' : 'failure',
    };
    if (errorType !== undefined) attrs['error.type'] = String(errorType);
    this.requests.add(1, attrs);
    this.duration.record(ms / 1000, attrs);
  }
}
