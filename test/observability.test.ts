// Against the running stack: every metric the dashboards and alert rules
// query is one our services and collector really emit (no dashboard panel
// stays empty because of a name typo — the original's defect, spec §9.4).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';
import { PROMETHEUS_URL, sleep } from './lib/backends.ts';

const root = join(import.meta.dirname, '..');

/** Metrics that only exist while something is failing (counters created on first failure). */
const ONLY_UNDER_FAULT = /^otelcol_exporter_(send|enqueue)_failed_|^otelcol_receiver_refused_/;

function metricNames(expr: string): string[] {
  const text = expr.replaceAll('$__rate_interval', '1m').replace(/\$\{?(\w+)\}?/g, '.*');
  const names: string[] = [];
  const tree = parser.parse(text);
  tree.iterate({
    enter: (node) => {
      if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) names.push(text.slice(id.from, id.to));
      }
    },
  });
  return names;
}

function queriedMetrics(): Map<string, string> {
  const where = new Map<string, string>();
  const dir = join(root, 'grafana/provisioning/dashboards/demo');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      panels: { title: string; targets?: { expr: string }[] }[];
    };
    for (const panel of json.panels) {
      for (const t of panel.targets ?? [])
        for (const m of metricNames(t.expr)) where.set(m, `${file} / ${panel.title}`);
    }
  }
  const rules = parseYaml(readFileSync(join(root, 'prometheus/rules/shop.rules.yml'), 'utf8')) as {
    groups: { rules: { alert?: string; record?: string; expr: string }[] }[];
  };
  for (const rule of rules.groups.flatMap((g) => g.rules)) {
    for (const m of metricNames(rule.expr)) where.set(m, `rule ${rule.alert ?? rule.record}`);
  }
  return where;
}

describe('dashboards and rules against the live Prometheus', () => {
  test('every queried metric exists', async () => {
    const wanted = queriedMetrics();
    assert.ok(wanted.size > 20, `found ${wanted.size} metric names`);
    const absentNow = async () => {
      const response = await fetch(`${PROMETHEUS_URL}/api/v1/label/__name__/values`);
      const have = new Set(((await response.json()) as { data: string[] }).data);
      return [...wanted.entries()]
        .filter(([m]) => !have.has(m) && !ONLY_UNDER_FAULT.test(m))
        .map(([m, w]) => `${m} (${w})`);
    };
    // Series appear as traffic reaches each service: give a fresh stack two minutes.
    let missing = await absentNow();
    for (const deadline = Date.now() + 120_000; missing.length > 0 && Date.now() < deadline; ) {
      await sleep(5000);
      missing = await absentNow();
    }
    assert.deepEqual(missing, []);
  });
});
