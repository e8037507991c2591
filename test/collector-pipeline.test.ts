// The collector's pipelines end to end, with OTLP/HTTP JSON sent straight to
// the collector (no SDK involved): a span reaches Jaeger with its sensitive
// attributes redacted, span metrics and a pushed metric reach Prometheus with
// resource attributes as labels, and a log record lands in the logs file.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { eventually, getTrace, promQuery } from './lib/backends.ts';

const OTLP_HTTP = process.env.OTLP_HTTP_URL ?? 'http://127.0.0.1:4318';
const RUN_DIR = process.env.ASTROSHOP_RUN_DIR ?? join(import.meta.dirname, '..', '.run');
const LOGS_FILE = process.env.OTEL_LOGS_FILE ?? join(RUN_DIR, 'logs', 'otel-logs.jsonl');

const service = `pipeline-probe-${process.pid}`;
const resource = {
  attributes: [
    { key: 'service.name', value: { stringValue: service } },
    { key: 'service.namespace', value: { stringValue: 'opentelemetry-demo' } },
    { key: 'service.version', value: { stringValue: '0.1.0' } },
    { key: 'service.instance.id', value: { stringValue: `probe-${process.pid}` } },
  ],
};
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const nowNs = () => BigInt(Date.now()) * 1_000_000n;

async function post(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${OTLP_HTTP}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `${path}: ${res.status} ${await res.text()}`);
}

describe('collector pipelines', () => {
  const traceId = randomBytes(16).toString('hex');

  test('a span reaches Jaeger, with card data and e-mail redacted', { timeout: 60_000 }, async () => {
    const end = nowNs();
    await post('/v1/traces', {
      resourceSpans: [
        {
          resource,
          scopeSpans: [
            {
              scope: { name: 'stack-tests' },
              spans: [
                {
                  traceId,
                  spanId: randomBytes(8).toString('hex'),
                  name: 'oteldemo.PaymentService/Charge',
                  kind: 2,
                  startTimeUnixNano: String(end - 25_000_000n),
                  endTimeUnixNano: String(end),
                  attributes: [
                    str('rpc.system', 'grpc'),
                    str('rpc.service', 'oteldemo.PaymentService'),
                    str('rpc.method', 'Charge'),
                    // Typed with spaces around and between: the collector's second line still masks it.
                    str('demo.payment.card_number', ' 4432 8015 6152 0454 '),
                    str('demo.payment.card_cvv', '672'),
                    str('user.email', 'someone@example.com'),
                  ],
                  status: { code: 1 },
                },
              ],
            },
          ],
        },
      ],
    });
    const spans = await eventually(
      'the probe span in Jaeger',
      async () => {
        const found = await getTrace(traceId);
        return found.length > 0 ? found : undefined;
      },
      45_000,
      1500,
    );
    const span = spans[0];
    assert.ok(span);
    assert.equal(span.service, service);
    assert.equal(span.attributes['demo.payment.card_number'], '****-****-****-0454');
    assert.equal(span.attributes['demo.payment.card_cvv'], undefined);
    assert.equal(span.attributes['user.email'], undefined);
    assert.match(String(span.attributes['user.hash']), /^[0-9a-f]{64}$/);
  });

  test('span metrics reach Prometheus as traces_span_metrics_*', { timeout: 90_000 }, async () => {
    const calls = await eventually(
      'traces_span_metrics_calls_total for the probe service',
      async () => {
        const s = await promQuery(`traces_span_metrics_calls_total{service_name="${service}"}`);
        return s.length > 0 ? s : undefined;
      },
      75_000,
      3000,
    );
    assert.equal(calls[0]?.metric.span_name, 'oteldemo.PaymentService/Charge');
    assert.equal(calls[0]?.metric.rpc_method, 'Charge');
    const buckets = await promQuery(
      `traces_span_metrics_duration_milliseconds_bucket{service_name="${service}"}`,
    );
    assert.ok(buckets.length > 0, 'duration histogram buckets in milliseconds');
  });

  test('a pushed metric reaches Prometheus with resource attributes as labels', {
    timeout: 60_000,
  }, async () => {
    const t = nowNs();
    await post('/v1/metrics', {
      resourceMetrics: [
        {
          resource,
          scopeMetrics: [
            {
              scope: { name: 'stack-tests' },
              metrics: [
                {
                  name: 'probe.requests',
                  unit: '1',
                  sum: {
                    aggregationTemporality: 2,
                    isMonotonic: true,
                    dataPoints: [
                      {
                        asInt: '3',
                        startTimeUnixNano: String(t - 10_000_000_000n),
                        timeUnixNano: String(t),
                        attributes: [str('probe.kind', 'smoke')],
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    });
    const samples = await eventually(
      'probe_requests_total in Prometheus',
      async () => {
        const s = await promQuery(`probe_requests_total{service_name="${service}"}`);
        return s.length > 0 ? s : undefined;
      },
      45_000,
      2000,
    );
    const m = samples[0]?.metric ?? {};
    assert.equal(m.service_namespace, 'opentelemetry-demo');
    assert.equal(m.service_version, '0.1.0');
    assert.equal(m.service_instance_id, `probe-${process.pid}`);
    assert.equal(m.probe_kind, 'smoke');
    assert.equal(samples[0]?.value, 3);
  });

  test('a log record lands in the logs file (JSON lines)', { timeout: 30_000 }, async () => {
    const marker = `probe-log-${randomBytes(6).toString('hex')}`;
    await post('/v1/logs', {
      resourceLogs: [
        {
          resource,
          scopeLogs: [
            {
              scope: { name: 'stack-tests' },
              logRecords: [
                {
                  timeUnixNano: String(nowNs()),
                  severityNumber: 9,
                  severityText: 'INFO',
                  body: { stringValue: marker },
                  attributes: [str('user.email', 'someone@example.com')],
                },
              ],
            },
          ],
        },
      ],
    });
    const line = await eventually(
      `${marker} in ${LOGS_FILE}`,
      async () => {
        if (!existsSync(LOGS_FILE)) return undefined;
        return readFileSync(LOGS_FILE, 'utf8')
          .split('\n')
          .find((l) => l.includes(marker));
      },
      20_000,
      500,
    );
    const parsed = JSON.parse(line) as { resourceLogs: unknown[] };
    assert.ok(Array.isArray(parsed.resourceLogs));
    assert.ok(!line.includes('someone@example.com'), 'user.email is redacted from logs too');
  });
});
