// What the chart promises at run time, checked on the rendered objects (the
// live proof is `make test-cluster`): liveness never follows dependencies, the
// recommendation leak ends in a kernel OOM kill, the load generator starts the
// right entry and may target the proxy, Kafka keeps its data off /tmp, opt-in
// NetworkPolicies cover every real call edge, and the offline values select
// only images built here.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
let helm: string;
type Probe = {
  grpc?: { port: number; service?: string };
  httpGet?: { path: string };
  tcpSocket?: unknown;
  exec?: unknown;
};
type Container = {
  name: string;
  image: string;
  imagePullPolicy?: string;
  env?: { name: string; value: string }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  volumeMounts?: { name: string; mountPath: string }[];
  resources: { limits: { memory: string; cpu?: string }; requests: { memory: string; cpu: string } };
};
type Obj = {
  kind: string;
  metadata: { name: string };
  spec: {
    template: { spec: { containers: Container[]; volumes?: { name: string; emptyDir?: unknown }[] } };
    podSelector?: { matchLabels: Record<string, string> };
    ingress?: { from?: { podSelector: { matchLabels: Record<string, string> } }[] }[];
  };
};
const render = (...args: string[]): Obj[] =>
  parseAllDocuments(
    execFileSync(helm, ['template', 'shop', join(root, 'helm/astronomy-shop'), ...args], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }),
  )
    .map((d) => d.toJS() as Obj)
    .filter(Boolean);
const deployments = (objs: Obj[]) => objs.filter((o) => o.kind === 'Deployment');
const container = (objs: Obj[], name: string) => {
  const d = deployments(objs).find((o) => o.metadata.name === name);
  assert.ok(d, `deployment ${name}`);
  return d.spec.template.spec.containers[0] as Container;
};
const envOf = (c: Container) => Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value]));
const mib = (q: string) => Number.parseInt(q, 10) * (q.endsWith('Gi') ? 1024 : 1);

describe('chart at run time', () => {
  let objs: Obj[];
  before(() => {
    helm = execFileSync('bash', [join(root, 'scripts/tools.sh'), 'helm'], { encoding: 'utf8' }).trim();
    objs = render();
  });

  test('liveness asks only the process: gRPC service "liveness", HTTP /livez, never the readiness check', () => {
    for (const d of deployments(objs)) {
      for (const c of d.spec.template.spec.containers) {
        const where = `${d.metadata.name}/${c.name}`;
        const live = c.livenessProbe;
        const ready = c.readinessProbe;
        assert.ok(live && ready, `${where} has both probes`);
        if (ready.grpc)
          assert.equal(live.grpc?.service, 'liveness', `${where} liveness checks service "liveness"`);
        // Third-party servers have no /livez: their values name a process-only endpoint.
        if (ready.httpGet && c.image.includes('astronomy-shop:')) {
          assert.equal(live.httpGet?.path, '/livez', `${where} liveness is GET /livez`);
        }
      }
    }
  });

  test('the recommendation leak reaches the container limit before V8 gives up', () => {
    const c = container(objs, 'recommendation');
    const cap = /--max-old-space-size=(\d+)/.exec(envOf(c).NODE_EXTRA_ARGS ?? '')?.[1];
    assert.ok(cap, 'NODE_EXTRA_ARGS sets a V8 heap cap');
    assert.ok(
      Number(cap) > mib(c.resources.limits.memory),
      `heap cap ${cap} MiB above the ${c.resources.limits.memory} limit`,
    );
  });

  test('Node services get at least 192Mi, ad a CPU limit, every container a CPU request', () => {
    const ours = deployments(objs).filter((d) =>
      d.spec.template.spec.containers[0]?.image.includes('astronomy-shop:'),
    );
    assert.ok(ours.length >= 15);
    for (const d of ours) {
      for (const c of d.spec.template.spec.containers) {
        assert.ok(mib(c.resources.limits.memory) >= 192, `${c.name}: ${c.resources.limits.memory}`);
        assert.ok(c.resources.requests.cpu, `${c.name} requests CPU`);
      }
    }
    assert.ok(container(objs, 'ad').resources.limits.cpu, 'ad has a CPU limit');
  });

  test('load generator: loadgen/ entry and a remote target allowed', () => {
    const e = envOf(container(objs, 'load-generator'));
    assert.equal(e.SERVICE_DIR, 'loadgen');
    assert.equal(e.LOADGEN_ALLOW_REMOTE, 'true');
  });

  test('Kafka keeps its data on its own volume, not /tmp', () => {
    const c = container(objs, 'kafka');
    const dir = envOf(c).KAFKA_LOG_DIRS ?? '';
    assert.ok(!dir.startsWith('/tmp'), dir);
    const mount = c.volumeMounts?.find((m) => dir.startsWith(m.mountPath) && m.name !== 'tmp');
    assert.ok(mount, `a volume mounted at ${dir}`);
  });

  test('Grafana: anonymous Admin like the original', () => {
    assert.equal(envOf(container(objs, 'grafana')).GF_AUTH_ANONYMOUS_ORG_ROLE, 'Admin');
  });

  test('NetworkPolicies: none by default; opted in, deny-all plus one per called component', () => {
    assert.equal(objs.filter((o) => o.kind === 'NetworkPolicy').length, 0);
    const np = render('--set', 'networkPolicies.enabled=true').filter((o) => o.kind === 'NetworkPolicy');
    const names = np.map((o) => o.metadata.name);
    assert.ok(names.includes('shop-deny-all-ingress'));
    for (const called of [
      'frontend-proxy',
      'frontend',
      'cart',
      'checkout',
      'product-catalog',
      'kafka',
      'valkey-cart',
      'flagd',
      'otel-collector',
    ]) {
      assert.ok(names.includes(called), `policy for ${called}`);
    }
    const cart = np.find((o) => o.metadata.name === 'cart');
    const from = cart?.spec.ingress?.[0]?.from
      ?.map((f) => f.podSelector.matchLabels['app.kubernetes.io/name'])
      .sort();
    assert.deepEqual(from, ['checkout', 'frontend']);
  });

  test('offline values: only local images, never pulled, no Grafana', () => {
    const offline = render('-f', join(root, 'helm/astronomy-shop/values-offline.yaml'));
    assert.ok(!deployments(offline).some((d) => d.metadata.name === 'grafana'), 'grafana left out');
    for (const d of deployments(offline)) {
      for (const c of d.spec.template.spec.containers) {
        // Ours under the chart's default name, third-party ones from the offline set.
        assert.match(
          c.image,
          /^(ghcr\.io\/astronomy-shop\/astronomy-shop:|astroshop-offline\/)/,
          `${d.metadata.name}/${c.name}: ${c.image}`,
        );
        assert.notEqual(c.imagePullPolicy, 'Always');
      }
    }
  });
});
