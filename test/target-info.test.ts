// Against the running native stack: the original's "does this service send
// metrics?" query, target_info{service_name="<service>"}, finds every service
// `make start` runs, and a span metric carries the resource-attribute labels
// the original's Prometheus promotes (spec §9.1). The services expected are
// the running components whose process has OTEL_SERVICE_NAME (the component
// table's telemetry sources, kafka included once it runs with the Java agent),
// read from the supervisor's state file and /proc, so a service that is added
// to the table without telemetry fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { eventually, promQuery } from './lib/backends.ts';

const RUN_DIR = process.env.ASTROSHOP_RUN_DIR ?? join(import.meta.dirname, '..', '.run');

/** service.name of every running component that exports telemetry. */
function telemetryServices(): string[] {
  const state = JSON.parse(readFileSync(join(RUN_DIR, 'state.json'), 'utf8')) as {
    components: { name: string; pid: number | null }[];
  };
  const names = new Set<string>();
  for (const c of state.components) {
    assert.ok(c.pid, `component ${c.name} is not running (no pid in ${RUN_DIR}/state.json)`);
    const env = readFileSync(`/proc/${c.pid}/environ`, 'utf8').split('\0');
    const line = env.find((e) => e.startsWith('OTEL_SERVICE_NAME='));
    if (line) names.add(line.slice('OTEL_SERVICE_NAME='.length));
  }
  return [...names].sort();
}

/** Labels the original's promote_resource_attributes puts on every metric (those our resources have). */
const PROMOTED = [
  'service_name',
  'service_namespace',
  'service_version',
  'service_instance_id',
  'deployment_environment_name',
];

describe('Prometheus labels as the original promotes them', () => {
  test('target_info{service_name=…} returns a series for every telemetry source', {
    timeout: 150_000,
  }, async () => {
    const expected = telemetryServices();
    // The shop's services alone are more than ten; fewer means the state file is not the stack's.
    assert.ok(
      expected.length >= 10,
      `only ${expected.length} telemetry sources found: ${expected.join(', ')}`,
    );
    const missing = async () => {
      const samples = await promQuery('count by (service_name) (target_info)');
      const have = new Set(samples.map((s) => s.metric.service_name));
      return expected.filter((s) => !have.has(s));
    };
    // Every SDK exports metrics at least once a minute; give a fresh stack two.
    let absent = expected;
    await eventually(
      'target_info for every service',
      async () => {
        absent = await missing();
        return absent.length === 0 ? true : undefined;
      },
      120_000,
      5000,
    ).catch(() => undefined); // the assertion below names what is missing
    assert.deepEqual(absent, [], `no target_info{service_name=…} for: ${absent.join(', ')}`);
    // The identifying labels the original keeps on target_info (keep_identifying_resource_attributes).
    const [cart] = await promQuery('target_info{service_name="cart"}');
    assert.ok(cart, 'target_info{service_name="cart"}');
    assert.equal(cart.metric.service_namespace, 'opentelemetry-demo');
    assert.equal(cart.metric.job, 'opentelemetry-demo/cart');
    assert.ok(cart.metric.service_instance_id, 'service_instance_id on target_info');
    assert.equal(cart.metric.instance, cart.metric.service_instance_id);
  });

  test('a span metric carries the promoted resource labels', { timeout: 90_000 }, async () => {
    const sample = await eventually(
      'traces_span_metrics_calls_total for checkout',
      async () => (await promQuery('traces_span_metrics_calls_total{service_name="checkout"}'))[0],
      60_000,
      3000,
    );
    const absent = PROMOTED.filter((label) => !sample.metric[label]);
    assert.deepEqual(absent, [], `labels missing on ${JSON.stringify(sample.metric)}`);
    assert.equal(sample.metric.service_namespace, 'opentelemetry-demo');
    assert.equal(sample.metric.job, 'opentelemetry-demo/checkout');
    // One value per label: a resource attribute and a copy under the same
    // label name would be joined with ';' by the remote-write translator.
    const joined = Object.entries(sample.metric).filter(([, v]) => v.includes(';'));
    assert.deepEqual(joined, []);
  });
});
