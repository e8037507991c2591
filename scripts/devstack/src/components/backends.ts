// Data stores and the flag server, natively: PostgreSQL, Redis (for Valkey),
// Kafka (KRaft, one node) and our flagd stand-in. One function per component.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isCurrent, telemetryTarget } from '../../../bundle/targets.ts';
import type { Component, StackContext } from './types.ts';
import { num } from './util.ts';

export function postgres(ctx: StackContext): Component {
  const { repoRoot, runDir, env, tools } = ctx;
  const pgPort = num(env, 'POSTGRES_PORT', 5432);
  const pgData = postgresDataDir(runDir);
  const pgSock = join(dirname(pgData), 'pg-sockets');
  const pg = (bin: string) => join(tools.postgresBin, bin);
  return {
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
    // pg_isready's judgement, in-process (spawning it every probe cost ~12 ms of CPU).
    health: { kind: 'postgres', port: pgPort },
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
  };
}

export function redis(ctx: StackContext): Component {
  const { runDir, env, tools } = ctx;
  const data = join(runDir, 'data');
  const redisPort = Number((env.VALKEY_ADDR ?? '').split(':')[1]) || 6379;
  return {
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
    health: { kind: 'redis', port: redisPort },
    memoryMiB: 96,
    dependsOn: [],
    restart: 'always',
    startTimeoutS: 20,
    prepare: () => mkdirSync(join(data, 'redis'), { recursive: true }),
  };
}

export function kafka(ctx: StackContext): Component {
  const { repoRoot, runDir, env, tools } = ctx;
  const data = join(runDir, 'data');
  const kafkaDir = join(data, 'kafka');
  const kafkaProps = join(runDir, 'kafka-server.properties');
  const kafkaCp = `${tools.kafkaLibs}/*`;
  const log4j = `-Dlog4j2.configurationFile=${join(repoRoot, 'kafka/log4j2.properties')}`;
  return {
    name: 'kafka',
    group: 'backends',
    command: [
      'java',
      '-Xms128m',
      '-Xmx384m',
      '-XX:+UseSerialGC',
      // The OTel Java agent's own classes live in metaspace too.
      '-XX:MaxMetaspaceSize=160m',
      '-XX:TieredStopAtLevel=1',
      '-Xss512k',
      '-Djava.awt.headless=true',
      // As the original's broker: the agent sends JVM and broker JMX metrics
      // and the broker's log4j logs as service.name=kafka, and only those
      // (kafka/otel-agent.properties, shared with the offline image).
      `-javaagent:${tools.otelJavaagent}`,
      `-Dotel.javaagent.configuration-file=${join(repoRoot, 'kafka/otel-agent.properties')}`,
      log4j,
      '-cp',
      kafkaCp,
      'kafka.Kafka',
      kafkaProps,
    ],
    cwd: runDir,
    env: {
      OTEL_SERVICE_NAME: 'kafka',
      // The agent speaks OTLP/HTTP, as the original's kafka does.
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${num(env, 'OTEL_COLLECTOR_PORT_HTTP', 4318)}`,
      OTEL_RESOURCE_ATTRIBUTES: `${env.OTEL_RESOURCE_ATTRIBUTES ?? ''},service.criticality=low`.replace(
        /^,/,
        '',
      ),
    },
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
  };
}

export function flagd(ctx: StackContext): Component {
  const { repoRoot, env, tools } = ctx;
  const flagdPort = num(env, 'FLAGD_PORT', 8013);
  // The built telemetry preload when it is current (make start builds it):
  // ~0.2 s less CPU at start than type-stripping its sources, and the nine
  // services that wait for flagd start that much earlier.
  const bundle = telemetryTarget(repoRoot);
  const register = isCurrent(bundle) ? bundle.outFile : join(repoRoot, 'packages/telemetry/src/register.ts');
  return {
    name: 'flagd',
    group: 'backends',
    command: [
      join(tools.node, 'node'),
      '--max-old-space-size=64',
      // Telemetry like the original's flagd (traces + metrics as service flagd).
      '--import',
      register,
      join(repoRoot, 'scripts/devstack/src/flagd-server.ts'),
      '--uri',
      `file:${env.FLAGD_FILE}`,
    ],
    cwd: repoRoot,
    env: {
      OTEL_SERVICE_NAME: 'flagd',
      OTEL_RESOURCE_ATTRIBUTES: `${env.OTEL_RESOURCE_ATTRIBUTES ?? ''},service.criticality=low`.replace(
        /^,/,
        '',
      ),
    },
    ports: [flagdPort, num(env, 'FLAGD_MANAGEMENT_PORT', 8014), num(env, 'FLAGD_OFREP_PORT', 8016)],
    url: `http://127.0.0.1:${num(env, 'FLAGD_OFREP_PORT', 8016)}/ofrep/v1/evaluate/flags`,
    health: { kind: 'http', url: `http://127.0.0.1:${num(env, 'FLAGD_MANAGEMENT_PORT', 8014)}/readyz` },
    liveness: { kind: 'http', url: `http://127.0.0.1:${num(env, 'FLAGD_MANAGEMENT_PORT', 8014)}/livez` },
    memoryMiB: 160,
    dependsOn: [],
    restart: 'always',
    startTimeoutS: 30,
  };
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
