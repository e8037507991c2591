// The native stack: one row per process. The supervisor (supervisor.ts) starts
// rows in dependency order, checks their health, restarts them with backoff
// and enforces their memory limits.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

export type Health =
  | { kind: 'tcp'; port: number }
  | { kind: 'http'; url: string }
  /** grpc.health.v1 Check; `service` '' (readiness) unless given (`liveness`). */
  | { kind: 'grpc'; address: string; service?: string }
  | { kind: 'command'; argv: string[] }
  /** Healthy once the process has stayed up this long (no listener). */
  | { kind: 'process'; upForMs: number };

export type Group = 'backends' | 'services';

export interface Component {
  name: string;
  group: Group;
  /** argv[0] is the program. */
  command: string[];
  cwd: string;
  env: Record<string, string>;
  ports: number[];
  /** Shown in `status` and the URL table. */
  url?: string;
  /** Readiness: shown in `status`; may follow dependencies. Never restarts. */
  health: Health;
  /** Liveness: the process answers. Failing it repeatedly restarts the component. */
  liveness?: Health;
  /** Hard limit: RSS of the process group above it -> SIGKILL (OOMKilled). */
  memoryMiB: number;
  dependsOn: string[];
  restart: 'always' | 'on-failure' | 'never';
  /** Seconds allowed to become healthy on start. */
  startTimeoutS: number;
  /** Signal for a graceful stop (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
  /** Run the process as this user (postgres refuses to run as root). */
  runAs?: { uid?: number; gid?: number };
  /** Run before each spawn (synchronous, may throw). */
  prepare?: () => void;
  /** Run once the health check first passes (e.g. apply init.sql). */
  afterHealthy?: () => Promise<void> | void;
}

export interface Skipped {
  name: string;
  group: Group;
  reason: string;
}

export interface Tools {
  node: string;
  otelcol: string;
  jaeger: string;
  prometheus: string;
  kafkaLibs: string;
  redis: string;
  postgresBin: string;
  grafana: string;
}

export interface StackContext {
  repoRoot: string;
  runDir: string;
  env: Record<string, string>;
  tools: Tools;
}

