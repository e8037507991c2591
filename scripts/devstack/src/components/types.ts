// The shapes every component file shares: what the supervisor runs (Component)
// and how one of our deployables is declared once for every mode (Deployable).

export type Health =
  | { kind: 'tcp'; port: number }
  | { kind: 'http'; url: string }
  /** grpc.health.v1 Check; `service` '' (readiness) unless given (`liveness`). */
  | { kind: 'grpc'; address: string; service?: string }
  | { kind: 'command'; argv: string[] }
  /** PING answered with PONG (in-process, no redis-cli). */
  | { kind: 'redis'; port: number }
  /** Accepting connections, as pg_isready judges it (in-process). */
  | { kind: 'postgres'; port: number }
  /** Healthy once the process has stayed up this long (no listener). */
  | { kind: 'process'; upForMs: number };

export type Group = 'backends' | 'services';

/** One native process as the supervisor runs it. */
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
  /** Hard limit: memory of the process tree above it -> SIGKILL (OOMKilled). */
  memoryMiB: number;
  /** Started with it (`--only`) and stopped after it. */
  dependsOn: string[];
  /**
   * The dependencies that must be healthy before the spawn (default: all of
   * dependsOn). Only what the process needs at boot: telemetry export never
   * blocks a request and gRPC channels connect on first use, so waiting for
   * the collector or a neighbour only serialises the start.
   */
  waitFor?: string[];
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
  otelJavaagent: string;
  redis: string;
  postgresBin: string;
  grafana: string;
  /** Where `jaeger` came from: an official release (real UI) or our Go build (placeholder UI). */
  jaegerSource?: 'JAEGER_BIN' | 'PATH' | 'built';
}

export interface StackContext {
  repoRoot: string;
  runDir: string;
  env: Record<string, string>;
  tools: Tools;
}

/**
 * How a deployable says it is alive and ready, the same in every mode:
 * - grpc: grpc.health.v1 on its port (Check("") readiness, Check("liveness"));
 * - http: GET <path> (readiness) and /livez (liveness) on its port;
 * - consumer: no listener of its own; containers probe GET /health on
 *   HEALTH_HTTP_PORT (9464), natively "stayed up" (two consumers would share 9464).
 */
export type Probe = { kind: 'grpc' } | { kind: 'http'; path: string } | { kind: 'consumer' };

/**
 * One of our own deployables (a directory with a service, one image, one
 * compose service, one chart component), declared once. The native supervisor
 * is built from it; test/static/deploy-parity.test.ts checks docker-compose.yml
 * and the chart against it.
 */
export interface Deployable {
  /** service.name = compose service = chart component. */
  name: string;
  /** Source dir = the image's SERVICE_DIR. */
  dir: string;
  /** The listen-port variable of its config and its .env value (containers). */
  port?: { env: string; default: number };
  probe: Probe;
  /** Upstream service.criticality (spec 2.0). */
  criticality: 'critical' | 'high' | 'medium' | 'low';
  dependsOn: string[];
  /**
   * Memory in MiB. peak: measured (native: PSS of the process tree in `make
   * status` under the default load; container: `docker stats` peak in
   * `make test-compose`). Limits must be >= peak x HEADROOM (the parity test
   * checks it); the leaking services keep extra room on purpose.
   */
  memory: {
    peak: { native: number; container: number };
    native: number;
    compose: number;
    chart: number;
    chartRequest: number;
  };
  /**
   * Variables compose and the chart must set although the config parses
   * without them (a default that is wrong in a container, e.g. the load
   * generator's LOADGEN_ALLOW_REMOTE).
   */
  containerEnv?: string[];
  /** Native-only env on top of .env(.native). */
  nativeEnv?: (port: number) => Record<string, string>;
  /** Native URL shown by `make start`. */
  url?: (port: number) => string;
}

/** Limits must leave this much room above the measured peak. */
export const HEADROOM = 1.4;
