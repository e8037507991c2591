// The telemetry-names check's diff logic (test/telemetry-names/diff.ts) on
// made-up names, and its data files: an unexplained name fails, explained
// ones pass, in both directions; the files parse and name the original's
// services and schema.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { metricFamilies } from '../telemetry-names/collect.ts';
import {
  diffNames,
  type Emitted,
  type Explanation,
  ExplanationsSchema,
  formatTable,
  type Upstream,
  UpstreamSchema,
} from '../telemetry-names/diff.ts';

const dir = join(import.meta.dirname, '..', 'telemetry-names');
const upstream: Upstream = {
  services: ['cart', 'kafka'],
  spanNames: ['oteldemo.CartService/AddItem'],
  attributes: ['demo.product.id', 'demo.shipping.items_count'],
  metrics: ['demo_cart_add_item_latency_seconds'],
  metricPrefixes: ['nginx_'],
};
const emitted: Emitted = {
  services: ['cart', 'kafka'],
  spanNames: ['oteldemo.CartService/AddItem', 'GET /api/cart'],
  attributes: ['demo.product.id', 'http.route'],
  metrics: ['demo_cart_add_item_latency_seconds', 'nginx_requests', 'nodejs_eventloop_delay_p99_seconds'],
};
const explanations: Explanation[] = [
  {
    kind: 'span',
    side: 'ours-only',
    pattern: '(GET|POST) /.*',
    reason: 'HTTP server spans, named by semconv',
  },
  { kind: 'attribute', side: 'ours-only', pattern: 'http\\..+', reason: 'semconv HTTP attributes' },
  {
    kind: 'attribute',
    side: 'upstream-only',
    name: 'demo.shipping.items_count',
    reason: 'defined, never set upstream',
  },
  { kind: 'metric', side: 'ours-only', pattern: 'nodejs_.+', reason: 'Node.js runtime metrics' },
];

describe('telemetry names diff', () => {
  test('explained differences pass; prefixes cover receiver families', () => {
    const diff = diffNames(upstream, emitted, explanations);
    assert.deepEqual(diff.unexplained, []);
    assert.equal(diff.rows.length, 4);
    assert.deepEqual(diff.unused, []);
    assert.match(formatTable(diff), /\| span \| `GET \/api\/cart` \| ours \| HTTP server spans/);
  });

  test('an injected name we emit that the original does not fails', () => {
    const injected = { ...emitted, attributes: [...emitted.attributes, 'demo.cart.injected'] };
    const diff = diffNames(upstream, injected, explanations);
    assert.deepEqual(diff.unexplained, [
      { kind: 'attribute', side: 'ours-only', name: 'demo.cart.injected', reason: undefined },
    ]);
    assert.match(formatTable(diff), /demo\.cart\.injected.*UNEXPLAINED/);
  });

  test('a name of the original we no longer emit fails (also a whole prefix family)', () => {
    const lost = { ...emitted, services: ['cart'], metrics: ['demo_cart_add_item_latency_seconds'] };
    const diff = diffNames(upstream, lost, explanations.slice(0, 3));
    assert.deepEqual(
      diff.unexplained.map((r) => `${r.side} ${r.kind} ${r.name}`),
      ['upstream-only service kafka', 'upstream-only metric nginx_*'],
    );
  });

  test('an explanation covers only its own kind and side, and a pattern the whole name', () => {
    const diff = diffNames(upstream, { ...emitted, spanNames: [...emitted.spanNames, 'xGET /a'] }, [
      { kind: 'attribute', side: 'ours-only', pattern: '(GET|POST) /.*', reason: 'wrong kind on purpose' },
      ...explanations.slice(1),
    ]);
    assert.deepEqual(diff.unexplained.map((r) => r.name).sort(), ['GET /api/cart', 'xGET /a']);
    assert.equal(diff.unused.length, 1);
  });

  test('histogram series count as one family', () => {
    assert.deepEqual(
      metricFamilies(['a_seconds_bucket', 'a_seconds_sum', 'a_seconds_count', 'b_count', 'c_total']),
      ['a_seconds', 'b_count', 'c_total'],
    );
  });
});

describe('telemetry names files', () => {
  test('upstream.json holds the original services and schema names', () => {
    const names = UpstreamSchema.parse(JSON.parse(readFileSync(join(dir, 'upstream.json'), 'utf8')));
    for (const s of ['cart', 'kafka', 'load-generator', 'frontend-web', 'image-provider'])
      assert.ok(names.services.includes(s), s);
    assert.ok(names.attributes.includes('demo.order.id'));
    assert.ok(names.metrics.includes('demo_cart_add_item_latency_seconds'));
  });

  test('explained.json parses: every entry has a reason and exactly one of name/pattern', () => {
    const entries = ExplanationsSchema.parse(JSON.parse(readFileSync(join(dir, 'explained.json'), 'utf8')));
    assert.ok(entries.length > 0);
    for (const e of entries) if (e.pattern) new RegExp(e.pattern);
    assert.throws(() =>
      ExplanationsSchema.parse([{ kind: 'span', side: 'ours-only', reason: 'no name or pattern given' }]),
    );
  });
});