const num = (env: Record<string, string>, key: string, fallback: number): number => {
  const v = Number(env[key]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};

/** TypeScript services: `name` (upstream service name), dir, port var, health. */
interface TsService {
  name: string;
  dir: string;
  portVar?: string;
  defaultPort?: number;
  health: 'grpc' | 'http' | 'process';
  healthPath?: string;
  memoryMiB: number;
  dependsOn: string[];
  url?: (port: number) => string;
  extraEnv?: (ctx: StackContext, port: number) => Record<string, string>;
}

const BACKEND_DEPS = ['otel-collector'];

const TS_SERVICES: TsService[] = [
  {
    name: 'currency',
    dir: 'services/currency',
    portVar: 'CURRENCY_PORT',
    defaultPort: 7001,
    health: 'grpc',
    memoryMiB: 256,
    dependsOn: BACKEND_DEPS,
  },
  {
    name: 'product-catalog',
    dir: 'services/product-catalog',
    portVar: 'PRODUCT_CATALOG_PORT',
    defaultPort: 3550,
    health: 'grpc',
    memoryMiB: 256,
    dependsOn: [...BACKEND_DEPS, 'postgres', 'flagd'],
  },
  {
    name: 'cart',
    dir: 'services/cart',
    portVar: 'CART_PORT',
    defaultPort: 7070,
    health: 'grpc',
    memoryMiB: 256,
    dependsOn: [...BACKEND_DEPS, 'redis', 'flagd'],
  },
  {
    name: 'payment',
    dir: 'services/payment',
    portVar: 'PAYMENT_PORT',
    defaultPort: 50051,
    health: 'grpc',
    memoryMiB: 256,
    dependsOn: [...BACKEND_DEPS, 'flagd'],
  },
  {
    name: 'quote',
    dir: 'services/quote',
    portVar: 'QUOTE_PORT',
    defaultPort: 8090,
    health: 'http',
    memoryMiB: 256,
    dependsOn: BACKEND_DEPS,
  },
  {
    name: 'shipping',
    dir: 'services/shipping',
    portVar: 'SHIPPING_PORT',
    defaultPort: 50050,
    health: 'http',
    memoryMiB: 256,
    dependsOn: [...BACKEND_DEPS, 'quote', 'flagd'],
  },
  {
    name: 'email',
    dir: 'services/email',
    portVar: 'EMAIL_PORT',
    defaultPort: 6060,
    health: 'http',
    memoryMiB: 256,
    dependsOn: [...BACKEND_DEPS, 'flagd'],
  },
  {
    name: 'ad',
    dir: 'services/ad',
    portVar: 'AD_PORT',
    defaultPort: 9555,
    health: 'grpc',
    memoryMiB: 256,
    dependsOn: [...BACKEND_DEPS, 'flagd'],
  },
  // Node + the OTel SDK idle at 120-180 MiB RSS, hence 256 MiB limits. The
  // recommendationCacheFailure leak must end in a crash (V8 heap limit, ~60 %
  // of the limit, or our RSS limit) and a restart, like a pod OOMKill.
  {
    name: 'recommendation',
    dir: 'services/recommendation',
    portVar: 'RECOMMENDATION_PORT',
    defaultPort: 9001,
    health: 'grpc',
    memoryMiB: 256,
    dependsOn: [...BACKEND_DEPS, 'product-catalog', 'flagd'],
  },
  {
    name: 'checkout',
    dir: 'services/checkout',
    portVar: 'CHECKOUT_PORT',
    defaultPort: 5050,
    health: 'grpc',
    memoryMiB: 256,
    dependsOn: [
      ...BACKEND_DEPS,
      'cart',
      'product-catalog',
      'currency',
      'payment',
      'shipping',
      'email',
      'kafka',
      'flagd',
    ],
  },
  {
    name: 'accounting',
    dir: 'services/accounting',
    health: 'process',
    memoryMiB: 256,
    dependsOn: [...BACKEND_DEPS, 'kafka', 'postgres'],
  },
  {
    name: 'fraud-detection',
    dir: 'services/fraud-detection',
    health: 'process',
    memoryMiB: 256,
    dependsOn: [...BACKEND_DEPS, 'kafka', 'flagd'],
  },
  {
    name: 'image-provider',
    dir: 'services/image-provider',
    portVar: 'IMAGE_PROVIDER_PORT',
    defaultPort: 8081,
    health: 'http',
    memoryMiB: 256,
    dependsOn: BACKEND_DEPS,
  },
  {
    name: 'flagd-ui',
    dir: 'services/flagd-ui',
    portVar: 'FLAGD_UI_PORT',
    defaultPort: 4000,
    health: 'http',
    memoryMiB: 256,
    dependsOn: [...BACKEND_DEPS, 'flagd'],
  },
  {
    name: 'frontend',
    dir: 'services/frontend',
    portVar: 'FRONTEND_PORT',
    defaultPort: 8082,
    health: 'http',
    memoryMiB: 512,
    dependsOn: [
      ...BACKEND_DEPS,
      'ad',
      'cart',
      'checkout',
      'currency',
      'product-catalog',
      'recommendation',
      'shipping',
    ],
    extraEnv: (_ctx, port) => ({ PORT: String(port) }),
  },
  {
    name: 'frontend-proxy',
    dir: 'services/frontend-proxy',
    portVar: 'ENVOY_PORT',
    defaultPort: 8080,
    health: 'http',
    healthPath: '/healthz',
    memoryMiB: 256,
    dependsOn: [...BACKEND_DEPS, 'frontend', 'image-provider', 'flagd', 'flagd-ui', 'jaeger'],
    url: (port) => `http://localhost:${port}`,
  },
  {
    name: 'load-generator',
    dir: 'loadgen',
    portVar: 'LOADGEN_PORT',
    defaultPort: 8089,
    health: 'http',
    memoryMiB: 512,
    dependsOn: [...BACKEND_DEPS, 'frontend-proxy', 'flagd'],
  },
];

/** Upstream service.criticality values (spec 2.0). */
const CRITICALITY: Record<string, string> = {
  checkout: 'critical',
  frontend: 'critical',
  'frontend-proxy': 'critical',
  payment: 'critical',
  cart: 'high',
  currency: 'high',
  'product-catalog': 'high',
  shipping: 'high',
  ad: 'medium',
  email: 'medium',
  recommendation: 'medium',
};

export function buildStack(ctx: StackContext): { components: Component[]; skipped: Skipped[] } {
  const { repoRoot, runDir, env, tools } = ctx;
  const data = join(runDir, 'data');
  const components: Component[] = [];
  const skipped: Skipped[] = [];

  // ------------------------------------------------------------ postgres
  const pgPort = num(env, 'POSTGRES_PORT', 5432);
  const pgData = postgresDataDir(runDir);
  const pgSock = join(dirname(pgData), 'pg-sockets');
  const pg = (bin: string) => join(tools.postgresBin, bin);
  components.push({
    name: 'postgres',
    group: 'backends',
    command: [
      pg('postgres'),
      '-D',
      pgData,
      '-p',
      String(pgPort),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${pgSock}`,
      '-c',
      'shared_preload_libraries=pg_stat_statements',
      '-c',
      'shared_buffers=32MB',
      '-c',
      'max_connections=50',
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
    ],
    cwd: runDir,
    env: {},
    ports: [pgPort],
    url: `postgres://127.0.0.1:${pgPort}`,
    health: { kind: 'command', argv: [pg('pg_isready'), '-q', '-h', '127.0.0.1', '-p', String(pgPort)] },
    memoryMiB: 256,
    dependsOn: [],
    restart: 'always',
    startTimeoutS: 60,
    runAs: asPostgresUser(),
    // SIGTERM is postgres' "smart" shutdown (waits for every client to leave).
    stopSignal: 'SIGINT',
    prepare: () => {
      const user = asPostgresUser();
      const own = (path: string) => {
        if (user.uid !== undefined && user.gid !== undefined) chownSync(path, user.uid, user.gid);
      };
      mkdirSync(pgSock, { recursive: true });
      own(pgSock);
      if (existsSync(join(pgData, 'PG_VERSION'))) return;
      mkdirSync(dirname(pgData), { recursive: true });
      mkdirSync(pgData, { recursive: true, mode: 0o700 });
      own(pgData);
      const pwFile = join(pgSock, 'pgpass.tmp');
      writeFileSync(pwFile, `${env.POSTGRES_PASSWORD ?? 'changeit'}\n`, { mode: 0o600 });
      own(pwFile);
      // initdb and postgres refuse to run as root: as root (CI), both run as
      // the `postgres` system user that Debian's package creates.
      try {
        execFileSync(
          pg('initdb'),
          [
            '-D',
            pgData,
            '-U',
            'postgres',
            '--auth-host=md5',
            '--auth-local=trust',
            `--pwfile=${pwFile}`,
            '-E',
            'UTF8',
            '--locale=C',
          ],
          { stdio: 'pipe', ...user },
        );
      } finally {
        rmSync(pwFile, { force: true });
      }
    },
    afterHealthy: () => {
      execFileSync(
        pg('psql'),
        [
          '-v',
          'ON_ERROR_STOP=1',
          '-q',
          '-h',
          pgSock,
          '-p',
          String(pgPort),
          '-U',
          'postgres',
          '-d',
          'postgres',
          '-f',
          join(repoRoot, 'postgresql/init.sql'),
        ],
        {
          stdio: 'pipe',
          env: {
            ...process.env,
            PGCONNECT_TIMEOUT: '5',
            // init.sql sets the demo users' passwords from these (.env).
            POSTGRES_ASTRONOMY_PASSWORD: env.POSTGRES_ASTRONOMY_PASSWORD ?? '',
            POSTGRES_MONITORING_PASSWORD: env.POSTGRES_MONITORING_PASSWORD ?? '',
          },
        },
      );
    },
  });

  // --------------------------------------------------------------- redis
  const redisPort = Number((env.VALKEY_ADDR ?? '').split(':')[1]) || 6379;
  components.push({
    name: 'redis',
    group: 'backends',
    command: [
      tools.redis,
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      join(data, 'redis'),
      '--daemonize',
      'no',
      '--maxmemory',
      '48mb',
      '--maxmemory-policy',
      'allkeys-lru',
    ],
    cwd: runDir,
    env: {},
    ports: [redisPort],
    url: `redis://127.0.0.1:${redisPort}`,
    health: { kind: 'command', argv: ['redis-cli', '-h', '127.0.0.1', '-p', String(redisPort), 'ping'] },
    memoryMiB: 96,
    dependsOn: [],
    restart: 'always',
    startTimeoutS: 20,
    prepare: () => mkdirSync(join(data, 'redis'), { recursive: true }),
  });

  // --------------------------------------------------------------- kafka
  const kafkaDir = join(data, 'kafka');
  const kafkaProps = join(runDir, 'kafka-server.properties');
  const kafkaCp = `${tools.kafkaLibs}/*`;
  const log4j = `-Dlog4j2.configurationFile=${join(repoRoot, 'kafka/log4j2.properties')}`;
  components.push({
    name: 'kafka',
    group: 'backends',
    command: [
      'java',
      '-Xms128m',
      '-Xmx384m',
      '-XX:+UseSerialGC',
      '-XX:MaxMetaspaceSize=96m',
      '-XX:TieredStopAtLevel=1',
      '-Xss512k',
      '-Djava.awt.headless=true',
      log4j,
      '-cp',
      kafkaCp,
      'kafka.Kafka',
      kafkaProps,
    ],
    cwd: runDir,
    env: {},
    ports: [9092, 9093],
    url: 'kafka://127.0.0.1:9092',
    health: { kind: 'tcp', port: 9092 },
    memoryMiB: 700,
    dependsOn: [],
    restart: 'always',
    startTimeoutS: 90,
    prepare: () => {
      mkdirSync(kafkaDir, { recursive: true });
      const props = readFileSync(join(repoRoot, 'kafka/server.properties'), 'utf8').replace(
        /^log\.dirs=.*$/m,
        `log.dirs=${kafkaDir}`,
      );
      writeFileSync(kafkaProps, props);
      if (existsSync(join(kafkaDir, 'meta.properties'))) return;
      // The demo's fixed cluster id; formatting happens once per data dir.
      execFileSync(
        'java',
        [
          log4j,
          '-cp',
          kafkaCp,
          'kafka.tools.StorageTool',
          'format',
          '-t',
          env.KAFKA_CLUSTER_ID ?? 'ckjPoprWQzOf0-FuNkGfFQ',
          '-c',
          kafkaProps,
          '--ignore-formatted',
        ],
        { stdio: 'pipe' },
      );
    },
  });

  // --------------------------------------------------------------- flagd
  const flagdPort = num(env, 'FLAGD_PORT', 8013);
  components.push({
    name: 'flagd',
    group: 'backends',
    command: [
      join(tools.node, 'node'),
      '--max-old-space-size=64',
      join(repoRoot, 'scripts/devstack/src/flagd-server.ts'),
      '--uri',
      `file:${env.FLAGD_FILE}`,
    ],
    cwd: repoRoot,
    env: { OTEL_SERVICE_NAME: 'flagd' },
    ports: [flagdPort, num(env, 'FLAGD_MANAGEMENT_PORT', 8014), num(env, 'FLAGD_OFREP_PORT', 8016)],
    url: `http://127.0.0.1:${num(env, 'FLAGD_OFREP_PORT', 8016)}/ofrep/v1/evaluate/flags`,
    health: { kind: 'http', url: `http://127.0.0.1:${num(env, 'FLAGD_MANAGEMENT_PORT', 8014)}/readyz` },
    liveness: { kind: 'http', url: `http://127.0.0.1:${num(env, 'FLAGD_MANAGEMENT_PORT', 8014)}/livez` },
    memoryMiB: 160,
    dependsOn: [],
    restart: 'always',
    startTimeoutS: 30,
  });

  // -------------------------------------------------------------- jaeger
  const jaegerUi = num(env, 'JAEGER_UI_PORT', 16686);
  components.push({
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
  });

  // ---------------------------------------------------------- prometheus
  const promPort = num(env, 'PROMETHEUS_PORT', 9090);
  const promRoot = join(dirname(tools.prometheus), '../..');
  components.push({
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
  });

  // ------------------------------------------------------ otel-collector
  components.push({
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
    restart: 'always',
    startTimeoutS: 45,
    prepare: () => mkdirSync(join(runDir, 'logs'), { recursive: true }),
  });

  // ------------------------------------------------------------- grafana
  if (tools.grafana) {
    const gPort = num(env, 'GRAFANA_PORT', 3000);
    components.push({
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
    });
  } else {
    skipped.push({
      name: 'grafana',
      group: 'backends',
      reason: 'no grafana-server binary on PATH (use Prometheus)',
    });
  }

  // ------------------------------------------------- TypeScript services
  const register = join(repoRoot, 'packages/telemetry/src/register.ts');
  for (const svc of TS_SERVICES) {
    const main = join(repoRoot, svc.dir, 'src/main.ts');
    if (!existsSync(main)) {
      skipped.push({
        name: svc.name,
        group: 'services',
        reason: `${svc.dir}/src/main.ts does not exist yet`,
      });
      continue;
    }
    const port = svc.portVar ? num(env, svc.portVar, svc.defaultPort ?? 0) : 0;
    // V8's heap stays well below the process limit: code, buffers and the
    // OTel SDK live outside it.
    const heapMiB = Math.max(48, Math.floor(svc.memoryMiB * 0.6));
    // Probe contract: readiness is gRPC Check("") or GET /health; liveness is
    // Check("liveness") or GET /livez, which never depend on another service.
    let health: Health;
    let liveness: Health | undefined;
    if (svc.health === 'grpc') {
      health = { kind: 'grpc', address: `127.0.0.1:${port}` };
      liveness = { kind: 'grpc', address: `127.0.0.1:${port}`, service: 'liveness' };
    } else if (svc.health === 'http') {
      health = { kind: 'http', url: `http://127.0.0.1:${port}${svc.healthPath ?? '/health'}` };
      liveness = { kind: 'http', url: `http://127.0.0.1:${port}/livez` };
    } else health = { kind: 'process', upForMs: 3000 };
    const criticality = CRITICALITY[svc.name] ?? 'low';
    components.push({
      name: svc.name,
      group: 'services',
      command: [join(tools.node, 'node'), `--max-old-space-size=${heapMiB}`, '--import', register, main],
      cwd: join(repoRoot, svc.dir),
      env: {
        OTEL_SERVICE_NAME: svc.name,
        OTEL_RESOURCE_ATTRIBUTES:
          `${env.OTEL_RESOURCE_ATTRIBUTES ?? ''},service.criticality=${criticality}`.replace(/^,/, ''),
        FLAGD_OFFLINE_FLAG_SOURCE_PATH: env.FLAGD_FILE ?? '',
        ...(svc.extraEnv?.(ctx, port) ?? {}),
      },
      ports: port ? [port] : [],
      url: svc.url?.(port) ?? (port ? `127.0.0.1:${port}` : undefined),
      health,
      ...(liveness ? { liveness } : {}),
      memoryMiB: svc.memoryMiB,
      dependsOn: svc.dependsOn,
      restart: 'always',
      startTimeoutS: 60,
    });
  }
  return { components, skipped };
}

/** initdb and postgres refuse to run as root: use the `postgres` system user then. */
let pgUser: { uid?: number; gid?: number } | undefined;
export function asPostgresUser(): { uid?: number; gid?: number } {
  if (pgUser) return pgUser;
  if (process.getuid?.() !== 0) {
    pgUser = {};
    return pgUser;
  }
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    pgUser = { uid, gid };
    return pgUser;
  } catch {
    throw new Error(
      'running as root but there is no `postgres` system user (apt-get install postgresql-15 creates it)',
    );
  }
}

/**
 * <run dir>/data/postgres, unless the `postgres` user (used when we are root)
 * cannot reach the run dir (e.g. a checkout under /root): then a directory
 * under /var/tmp keyed by the run dir's path.
 */
export function postgresDataDir(runDir: string): string {
  const preferred = join(runDir, 'data', 'postgres');
  const user = asPostgresUser();
  if (user.uid === undefined) return preferred;
  mkdirSync(runDir, { recursive: true });
  try {
    execFileSync('test', ['-x', runDir, '-a', '-w', '/tmp'], {
      stdio: 'ignore',
      uid: user.uid,
      gid: user.gid,
    });
    return preferred;
  } catch {
    const key = createHash('sha256').update(runDir).digest('hex').slice(0, 12);
    return join('/var/tmp', `astroshop-${key}`, 'postgres');
  }
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
