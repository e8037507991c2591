// The container and cluster paths, validated offline with real tools (no
// engine or cluster runs here): hadolint, the compose-spec and GitHub workflow
// schemas (check-jsonschema), helm lint/template, Kubernetes schemas in strict
// mode (kubernetes-validate), and the Dockerfile's own build script.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createClient, HealthCheckResponse_ServingStatus, HealthClient, unary } from '@astroshop/proto';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const tool = (name: string) =>
  execFileSync('bash', [join(root, 'scripts/tools.sh'), name], { encoding: 'utf8' }).trim();
const run = (cmd: string, args: string[], options: { input?: string } = {}) =>
  execFileSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });

let helm: string;
let validators: string;
type Container = {
  name: string;
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  resources?: { limits?: { memory?: string }; requests?: { memory?: string } };
  securityContext?: { allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
};
type K8sObject = {
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
};
let rendered: K8sObject[];

const renderChart = (...args: string[]) =>
  parseAllDocuments(run(helm, ['template', 'shop', 'helm/astronomy-shop', ...args]))
    .map((d) => d.toJS() as K8sObject)
    .filter(Boolean);

const envFile = Object.fromEntries(
  readFileSync(join(root, '.env'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z0-9_]+=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);
const compose = parseYaml(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    { build?: { args?: { SERVICE?: string } }; mem_limit?: string; healthcheck?: unknown }
  >;
};
const values = parseYaml(readFileSync(join(root, 'helm/astronomy-shop/values.yaml'), 'utf8')) as {
  components: Record<
    string,
    {
      enabled: boolean;
      image?: unknown;
      env?: Record<string, string>;
      ports?: { port: number }[];
      memory: string;
    }
  >;
};

/** Our TypeScript deployables, by the name users know (service.name). */
const deployables = [
  ...readdirSync(join(root, 'services')).filter((d) => existsSync(join(root, 'services', d, 'package.json'))),
  'load-generator',
].sort();

describe('container and cluster deployment', () => {
  before(() => {
    helm = tool('helm');
    validators = tool('pyvalidators');
    rendered = renderChart();
  });

  test('the Dockerfile passes hadolint', () => {
    run(join(validators, 'hadolint'), ['Dockerfile']);
  });

  test('docker-compose.yml and the CI workflow validate against their schemas', () => {
    run(join(validators, 'check-jsonschema'), [
      '--builtin-schema',
      'vendor.compose-spec',
      'docker-compose.yml',
    ]);
    run(join(validators, 'check-jsonschema'), [
      '--builtin-schema',
      'vendor.github-workflows',
      '.github/workflows/images.yml',
    ]);
  });

  test('compose builds every deployable with the one Dockerfile and has a healthcheck path for each', () => {
    const built = Object.entries(compose.services)
      .filter(([, s]) => s.build)
      .map(([name]) => name)
      .sort();
    assert.deepEqual(built, deployables);
    const backends = ['kafka', 'astronomy-db', 'valkey-cart', 'opensearch'];
    for (const name of backends) assert.ok(compose.services[name]?.healthcheck, `${name} has a healthcheck`);
    const totalMiB = Object.values(compose.services).reduce(
      (sum, s) => sum + Number.parseInt(s.mem_limit ?? '0', 10),
      0,
    );
    assert.ok(totalMiB < 6000, `compose memory limits sum to ${totalMiB} MiB (original: ~7000)`);
  });

  test('helm lint passes and the chart renders objects valid in strict Kubernetes schemas', () => {
    run(helm, ['lint', '--strict', 'helm/astronomy-shop']);
    const manifest = run(helm, ['template', 'shop', 'helm/astronomy-shop']);
    run(join(validators, 'kubernetes-validate'), ['-k', '1.33.0', '--strict', '--quiet', '-'], {
      input: manifest,
    });
  });

  test('every container has probes, memory requests ≤ limits and a restricted security context', () => {
    const deployments = rendered.filter((o) => o.kind === 'Deployment');
    assert.ok(deployments.length >= 20);
    for (const d of deployments) {
      const pod = (d.spec as { template: { spec: { containers: Container[] } } }).template.spec;
      for (const c of pod.containers) {
        const where = `${d.metadata.name}/${c.name}`;
        assert.ok(c.readinessProbe && c.livenessProbe, `${where} has probes`);
        assert.ok(
          c.resources?.limits?.memory && c.resources?.requests?.memory,
          `${where} has memory request+limit`,
        );
        assert.equal(
          c.securityContext?.allowPrivilegeEscalation,
          false,
          `${where} forbids privilege escalation`,
        );
        assert.deepEqual(c.securityContext?.capabilities?.drop, ['ALL'], `${where} drops capabilities`);
      }
    }
  });

  test('global.imageRegistry reaches every image, third-party ones included', () => {
    const objects = renderChart('--set', 'global.imageRegistry=mirror.example.com');
    const images = JSON.stringify(objects).match(/"image":"[^"]+"/g) ?? [];
    assert.ok(images.length > 20);
    for (const image of images) assert.match(image, /"image":"mirror\.example\.com\//);
  });

  test('flags can be set from values, and a typo fails the install', () => {
    const objects = renderChart('--set', 'flags.recommendationCacheFailure=on');
    const flags = JSON.parse(
      objects.find((o) => o.metadata.name === 'flagd-config')?.data?.['demo.flagd.json'] ?? '{}',
    );
    assert.equal(flags.flags.recommendationCacheFailure.defaultVariant, 'on');
    assert.throws(() => renderChart('--set', 'flags.recomendationCacheFailure=on'), /no such flag/);
    assert.throws(() => renderChart('--set', 'components.cart.memroy=1Mi'), /memroy/);
  });

  test('ports and addresses agree between .env, compose and the chart', () => {
    const chartComponents = Object.entries(values.components)
      .filter(([, c]) => c.image === undefined && c.enabled)
      .map(([name]) => name);
    for (const name of deployables.filter((d) => d !== 'flagd-ui')) {
      assert.ok(chartComponents.includes(name), `chart deploys ${name}`);
    }
    // Every *_PORT / *_ADDR the chart sets that .env also defines must match,
    // except the frontend's port (its own pod in the cluster, behind the proxy natively).
    for (const [name, component] of Object.entries(values.components)) {
      for (const [key, value] of Object.entries(component.env ?? {})) {
        if (
          !/_(PORT|ADDR)$/.test(key) ||
          !(key in envFile) ||
          key === 'FRONTEND_PORT' ||
          key === 'FRONTEND_ADDR'
        )
          continue;
        assert.equal(value, envFile[key], `${name}: ${key}`);
      }
      const portKey = `${name.toUpperCase().replaceAll('-', '_')}_PORT`;
      if (envFile[portKey] && component.ports && name !== 'frontend') {
        assert.equal(
          component.ports[0]?.port,
          Number(envFile[portKey]),
          `${name} service port = .env ${portKey}`,
        );
      }
    }
  });

  test('generated copies are current: chart files and the plain manifest', () => {
    run('bash', ['scripts/sync-chart-files.sh', '--check']);
    run('bash', ['scripts/render-k8s.sh', '--check']);
  });
});

describe('image build script (what the Dockerfile runs)', () => {
  let out: string;
  let child: ReturnType<typeof spawn> | undefined;
  before(() => {
    out = mkdtempSync(join(tmpdir(), 'astroshop-image-'));
  });
  after(() => {
    child?.kill('SIGKILL');
    rmSync(out, { recursive: true, force: true });
  });

  test('assembles a bundle-only tree that starts and reports SERVING', async () => {
    run('bash', ['scripts/image/build-service.sh', 'currency', out]);
    const store = readdirSync(join(out, 'node_modules', '.pnpm'));
    for (const devOnly of [
      'typescript@',
      '@biomejs+biome@',
      'fast-check@',
      'ts-proto@',
      'esbuild@',
      'zod@',
    ]) {
      assert.ok(
        !store.some((p) => p.startsWith(devOnly)),
        `${devOnly} is not in the image (bundled or dev-only)`,
      );
    }
    assert.ok(
      store.some((p) => p.startsWith('@grpc+grpc-js@')),
      'the external grpc-js is in the image',
    );
    assert.ok(!existsSync(join(out, 'services/currency/src')), 'no sources in the image');
    const port = 17_901;
    child = spawn(
      process.execPath,
      ['--import', './packages/telemetry/dist/register.mjs', 'services/currency/dist/main.mjs'],
      {
        cwd: out,
        env: {
          ...process.env,
          CURRENCY_PORT: String(port),
          LISTEN_HOST: '127.0.0.1',
          OTEL_SDK_DISABLED: 'true',
        },
        stdio: 'ignore',
      },
    );
    const health = createClient(HealthClient, `127.0.0.1:${port}`);
    const check = unary(health.check, health);
    let status: number | undefined;
    for (let i = 0; i < 40 && status === undefined; i++) {
      status = await check({ service: '' }, { timeoutMs: 500 }).then(
        (r) => r.status,
        async () => {
          await new Promise((resolve) => setTimeout(resolve, 250));
          return undefined;
        },
      );
    }
    health.close();
    assert.equal(status, HealthCheckResponse_ServingStatus.SERVING);
  });
});
