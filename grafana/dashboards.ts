// Source of the Grafana dashboards: compact definitions rendered to the JSON
// files Grafana provisions (grafana/provisioning/dashboards/demo/*.json).
//   node grafana/dashboards.ts          write the JSON files
//   node grafana/dashboards.ts --check  fail if a committed file is stale
// Every query uses the metric names our services and collector emit (see
// docs/observability.md); test/static/observability.test.ts parses them all.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PROMETHEUS_UID = 'webstore-metrics';
export const JAEGER_UID = 'webstore-traces';

interface Target {
  expr: string;
  legend?: string;
  exemplar?: boolean;
}

interface PanelSpec {
  title: string;
  targets: Target[];
  unit?: string;
  description?: string;
  type?: 'timeseries' | 'stat' | 'heatmap';
  width?: number;
}

interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

interface DashboardSpec {
  uid: string;
  title: string;
  file: string;
  description: string;
  tags: string[];
  variables?: { name: string; query: string; label: string }[];
  rows: RowSpec[];
}

// ---------------------------------------------------------------- queries
const SERVER = 'span_kind="SPAN_KIND_SERVER"';
const svc = (name: string) => `service_name="${name}"`;
const span = (service: string, name: string) => `${svc(service)}, span_name="${name}"`;
const rate = (selector: string) => `sum by (service_name) (rate(traces_span_metrics_calls_total{${selector}}[$__rate_interval]))`;
const errorRatio = (selector: string, by = 'service_name') =>
  `sum by (${by}) (rate(traces_span_metrics_calls_total{${selector}, status_code="STATUS_CODE_ERROR"}[$__rate_interval]))` +
  ` / sum by (${by}) (rate(traces_span_metrics_calls_total{${selector}}[$__rate_interval]))`;
const quantile = (q: number, selector: string, by = 'service_name') =>
  `histogram_quantile(${q}, sum by (le, ${by}) (rate(traces_span_metrics_duration_milliseconds_bucket{${selector}}[$__rate_interval])))`;
const memory = (selector: string) => `max by (service_name) (process_memory_usage_bytes{${selector}})`;
const heap = (selector: string) => `max by (service_name) (v8js_memory_heap_used_bytes{${selector}})`;
const cpu = (selector: string) => `sum by (service_name) (rate(process_cpu_time_seconds_total{${selector}}[$__rate_interval]))`;
const gcTime = (selector: string) => `sum by (service_name) (rate(v8js_gc_duration_seconds_sum{${selector}}[$__rate_interval]))`;

const SERVICE_VAR = { name: 'service', label: 'Service', query: 'label_values(target_info, service_name)' };

