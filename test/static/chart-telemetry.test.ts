// Telemetry the chart promises, checked on the rendered objects (the live
// proof is `make test-cluster`): every telemetry source carries its Kubernetes
// identity from the downward API, Kafka's Java agent is configured where its
// image has one, and OpenSearch is optional: its Deployment, the collector's
// logs exporter config and Grafana's datasource exist together or not at all.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const chart = join(root, 'helm/astronomy-shop');
const offline = join(chart, 'values-offline.yaml');

type EnvVar = { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } };
type Container = { name: string; image: string; args?: string[]; env?: EnvVar[] };
type Obj = {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: { template?: { spec: { containers: Container[] } } };
};

let helm: string;
const render = (...args: string[]): Obj[] =>
  parseAllDocuments(
    execFileSync(helm, ['template', 'shop', chart, ...args], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }),
  )
    .map((d) => d.toJS() as Obj)
    .filter(Boolean);
const deployments = (objs: Obj[]) => objs.filter((o) => o.kind === 'Deployment');
const deployment = (objs: Obj[], name: string) => deployments(objs).find((o) => o.metadata.name === name);
const containers = (d: Obj) => d.spec?.template?.spec.containers ?? [];
const configMap = (objs: Obj[], name: string) => {
  const cm = objs.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
  assert.ok(cm, `ConfigMap ${name}`);
  return cm.data ?? {};
};
const value = (c: Container, name: string) => c.env?.find((e) => e.name === name)?.value;
/** Attributes of OTEL_RESOURCE_ATTRIBUTES as key -> value. */
const attributes = (c: Container) =>
  Object.fromEntries((value(c, 'OTEL_RESOURCE_ATTRIBUTES') ?? '').split(',').map((kv) => kv.split('=', 2)));

const DOWNWARD = {
  K8S_POD_NAME: 'metadata.name',
  K8S_POD_UID: 'metadata.uid',
  K8S_NAMESPACE_NAME: 'metadata.namespace',
  K8S_NODE_NAME: 'spec.nodeName',
};

/** Fails naming the container when its Kubernetes identity is missing or wrong. */
function assertIdentity(deploymentName: string, c: Container): void {
  const where = `${deploymentName}/${c.name}`;
  const env = c.env ?? [];
  const attrsAt = env.findIndex((e) => e.name === 'OTEL_RESOURCE_ATTRIBUTES');
  assert.ok(attrsAt >= 0, `${where}: OTEL_RESOURCE_ATTRIBUTES`);
  for (const [name, fieldPath] of Object.entries(DOWNWARD)) {
    const at = env.findIndex((e) => e.name === name);
    assert.equal(
      env[at]?.valueFrom?.fieldRef?.fieldPath,
      fieldPath,
      `${where}: ${name} from the downward API`,
    );
    // $(VAR) expands only for variables defined earlier in the list.
    assert.ok(at < attrsAt, `${where}: ${name} is defined before OTEL_RESOURCE_ATTRIBUTES`);
  }
  const attrs = attributes(c);
  assert.equal(attrs['k8s.pod.name'], '$(K8S_POD_NAME)', `${where}: k8s.pod.name`);
  assert.equal(attrs['k8s.pod.uid'], '$(K8S_POD_UID)', `${where}: k8s.pod.uid`);
  assert.equal(attrs['k8s.namespace.name'], '$(K8S_NAMESPACE_NAME)', `${where}: k8s.namespace.name`);
  assert.equal(attrs['k8s.node.name'], '$(K8S_NODE_NAME)', `${where}: k8s.node.name`);
  assert.equal(attrs['k8s.deployment.name'], deploymentName, `${where}: k8s.deployment.name`);
  assert.equal(attrs['k8s.container.name'], c.name, `${where}: k8s.container.name`);
  assert.ok(attrs['service.namespace'], `${where}: service.namespace kept`);
}

