// Each of our deployables is declared once (scripts/devstack/src/components:
// shop.ts, edge.ts); the native supervisor is built from that table, and
// docker-compose.yml and the Helm chart are checked against it here: the
// service's own config schema accepts each mode's env, container-only
// variables are set, probes and HEALTH_* point at the port the config
// listens on, memory limits are as declared and above the measured peak
// with headroom; dependencies: compose waits for exactly the table's, and the
// chart (which has no start order) lets each deployable reach exactly them
// through its NetworkPolicies, to a Service that exists. Negative controls:
// broken copies must be caught.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseAllDocuments, parseDocument, parse as parseYaml } from 'yaml';
import { DEPLOYABLES, nodeService, type Tools } from '../../scripts/devstack/src/components/index.ts';
import { withTable } from '../../scripts/devstack/src/components/markdown.ts';
import { loadNativeEnv, parseEnvFile } from '../../scripts/devstack/src/env.ts';
import {
  type ChartContainer,
  type ChartGraph,
  type ComposeService,
  checkDeployable,
  type Sources,
} from './deploy-parity/check.ts';

const root = join(import.meta.dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'deploy-parity-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

let helm: string;
const renderChart = (chartDir: string): Map<string, ChartContainer> => {
  const out = execFileSync(helm, ['template', 'shop', chartDir], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const containers = new Map<string, ChartContainer>();
  for (const doc of parseAllDocuments(out)) {
    const o = doc.toJS() as {
      kind?: string;
      spec?: { template: { spec: { containers: ChartContainer[] } } };
    };
    if (o?.kind !== 'Deployment' || !o.spec) continue;
    for (const c of o.spec.template.spec.containers) containers.set(c.name, c);
  }
  return containers;
};

type Labels = Record<string, string>;

/** The chart's call graph: rendered with its NetworkPolicies on, each container's pod labels and Services. */
const renderChartGraph = (chartDir: string): ChartGraph => {
  const out = execFileSync(helm, ['template', 'shop', chartDir, '--set', 'networkPolicies.enabled=true'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const graph: ChartGraph = {
    podLabels: new Map(),
    services: new Set(),
    deploymentOf: new Map(),
    policies: [],
  };
  for (const doc of parseAllDocuments(out)) {
    const o = doc.toJS() as {
      kind?: string;
      metadata?: { name: string };
      spec?: {
        template?: { metadata: { labels: Labels }; spec: { containers: { name: string }[] } };
        podSelector?: { matchLabels?: Labels };
        ingress?: { from?: { podSelector?: { matchLabels?: Labels } }[] }[];
      };
    };
    if (!o?.kind || !o.metadata || !o.spec) continue;
    if (o.kind === 'Service') graph.services.add(o.metadata.name);
    if (o.kind === 'Deployment' && o.spec.template)
      for (const c of o.spec.template.spec.containers) {
        graph.podLabels.set(c.name, o.spec.template.metadata.labels);
        graph.deploymentOf.set(c.name, o.metadata.name);
      }
    if (o.kind === 'NetworkPolicy')
      for (const rule of o.spec.ingress ?? [])
        graph.policies.push({
          selects: o.spec.podSelector?.matchLabels ?? {},
          from: rule.from ? rule.from.map((f) => f.podSelector?.matchLabels ?? {}) : 'anywhere',
        });
  }
  return graph;
};

const nativeOf = (): Sources['native'] => {
  const runDir = join(scratch, 'run');
  const env = loadNativeEnv(root, runDir);
  const tools = { node: '/node' } as Tools;
  const native: Sources['native'] = new Map();
  for (const d of DEPLOYABLES) {
    const c = nodeService(d, { repoRoot: root, runDir, env, tools });
    if ('command' in c) native.set(d.name, { component: c, env: { ...env, ...c.env } });
  }
  return native;
};

let sources: Sources;
const problemsOf = async (src: Sources) =>
  (await Promise.all(DEPLOYABLES.map((d) => checkDeployable(d, src)))).flat();

describe('deploy parity: native, compose and the chart agree with the component table', () => {
  before(() => {
    helm = execFileSync('bash', [join(root, 'scripts/tools.sh'), 'helm'], { encoding: 'utf8' }).trim();
    const compose = parseYaml(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
      services: Record<string, ComposeService>;
    };
    sources = {
      root,
      dotenv: parseEnvFile(readFileSync(join(root, '.env'), 'utf8')),
      compose: compose.services,
      chart: renderChart(join(root, 'helm/astronomy-shop')),
      chartGraph: renderChartGraph(join(root, 'helm/astronomy-shop')),
      native: nativeOf(),
    };
  });

  test('every deployable agrees in every mode', async () => {
    assert.ok(DEPLOYABLES.length >= 17, 'the table lists every deployable');
    assert.deepEqual(await problemsOf(sources), []);
  });

  test('compose builds exactly the table (no deployable missing from it)', () => {
    const built = Object.entries(sources.compose)
      .filter(([, s]) => s.build)
      .map(([name]) => name)
      .sort();
    assert.deepEqual(built, DEPLOYABLES.map((d) => d.name).sort());
  });

  test("docs/engineering.md's component table is the generated one", () => {
    const doc = readFileSync(join(root, 'docs/engineering.md'), 'utf8');
    assert.equal(doc, withTable(doc), 'run: node scripts/devstack/src/components/markdown.ts --write');
  });

  test('negative control: a variable removed from a copy of the chart is found', async () => {
    const chartDir = join(scratch, 'chart');
    cpSync(join(root, 'helm/astronomy-shop'), chartDir, { recursive: true });
    const valuesPath = join(chartDir, 'values.yaml');
    // Edited as a document, so the rest keeps its quoting (YAML 1.1 readers take a bare `no` for false).
    const values = parseDocument(readFileSync(valuesPath, 'utf8'));
    values.deleteIn(['components', 'load-generator', 'env', 'LOADGEN_ALLOW_REMOTE']); // parses, but refuses its target
    values.deleteIn(['components', 'cart', 'env', 'VALKEY_ADDR']); // required by cart's config schema
    values.setIn(['components', 'checkout', 'memory'], '64Mi'); // below the measured peak
    writeFileSync(valuesPath, values.toString());
    const problems = await problemsOf({
      ...sources,
      chart: renderChart(chartDir),
      chartGraph: renderChartGraph(chartDir),
    });
    const has = (re: RegExp) =>
      assert.ok(
        problems.some((p) => re.test(p)),
        `${re} in ${problems.join('\n')}`,
      );
    has(/^load-generator \(chart\): LOADGEN_ALLOW_REMOTE is not set/);
    has(/^cart \(chart\): config rejects its env: .*VALKEY_ADDR/s);
    has(/^checkout: chart limit is 64 MiB/);
    assert.equal(
      problems.filter((p) => / \(native\)| \(compose\)/.test(p)).length,
      0,
      'only the chart broke',
    );
  });

  test('negative control: a chart whose NetworkPolicies drop a table dependency or admit a call the table lacks', async () => {
    const chartDir = join(scratch, 'chart-calls');
    cpSync(join(root, 'helm/astronomy-shop'), chartDir, { recursive: true });
    const valuesPath = join(chartDir, 'values.yaml');
    const values = parseDocument(readFileSync(valuesPath, 'utf8'));
    values.setIn(['components', 'cart', 'networkPolicy', 'from'], ['frontend']); // checkout can no longer reach cart
    values.setIn(['components', 'valkey-cart', 'networkPolicy', 'from'], ['cart', 'email']); // email never calls redis
    writeFileSync(valuesPath, values.toString());
    const problems = await problemsOf({
      ...sources,
      chart: renderChart(chartDir),
      chartGraph: renderChartGraph(chartDir),
    });
    assert.deepEqual(
      problems.sort(),
      [
        "checkout: the chart's NetworkPolicies do not admit its calls to cart",
        'email: the chart admits its calls to valkey-cart, the table does not list it',
      ],
      problems.join('\n'),
    );
  });

  test('negative control: compose without SERVICE_DIR, a wrong HEALTH_PORT and an unparsable port', async () => {
    const compose = structuredClone(sources.compose);
    delete compose['load-generator']?.environment?.SERVICE_DIR;
    (compose.cart as ComposeService).environment = { ...compose.cart?.environment, HEALTH_PORT: '7071' };
    (compose.quote as ComposeService).environment = { ...compose.quote?.environment, QUOTE_PORT: 'eighty' };
    const problems = await problemsOf({ ...sources, compose });
    const has = (re: RegExp) =>
      assert.ok(
        problems.some((p) => re.test(p)),
        `${re} in ${problems.join('\n')}`,
      );
    has(/^load-generator \(compose\): SERVICE_DIR is not set/);
    has(/^cart \(compose\): HEALTH_PORT is 7071, the service listens on 7070/);
    has(/^quote \(compose\): config rejects its env: .*QUOTE_PORT/s);
  });
});