// ---------------------------------------------------------------- dashboards
export const DASHBOARDS: DashboardSpec[] = [
  {
    uid: 'W2gX2zHVk',
    title: 'Demo Dashboard',
    file: 'demo-dashboard.json',
    description: 'Per-service requests, errors and latency (from span metrics) next to each process’s CPU and memory.',
    tags: ['demo'],
    variables: [SERVICE_VAR],
    rows: [
      {
        title: 'Requests (server spans)',
        panels: [
          { title: 'Request rate', unit: 'reqps', targets: [{ expr: rate(`${SERVER}, service_name=~"$service"`), legend: '{{service_name}}' }] },
          { title: 'Error ratio', unit: 'percentunit', targets: [{ expr: errorRatio(`${SERVER}, service_name=~"$service"`), legend: '{{service_name}}' }] },
          { title: 'Latency p95', unit: 'ms', targets: [{ expr: quantile(0.95, `${SERVER}, service_name=~"$service"`), legend: '{{service_name}}' }] },
          { title: 'Latency p50', unit: 'ms', targets: [{ expr: quantile(0.5, `${SERVER}, service_name=~"$service"`), legend: '{{service_name}}' }] },
        ],
      },
      {
        title: 'Runtime',
        panels: [
          { title: 'CPU (cores)', unit: 'short', targets: [{ expr: cpu('service_name=~"$service"'), legend: '{{service_name}}' }] },
          { title: 'Resident memory', unit: 'bytes', targets: [{ expr: memory('service_name=~"$service"'), legend: '{{service_name}}' }] },
          { title: 'Heap used', unit: 'bytes', targets: [{ expr: heap('service_name=~"$service"'), legend: '{{service_name}}' }] },
          { title: 'GC time per second', unit: 's', targets: [{ expr: gcTime('service_name=~"$service"'), legend: '{{service_name}}' }] },
          {
            title: 'Event-loop delay p99',
            unit: 's',
            targets: [{ expr: 'max by (service_name) (nodejs_eventloop_delay_p99_seconds{service_name=~"$service"})', legend: '{{service_name}}' }],
          },
        ],
      },
      {
        title: 'Recommendation (memory-leak walkthrough)',
        panels: [
          {
            title: 'Recommendation memory',
            description: 'Climbs steadily while recommendationCacheFailure is on; drops to baseline only after the restart.',
            unit: 'bytes',
            targets: [
              { expr: memory(svc('recommendation')), legend: 'resident' },
              { expr: heap(svc('recommendation')), legend: 'heap used' },
            ],
          },
          { title: 'Recommendation CPU', unit: 'short', targets: [{ expr: cpu(svc('recommendation')), legend: 'cores' }] },
          {
            title: 'ListRecommendations latency',
            unit: 'ms',
            targets: [
              { expr: quantile(0.95, span('recommendation', 'oteldemo.RecommendationService/ListRecommendations')), legend: 'p95' },
              { expr: quantile(0.5, span('recommendation', 'oteldemo.RecommendationService/ListRecommendations')), legend: 'p50' },
            ],
          },
          {
            title: 'ListRecommendations error ratio (callers)',
            unit: 'percentunit',
            targets: [{ expr: errorRatio('span_name="oteldemo.RecommendationService/ListRecommendations"'), legend: '{{service_name}}' }],
          },
          {
            title: 'Recommendations served',
            unit: 'short',
            targets: [{ expr: 'sum by (recommendation_type) (rate(demo_recommendation_requests_total[$__rate_interval]))', legend: '{{recommendation_type}}' }],
          },
        ],
      },
    ],
  },
  {
    uid: 'W2gX2zHVk48',
    title: 'Spanmetrics Demo Dashboard',
    file: 'spanmetrics-dashboard.json',
    description: 'RED metrics per service and operation from the collector’s span_metrics connector.',
    tags: ['demo', 'spanmetrics'],
    variables: [SERVICE_VAR],
    rows: [
      {
        title: 'Per operation',
        panels: [
          {
            title: 'Calls per second by operation',
            unit: 'reqps',
            targets: [
              {
                expr: 'sum by (service_name, span_name) (rate(traces_span_metrics_calls_total{service_name=~"$service"}[$__rate_interval]))',
                legend: '{{service_name}} {{span_name}}',
              },
            ],
          },
          {
            title: 'Error ratio by operation',
            unit: 'percentunit',
            targets: [{ expr: errorRatio('service_name=~"$service"', 'service_name, span_name'), legend: '{{service_name}} {{span_name}}' }],
          },
          {
            title: 'p95 duration by operation',
            unit: 'ms',
            targets: [{ expr: quantile(0.95, 'service_name=~"$service"', 'service_name, span_name'), legend: '{{service_name}} {{span_name}}' }],
          },
          {
            title: 'p99 duration by operation',
            unit: 'ms',
            targets: [{ expr: quantile(0.99, 'service_name=~"$service"', 'service_name, span_name'), legend: '{{service_name}} {{span_name}}' }],
          },
        ],
      },
      {
        title: 'By span kind',
        panels: [
          {
            title: 'Calls per second by kind',
            unit: 'reqps',
            targets: [{ expr: 'sum by (span_kind) (rate(traces_span_metrics_calls_total{service_name=~"$service"}[$__rate_interval]))', legend: '{{span_kind}}' }],
          },
          {
            title: 'Recorded RED (all services)',
            unit: 'reqps',
            targets: [{ expr: 'sum by (service_name) (shop:server_calls:rate1m)', legend: '{{service_name}}' }],
          },
        ],
      },
    ],
  },
  {
    uid: 'otel-demo_otel-collector_dashboard',
    title: 'OpenTelemetry Collector',
    file: 'opentelemetry-collector.json',
    description: 'What the collector received, refused, exported and failed to export, per signal; queue and memory.',
    tags: ['collector'],
    rows: ['spans', 'metric_points', 'log_records'].map((signal) => ({
      title: `Signal: ${signal}`,
      panels: [
        {
          title: `Received ${signal} / s`,
          unit: 'short',
          targets: [
            { expr: `sum by (receiver) (rate(otelcol_receiver_accepted_${signal}_total[$__rate_interval]))`, legend: 'accepted {{receiver}}' },
            { expr: `sum by (receiver) (rate(otelcol_receiver_refused_${signal}_total[$__rate_interval]))`, legend: 'refused {{receiver}}' },
          ],
        },
        {
          title: `Exported ${signal} / s`,
          unit: 'short',
          targets: [
            { expr: `sum by (exporter) (rate(otelcol_exporter_sent_${signal}_total[$__rate_interval]))`, legend: 'sent {{exporter}}' },
            { expr: `sum by (exporter) (rate(otelcol_exporter_send_failed_${signal}_total[$__rate_interval]))`, legend: 'failed {{exporter}}' },
          ],
        },
      ],
    })).concat([
      {
        title: 'Collector process',
        panels: [
          {
            title: 'Exporter queue size vs capacity',
            unit: 'short',
            targets: [
              { expr: 'max by (exporter) (otelcol_exporter_queue_size)', legend: 'size {{exporter}}' },
              { expr: 'max by (exporter) (otelcol_exporter_queue_capacity)', legend: 'capacity {{exporter}}' },
            ],
          },
          { title: 'Collector memory (RSS)', unit: 'bytes', targets: [{ expr: 'max(otelcol_process_memory_rss_bytes)', legend: 'rss' }] },
          { title: 'Collector CPU', unit: 'short', targets: [{ expr: 'sum(rate(otelcol_process_cpu_seconds_total[$__rate_interval]))', legend: 'cores' }] },
        ],
      },
    ]),
  },
  {
    uid: 'ce6sd46kfkglca',
    title: 'Cart Service Exemplars',
    file: 'exemplars-dashboard.json',
    description: 'Cart latency histograms with exemplars: click a dot to open that request’s trace in Jaeger.',
    tags: ['demo', 'exemplars'],
    rows: [
      {
        title: 'Cart latency',
        panels: [
          {
            title: 'AddItem latency',
            unit: 's',
            targets: [
              { expr: 'histogram_quantile(0.95, sum by (le) (rate(demo_cart_add_item_latency_seconds_bucket[$__rate_interval])))', legend: 'p95', exemplar: true },
              { expr: 'histogram_quantile(0.5, sum by (le) (rate(demo_cart_add_item_latency_seconds_bucket[$__rate_interval])))', legend: 'p50', exemplar: true },
            ],
          },
          {
            title: 'GetCart latency',
            unit: 's',
            targets: [
              { expr: 'histogram_quantile(0.95, sum by (le) (rate(demo_cart_get_cart_latency_seconds_bucket[$__rate_interval])))', legend: 'p95', exemplar: true },
              { expr: 'histogram_quantile(0.5, sum by (le) (rate(demo_cart_get_cart_latency_seconds_bucket[$__rate_interval])))', legend: 'p50', exemplar: true },
            ],
          },
          {
            title: 'AddItem latency distribution',
            type: 'heatmap',
            unit: 's',
            targets: [{ expr: 'sum by (le) (rate(demo_cart_add_item_latency_seconds_bucket[$__rate_interval]))', legend: '{{le}}' }],
          },
          {
            title: 'Cart operations per second',
            unit: 'reqps',
            targets: [
              { expr: 'sum(rate(demo_cart_add_item_latency_seconds_count[$__rate_interval]))', legend: 'AddItem' },
              { expr: 'sum(rate(demo_cart_get_cart_latency_seconds_count[$__rate_interval]))', legend: 'GetCart' },
            ],
          },
        ],
      },
    ],
  },
  {
    uid: 'xHhbQmdjA',
    title: 'PostgreSQL',
    file: 'postgresql-dashboard.json',
    description: 'The catalog and accounting database as its clients see it (OTel database client metrics and spans).',
    tags: ['database'],
    rows: [
      {
        title: 'Clients',
        panels: [
          {
            title: 'Query duration p95',
            unit: 's',
            targets: [
              {
                expr: 'histogram_quantile(0.95, sum by (le, service_name) (rate(db_client_operation_duration_seconds_bucket[$__rate_interval])))',
                legend: '{{service_name}}',
              },
            ],
          },
          {
            title: 'Queries per second',
            unit: 'reqps',
            targets: [{ expr: 'sum by (service_name) (rate(db_client_operation_duration_seconds_count[$__rate_interval]))', legend: '{{service_name}}' }],
          },
          {
            title: 'Pool connections',
            unit: 'short',
            targets: [{ expr: 'sum by (service_name, db_client_connection_state) (db_client_connection_count)', legend: '{{service_name}} {{db_client_connection_state}}' }],
          },
          {
            title: 'SQL spans by statement kind',
            unit: 'reqps',
            targets: [
              {
                expr: 'sum by (service_name, span_name) (rate(traces_span_metrics_calls_total{span_kind="SPAN_KIND_CLIENT", span_name=~"pg\\\\..*"}[$__rate_interval]))',
                legend: '{{service_name}} {{span_name}}',
              },
            ],
          },
        ],
      },
    ],
  },
  {
    uid: 'kafka-consumers',
    title: 'Kafka: orders topic',
    file: 'kafka-dashboard.json',
    description:
      'Orders published by checkout and consumed by accounting and fraud-detection, with consumer lag; the broker’s own metrics (OTel Java agent) below.',
    tags: ['kafka'],
    rows: [
      {
        title: 'Orders',
        panels: [
          {
            title: 'Consumer lag (messages)',
            unit: 'short',
            targets: [{ expr: 'max by (messaging_consumer_group_name) (kafka_consumer_lag)', legend: '{{messaging_consumer_group_name}}' }],
          },
          {
            title: 'Published vs consumed per second',
            unit: 'short',
            targets: [
              { expr: 'sum(rate(messaging_client_sent_messages_total[$__rate_interval]))', legend: 'published' },
              { expr: rate('span_kind="SPAN_KIND_CONSUMER"'), legend: 'consumed by {{service_name}}' },
            ],
          },
          {
            title: 'Processing time per order',
            unit: 'ms',
            targets: [{ expr: quantile(0.95, 'span_kind="SPAN_KIND_CONSUMER"'), legend: 'p95 {{service_name}}' }],
          },
        ],
      },
      {
        // The broker's own view, from the OTel Java agent's kafka-broker JMX
        // rules (service.name=kafka), as the original's broker reports it.
        title: 'Kafka broker',
        panels: [
          {
            title: 'Messages in per second',
            unit: 'short',
            targets: [{ expr: `sum(rate(kafka_message_count_total{${svc('kafka')}}[$__rate_interval]))`, legend: 'messages' }],
          },
          {
            title: 'Requests per second',
            unit: 'reqps',
            targets: [
              { expr: `sum by (type) (rate(kafka_request_count_total{${svc('kafka')}}[$__rate_interval]))`, legend: '{{type}}' },
              { expr: `sum by (type) (rate(kafka_request_failed_total{${svc('kafka')}}[$__rate_interval]))`, legend: 'failed {{type}}' },
            ],
          },
          {
            title: 'Request time p99',
            description: 'FetchConsumer includes the time a fetch waits for data (fetch.max.wait.ms), so it sits near 500 ms when idle.',
            unit: 'ms',
            targets: [{ expr: `max by (type) (kafka_request_time_99p_milliseconds{${svc('kafka')}})`, legend: '{{type}}' }],
          },
          {
            title: 'Network bytes per second',
            unit: 'Bps',
            targets: [{ expr: `sum by (direction) (rate(kafka_network_io_bytes_total{${svc('kafka')}}[$__rate_interval]))`, legend: '{{direction}}' }],
          },
          {
            title: 'Purgatory and request queue',
            unit: 'short',
            targets: [
              { expr: `max by (type) (kafka_purgatory_size{${svc('kafka')}})`, legend: 'purgatory {{type}}' },
              { expr: `max(kafka_request_queue{${svc('kafka')}})`, legend: 'request queue' },
            ],
          },
          {
            title: 'Partitions (offline, under-replicated)',
            unit: 'short',
            targets: [
              { expr: `max(kafka_partition_count{${svc('kafka')}})`, legend: 'partitions' },
              { expr: `max(kafka_partition_offline{${svc('kafka')}})`, legend: 'offline' },
              { expr: `max(kafka_partition_underReplicated{${svc('kafka')}})`, legend: 'under-replicated' },
            ],
          },
          {
            title: 'Broker JVM heap',
            unit: 'bytes',
            targets: [{ expr: `sum(jvm_memory_used_bytes{${svc('kafka')}, jvm_memory_type="heap"})`, legend: 'heap used' }],
          },
        ],
      },
    ],
  },
  {
    uid: 'shop-scenarios',
    title: 'Scenarios: one row per flag',
    file: 'scenarios-dashboard.json',
    description: 'The symptom each feature flag produces (docs/scenarios/<flag>.md explains each).',
    tags: ['demo', 'scenarios'],
    rows: [
      row('adFailure', 'GetAds error ratio', errorRatio(span('ad', 'oteldemo.AdService/GetAds')), 'percentunit'),
      row('adHighCpu', 'ad CPU (cores)', cpu(svc('ad')), 'short'),
      row('adManualGc', 'ad GC time per second', gcTime(svc('ad')), 's'),
      row('cartFailure', 'EmptyCart error ratio', errorRatio(span('cart', 'oteldemo.CartService/EmptyCart')), 'percentunit'),
      row('emailMemoryLeak', 'email resident memory', memory(svc('email')), 'bytes'),
      row('failedReadinessProbe', 'checkout → cart errors', errorRatio('service_name="checkout", span_name=~"oteldemo.CartService/.*"'), 'percentunit'),
      row('imageSlowLoad', 'image requests p95 (frontend-proxy)', quantile(0.95, `${SERVER}, service_name="frontend-proxy", http_route=~"/images/.*"`), 'ms'),
      row('intlShippingSlowdown', 'ship-order p95', quantile(0.95, span('shipping', 'POST /ship-order')), 'ms'),
      row('kafkaQueueProblems', 'consumer lag', 'max by (messaging_consumer_group_name) (kafka_consumer_lag)', 'short'),
      row('loadGeneratorFloodHomepage', 'home page requests / s', rate(`${SERVER}, service_name="frontend"`), 'reqps'),
      row('loadGeneratorTraffic', 'load-generator requests / s', rate('service_name="load-generator"'), 'reqps'),
      row('loadGeneratorVUs', 'load-generator requests / s', rate('service_name="load-generator"'), 'reqps'),
      row('paymentFailure', 'Charge error ratio', errorRatio(span('payment', 'oteldemo.PaymentService/Charge')), 'percentunit'),
      row('paymentUnreachable', 'PlaceOrder error ratio', errorRatio(span('checkout', 'oteldemo.CheckoutService/PlaceOrder')), 'percentunit'),
      row('productCatalogFailure', 'GetProduct error ratio', errorRatio(span('product-catalog', 'oteldemo.ProductCatalogService/GetProduct')), 'percentunit'),
      row('recommendationCacheFailure', 'recommendation resident memory', memory(svc('recommendation')), 'bytes'),
    ],
  },
];