describe('chart telemetry', () => {
  let online: Obj[];
  let offlineObjs: Obj[];
  before(() => {
    helm = execFileSync('bash', [join(root, 'scripts/tools.sh'), 'helm'], { encoding: 'utf8' }).trim();
    online = render();
    offlineObjs = render('-f', offline);
  });

  test('every container that names its service carries k8s.* identity from the downward API', () => {
    for (const objs of [online, offlineObjs]) {
      const sources: string[] = [];
      for (const d of deployments(objs)) {
        for (const c of containers(d)) {
          const names = (c.env ?? []).map((e) => e.name);
          if (!names.includes('OTEL_SERVICE_NAME') && !names.includes('OTEL_RESOURCE_ATTRIBUTES')) continue;
          sources.push(c.name);
          assertIdentity(d.metadata.name, c);
        }
      }
      // The shop's 17 services and kafka: a render without them proves nothing.
      assert.ok(sources.length >= 18 && sources.includes('kafka'), `telemetry sources checked: ${sources}`);
    }
  });

  test('the identity check fails on a container without it (negative control)', () => {
    const cart = containers(deployment(online, 'cart') as Obj)[0] as Container;
    const stripped = { ...cart, env: (cart.env ?? []).filter((e) => e.name !== 'K8S_NODE_NAME') };
    assert.throws(() => assertIdentity('cart', stripped), /K8S_NODE_NAME/);
    assert.throws(() => assertIdentity('not-cart', cart), /k8s.deployment.name/);
  });

  test('offline kafka runs the OTel Java agent image with OTLP/HTTP to the collector as service kafka', () => {
    const kafka = containers(deployment(offlineObjs, 'kafka') as Obj)[0] as Container;
    assert.match(kafka.image, /^astroshop-offline\/kafka:/);
    assert.equal(value(kafka, 'OTEL_SERVICE_NAME'), 'kafka');
    assert.equal(value(kafka, 'OTEL_EXPORTER_OTLP_ENDPOINT'), 'http://otel-collector:4318');
    assert.equal(value(kafka, 'OTEL_EXPORTER_OTLP_PROTOCOL'), 'http/protobuf');
    assert.equal(attributes(kafka)['service.criticality'], 'low');
    // KAFKA_OPTS (the agent flag) comes from the image; a value here would replace it.
    assert.equal(value(kafka, 'KAFKA_OPTS'), undefined);
  });

  test('no k8sattributes processor, so no RBAC: the identity comes from the pods themselves', () => {
    // The collector would need a ServiceAccount with pod/replicaset read access
    // for k8sattributes; the chart grants none, so no config may use it.
    for (const objs of [online, offlineObjs]) {
      const rbac = objs.filter((o) => /^(Cluster)?Role(Binding)?$/.test(o.kind)).map((o) => o.metadata.name);
      assert.deepEqual(rbac, [], 'no Role/ClusterRole/binding rendered');
      for (const [file, text] of Object.entries(configMap(objs, 'otel-collector-config')))
        assert.doesNotMatch(text, /k8s_?attributes/, `${file} uses no k8sattributes processor`);
    }
  });

  const opensearchParts = (objs: Obj[]) => {
    const collector = containers(deployment(objs, 'otel-collector') as Obj)[0] as Container;
    return {
      deployment: deployment(objs, 'opensearch') !== undefined,
      datasource: 'opensearch.yaml' in configMap(objs, 'grafana-datasources'),
      collectorFile: 'config.opensearch.yaml' in configMap(objs, 'otel-collector-config'),
      collectorArg: (collector.args ?? []).includes('--config=/conf/config.opensearch.yaml'),
      // Grafana needs the datasource's plugin (absent when Grafana is, offline).
      grafanaPlugin: ((g) =>
        g ? value(g, 'GF_INSTALL_PLUGINS') === 'grafana-opensearch-datasource' : false)(
        containers(deployment(objs, 'grafana') ?? ({} as Obj))[0],
      ),
    };
  };

  test('OpenSearch on by default: its Deployment, the collector logs exporter, the Grafana datasource and plugin', () => {
    assert.deepEqual(opensearchParts(online), {
      deployment: true,
      datasource: true,
      collectorFile: true,
      collectorArg: true,
      grafanaPlugin: true,
    });
    const ds = parseYaml(configMap(online, 'grafana-datasources')['opensearch.yaml'] as string) as {
      datasources: { uid: string; url: string }[];
    };
    assert.deepEqual(
      ds.datasources.map((d) => [d.uid, d.url]),
      [['webstore-logs', 'http://opensearch:9200/']],
    );
    const cfg = parseYaml(configMap(online, 'otel-collector-config')['config.opensearch.yaml'] as string) as {
      exporters: Record<string, { http: { endpoint: string } }>;
      service: { pipelines: { logs: { exporters: string[] } } };
    };
    assert.equal(cfg.exporters.opensearch?.http.endpoint, 'http://opensearch:9200');
    assert.deepEqual(cfg.service.pipelines.logs.exporters, ['opensearch']);
  });

  test('OpenSearch disabled (offline values, or --set): none of its parts, no datasource pointing nowhere', () => {
    const none = {
      deployment: false,
      datasource: false,
      collectorFile: false,
      collectorArg: false,
      grafanaPlugin: false,
    };
    assert.deepEqual(opensearchParts(offlineObjs), none);
    assert.deepEqual(opensearchParts(render('--set', 'components.opensearch.enabled=false')), none);
    const collector = containers(deployment(offlineObjs, 'otel-collector') as Obj)[0] as Container;
    // The templated arg is dropped, not left as an empty string the collector would reject.
    assert.deepEqual(collector.args, ['--config=/conf/config.yaml', '--config=/conf/config.k8s.yaml']);
  });
});
