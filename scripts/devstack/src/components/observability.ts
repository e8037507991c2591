// Telemetry backends, natively: Jaeger, Prometheus, the collector and (when a
// grafana-server binary is on PATH) Grafana. One function per component.
import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Component, Skipped, StackContext } from './types.ts';
import { num } from './util.ts';

export function jaeger(ctx: StackContext): Component {
  const { repoRoot, runDir, env, tools } = ctx;
  const jaegerUi = num(env, 'JAEGER_UI_PORT', 16686);
  return {
    name: 'jaeger',
    group: 'backends',
    command: [tools.jaeger, '--config', `file:${join(repoRoot, 'jaeger/config.yaml')}`],
    cwd: runDir,
    env: { GOMEMLIMIT: '400MiB', JAEGER_UI_CONFIG: join(repoRoot, 'jaeger/ui-config.json') },
    ports: [
      num(env, 'JAEGER_GRPC_PORT', 4327),
      num(env, 'JAEGER_HTTP_PORT', 4328),
      jaegerUi,
      num(env, 'JAEGER_HEALTH_PORT', 13134),
    ],
    url: `http://localhost:${jaegerUi}${env.JAEGER_BASE_PATH ?? '/jaeger/ui'}`,
    health: { kind: 'http', url: `http://127.0.0.1:${num(env, 'JAEGER_HEALTH_PORT', 13134)}/status` },
    memoryMiB: 512,
    dependsOn: [],
    restart: 'always',
    startTimeoutS: 60,
  };
}

export function prometheus(ctx: StackContext): Component {
  const { repoRoot, runDir, env, tools } = ctx;
  const data = join(runDir, 'data');
  const promPort = num(env, 'PROMETHEUS_PORT', 9090);
  const promRoot = join(dirname(tools.prometheus), '../..');
  return {
    name: 'prometheus',
    group: 'backends',
    command: [
      tools.prometheus,
      `--config.file=${join(repoRoot, 'prometheus/prometheus.yml')}`,
      `--storage.tsdb.path=${join(data, 'prometheus')}`,
      '--storage.tsdb.retention.time=7d',
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--web.enable-remote-write-receiver',
      '--web.enable-lifecycle',
      '--web.route-prefix=/',
      '--enable-feature=exemplar-storage',
      // A warm start reads the head back from a snapshot written at stop
      // instead of replaying the WAL (8 s of a 10 s start, measured).
      '--enable-feature=memory-snapshot-on-shutdown',
      `--web.local-assets=${join(promRoot, 'usr/share/prometheus/web')}/`,
      `--web.console.templates=${join(promRoot, 'etc/prometheus/consoles')}`,
      `--web.console.libraries=${join(promRoot, 'etc/prometheus/console_libraries')}`,
    ],
    cwd: join(repoRoot, 'prometheus'),
    env: { GOMEMLIMIT: '300MiB' },
    ports: [promPort],
    url: `http://localhost:${promPort}`,
    health: { kind: 'http', url: `http://127.0.0.1:${promPort}/-/ready` },
    memoryMiB: 512,
    dependsOn: [],
    restart: 'always',
    startTimeoutS: 60,
    prepare: () => mkdirSync(join(data, 'prometheus'), { recursive: true }),
  };
}

export function otelCollector(ctx: StackContext): Component {
  const { repoRoot, runDir, env, tools } = ctx;
  return {
    name: 'otel-collector',
    group: 'backends',
    command: [
      tools.otelcol,
      '--config',
      join(repoRoot, 'otel-collector/config.yaml'),
      '--config',
      join(repoRoot, 'otel-collector/config.native.yaml'),
    ],
    cwd: runDir,
    env: {
      GOMEMLIMIT: '160MiB',
      OTELCOL_HOST_NAME: hostname(),
      DEPLOYMENT_ENVIRONMENT_NAME: env.DEPLOYMENT_ENVIRONMENT_NAME ?? 'native',
    },
    ports: [
      num(env, 'OTEL_COLLECTOR_PORT_GRPC', 4317),
      num(env, 'OTEL_COLLECTOR_PORT_HTTP', 4318),
      num(env, 'OTEL_COLLECTOR_HEALTH_PORT', 13133),
    ],
    url: `http://127.0.0.1:${num(env, 'OTEL_COLLECTOR_PORT_HTTP', 4318)}`,
    health: { kind: 'http', url: `http://127.0.0.1:${num(env, 'OTEL_COLLECTOR_HEALTH_PORT', 13133)}/` },
    memoryMiB: 300,
    dependsOn: ['jaeger', 'prometheus'],
    // As compose's service_started: its exporters queue and retry until
    // Jaeger and Prometheus answer (Prometheus replays its WAL for seconds).
    waitFor: [],
    restart: 'always',
    startTimeoutS: 45,
    prepare: () => mkdirSync(join(runDir, 'logs'), { recursive: true }),
  };
}

/** Grafana when a grafana-server binary is on PATH (no registry we reach ships one). */
export function grafana(ctx: StackContext): Component | Skipped {
  const { repoRoot, runDir, env, tools } = ctx;
  const data = join(runDir, 'data');
  if (tools.grafana) {
    const gPort = num(env, 'GRAFANA_PORT', 3000);
    return {
      name: 'grafana',
      group: 'backends',
      command: [
        tools.grafana,
        ...(basename(tools.grafana) === 'grafana-server' ? [] : ['server']),
        `--homepath=${grafanaHome(tools.grafana)}`,
      ],
      cwd: runDir,
      env: {
        GF_SERVER_HTTP_ADDR: '127.0.0.1',
        GF_SERVER_HTTP_PORT: String(gPort),
        GF_SERVER_ROOT_URL: 'http://localhost:8080/grafana',
        GF_SERVER_SERVE_FROM_SUB_PATH: 'true',
        GF_PATHS_DATA: join(data, 'grafana'),
        GF_PATHS_LOGS: join(runDir, 'logs'),
        GF_PATHS_PROVISIONING: join(repoRoot, 'grafana/provisioning'),
        GF_SECURITY_ADMIN_USER: env.GRAFANA_ADMIN_USER ?? 'admin',
        GF_SECURITY_ADMIN_PASSWORD: env.GRAFANA_ADMIN_PASSWORD ?? 'admin',
        // Like the original: anonymous visitors are Admin, so Explore works
        // without a login (a local demo; the admin login is DEMO-ONLY too).
        GF_AUTH_ANONYMOUS_ENABLED: 'true',
        GF_AUTH_ANONYMOUS_ORG_ROLE: 'Admin',
      },
      ports: [gPort],
      url: `http://localhost:${gPort}/grafana`,
      health: { kind: 'http', url: `http://127.0.0.1:${gPort}/grafana/api/health` },
      memoryMiB: 256,
      dependsOn: ['prometheus', 'jaeger'],
      restart: 'always',
      startTimeoutS: 90,
    };
  }
  return { name: 'grafana', group: 'backends', reason: 'no grafana-server binary on PATH (use Prometheus)' };
}

/** Grafana's home (conf/defaults.ini lives there): GRAFANA_HOME, Debian's path, or next to the binary. */
function grafanaHome(bin: string): string {
  const candidates = [
    process.env.GRAFANA_HOME,
    '/usr/share/grafana',
    join(dirname(bin), '..', 'share', 'grafana'),
    join(dirname(bin), '..'),
  ];
  for (const c of candidates) if (c && existsSync(join(c, 'conf', 'defaults.ini'))) return c;
  return '/usr/share/grafana';
}