function row(flag: string, title: string, expr: string, unit: string): RowSpec {
  return { title: flag, panels: [{ title, unit, width: 24, targets: [{ expr, legend: '{{service_name}}' }], description: `Symptom of ${flag}; see docs/scenarios/${flag}.md` }] };
}

// ---------------------------------------------------------------- rendering
const datasource = { type: 'prometheus', uid: PROMETHEUS_UID };

export function renderDashboard(spec: DashboardSpec): Record<string, unknown> {
  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  for (const rowSpec of spec.rows) {
    panels.push({ id: id++, type: 'row', title: rowSpec.title, collapsed: false, gridPos: { x: 0, y, w: 24, h: 1 }, panels: [] });
    y += 1;
    let x = 0;
    for (const p of rowSpec.panels) {
      const w = p.width ?? 12;
      if (x + w > 24) {
        x = 0;
        y += 8;
      }
      panels.push({
        id: id++,
        type: p.type ?? 'timeseries',
        title: p.title,
        ...(p.description ? { description: p.description } : {}),
        datasource,
        gridPos: { x, y, w, h: 8 },
        fieldConfig: { defaults: { unit: p.unit ?? 'short' }, overrides: [] },
        options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi' } },
        targets: p.targets.map((t, i) => ({
          refId: String.fromCharCode(65 + i),
          datasource,
          expr: t.expr,
          legendFormat: t.legend ?? '__auto',
          ...(t.exemplar ? { exemplar: true } : {}),
        })),
      });
      x += w;
    }
    y += 8;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: spec.tags,
    editable: true,
    schemaVersion: 39,
    version: 1,
    refresh: '10s',
    time: { from: 'now-30m', to: 'now' },
    timezone: 'browser',
    templating: {
      list: (spec.variables ?? []).map((v) => ({
        name: v.name,
        label: v.label,
        type: 'query',
        datasource,
        query: { query: v.query, refId: 'variable' },
        definition: v.query,
        includeAll: true,
        multi: true,
        current: { text: 'All', value: '$__all' },
        refresh: 2,
        sort: 1,
      })),
    },
    annotations: { list: [] },
    panels,
  };
}

const outDir = join(import.meta.dirname, 'provisioning', 'dashboards', 'demo');

if (import.meta.main) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const spec of DASHBOARDS) {
    const path = join(outDir, spec.file);
    const json = `${JSON.stringify(renderDashboard(spec), null, 2)}\n`;
    if (check) {
      let current = '';
      try {
        current = readFileSync(path, 'utf8');
      } catch {}
      if (current !== json) {
        console.error(`stale dashboard: ${spec.file} (run node grafana/dashboards.ts)`);
        stale++;
      }
    } else {
      writeFileSync(path, json);
    }
  }
  if (stale) process.exit(1);
}
