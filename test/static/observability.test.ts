// Dashboards, datasources and Prometheus rules, checked offline: every
// dashboard parses with a unique uid and provisioned datasources, every PromQL
// expression parses with Prometheus' own grammar (lezer-promql), the rules pass
// promtool and their unit tests fire the scenario alerts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const dashboardsDir = join(root, 'grafana/provisioning/dashboards/demo');
const promtool = () =>
  join(
    dirname(
      execFileSync('bash', [join(root, 'scripts/tools.sh'), 'prometheus'], { encoding: 'utf8' }).trim(),
    ),
    'promtool',
  );

type Panel = {
  title: string;
  type: string;
  datasource?: { uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
};
const dashboards = readdirSync(dashboardsDir)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({
    file,
    json: JSON.parse(readFileSync(join(dashboardsDir, file), 'utf8')) as {
      uid: string;
      title: string;
      panels: Panel[];
    },
  }));

// Every provisioned datasource file (OpenSearch has its own: the chart includes
// it only where OpenSearch runs).
const datasourcesDir = join(root, 'grafana/provisioning/datasources');
const datasources = readdirSync(datasourcesDir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap(
    (f) =>
      (parseYaml(readFileSync(join(datasourcesDir, f), 'utf8')) as { datasources: { uid: string }[] })
        .datasources,
  )
  .map((d) => d.uid);

/** Grafana variables replaced by values PromQL accepts. */
const concrete = (expr: string) => expr.replaceAll('$__rate_interval', '1m').replace(/\$\{?(\w+)\}?/g, '.*');

/** Parse errors of a PromQL expression (lezer marks them with error nodes). */
export function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError)
        errors.push(`at ${node.from}: ${JSON.stringify(expr.slice(node.from, node.from + 20))}`);
    },
  });
  return errors;
}

export const allDashboardExprs = () =>
  dashboards.flatMap(({ file, json }) =>
    json.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ file, panel: p.title, expr: t.expr }))),
  );

describe('grafana provisioning', () => {
  test('the committed dashboards are what grafana/dashboards.ts renders', () => {
    execFileSync(process.execPath, [join(root, 'grafana/dashboards.ts'), '--check'], { cwd: root });
  });

  test('every dashboard parses and has a unique uid and title', () => {
    assert.ok(dashboards.length >= 7);
    const uids = dashboards.map((d) => d.json.uid);
    assert.equal(new Set(uids).size, uids.length);
    for (const expected of [
      'W2gX2zHVk',
      'W2gX2zHVk48',
      'otel-demo_otel-collector_dashboard',
      'ce6sd46kfkglca',
      'xHhbQmdjA',
    ]) {
      assert.ok(uids.includes(expected), `dashboard ${expected} is provisioned`);
    }
  });

  test('panels only reference provisioned datasources', () => {
    for (const { file, json } of dashboards) {
      for (const panel of json.panels) {
        for (const ds of [panel.datasource, ...(panel.targets ?? []).map((t) => t.datasource)]) {
          if (ds) assert.ok(datasources.includes(ds.uid), `${file} / ${panel.title}: datasource ${ds.uid}`);
        }
      }
    }
  });

  test('every dashboard query is valid PromQL', () => {
    const exprs = allDashboardExprs();
    assert.ok(exprs.length > 40);
    for (const { file, panel, expr } of exprs) {
      assert.deepEqual(promqlErrors(concrete(expr)), [], `${file} / ${panel}: ${expr}`);
    }
  });

  test('the PromQL check itself rejects broken queries', () => {
    assert.notDeepEqual(promqlErrors('sum by (service_name (rate(x[1m]))'), []);
    assert.notDeepEqual(promqlErrors('rate(x[1m]'), []);
  });

  test('the memory-leak walkthrough panels exist on the Demo dashboard', () => {
    const demo = dashboards.find((d) => d.json.uid === 'W2gX2zHVk')!;
    const titles = demo.json.panels.map((p) => p.title);
    for (const t of [
      'Recommendation memory',
      'Recommendation CPU',
      'ListRecommendations latency',
      'ListRecommendations error ratio (callers)',
    ]) {
      assert.ok(titles.includes(t), t);
    }
  });

  test('the Scenarios dashboard has one row per flag', () => {
    const flags = Object.keys(
      JSON.parse(readFileSync(join(root, 'flagd/demo.flagd.json'), 'utf8')).flags,
    ).sort();
    const scenarios = dashboards.find((d) => d.json.uid === 'shop-scenarios')!;
    const rows = scenarios.json.panels
      .filter((p) => p.type === 'row')
      .map((p) => p.title)
      .sort();
    assert.deepEqual(rows, flags);
  });
});

describe('prometheus rules', () => {
  test('promtool accepts the rules', () => {
    execFileSync(promtool(), ['check', 'rules', 'prometheus/rules/shop.rules.yml'], { cwd: root });
  });

  test('promtool rule unit tests: each scenario alert fires on its symptom', () => {
    execFileSync(promtool(), ['test', 'rules', 'prometheus/rules/tests/shop.rules.test.yml'], { cwd: root });
  });

  test('every alert has a summary, a description and a runbook that exists', () => {
    const rules = parseYaml(readFileSync(join(root, 'prometheus/rules/shop.rules.yml'), 'utf8')) as {
      groups: { rules: { alert?: string; expr: string; annotations?: Record<string, string> }[] }[];
    };
    const alerts = rules.groups.flatMap((g) => g.rules).filter((r) => r.alert);
    assert.ok(alerts.length >= 10);
    for (const alert of alerts) {
      assert.ok(alert.annotations?.summary && alert.annotations.description, `${alert.alert} annotations`);
      const runbook = alert.annotations?.runbook_url?.split('#')[0] ?? '';
      assert.match(runbook, /^docs\/scenarios\//, `${alert.alert} runbook`);
      assert.doesNotThrow(() => readFileSync(join(root, runbook)), `${alert.alert}: ${runbook} exists`);
    }
  });
});
