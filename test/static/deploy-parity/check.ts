// Checks one deployable's three descriptions (native supervisor, docker-compose.yml,
// the rendered chart) against its row in the component table
// (scripts/devstack/src/components). Returns problems instead of asserting, so
// a test can prove it finds a deliberately broken copy.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Component, Deployable } from '../../../scripts/devstack/src/components/index.ts';
import { HEADROOM } from '../../../scripts/devstack/src/components/index.ts';
import { expandVars } from '../../../scripts/devstack/src/env.ts';

export type Env = Record<string, string>;

export interface ComposeService {
  environment?: Record<string, string | number | boolean>;
  depends_on?: Record<string, { condition?: string; required?: boolean }>;
  mem_limit?: string;
  build?: { args?: { SERVICE_DIR?: string } };
}

export interface ChartContainer {
  name: string;
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  readinessProbe?: { grpc?: { port: number }; httpGet?: { path: string; port: number } };
  resources?: { limits?: { memory?: string }; requests?: { memory?: string } };
  ports?: { containerPort: number }[];
}

/**
 * The chart's dependencies. The chart has no start ordering (pods start in
 * parallel, readiness gates traffic, a process retries its stores), so a
 * dependency exists there as a call its NetworkPolicies admit (rendered with
 * networkPolicies.enabled) to a Service that resolves.
 */
export interface ChartGraph {
  /** Pod labels of the Deployment running each container (a sidecar under its own name). */
  podLabels: Map<string, Record<string, string>>;
  /** Service names. */
  services: Set<string>;
  /** Deployment running each container (flagd-ui runs in flagd's pod). */
  deploymentOf: Map<string, string>;
  policies: { selects: Record<string, string>; from: Record<string, string>[] | 'anywhere' }[];
}

export interface Sources {
  root: string;
  /** The repository's .env, interpolated (what env_file gives a container). */
  dotenv: Env;
  compose: Record<string, ComposeService>;
  /** Rendered chart: container by component name (a sidecar counts under its own name). */
  chart: Map<string, ChartContainer>;
  /** The native supervisor's component and the env it spawns it with. */
  native: Map<string, { component: Component; env: Env }>;
  chartGraph: ChartGraph;
}

/** A container's env as Kubernetes gives it: secrets become a placeholder, $(VAR) expands from earlier entries. */
export function chartEnv(container: ChartContainer): Env {
  const env: Env = {};
  for (const e of container.env ?? []) {
    const raw = e.valueFrom !== undefined ? 'from-a-secret' : (e.value ?? '');
    env[e.name] = raw.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string) => env[name] ?? m);
  }
  return env;
}

/** What compose gives the container: .env (env_file) overlaid by its interpolated `environment`. */
export function composeEnv(service: ComposeService, dotenv: Env): Env {
  const env: Env = { ...dotenv };
  for (const [k, v] of Object.entries(service.environment ?? {})) env[k] = expandVars(String(v), dotenv);
  return env;
}

type LoadConfig = (env: NodeJS.ProcessEnv) => Record<string, unknown>;
const configs = new Map<string, LoadConfig>();
async function loadConfigOf(root: string, d: Deployable): Promise<LoadConfig> {
  const cached = configs.get(d.dir);
  if (cached) return cached;
  const path = join(root, d.dir, 'src/config.ts');
  if (!existsSync(path)) throw new Error(`${d.name}: ${d.dir}/src/config.ts missing`);
  const mod = (await import(pathToFileURL(path).href)) as { loadConfig: LoadConfig };
  configs.set(d.dir, mod.loadConfig);
  return mod.loadConfig;
}

const mib = (v: string | undefined, unit: 'm' | 'Mi'): number | null => {
  const m = new RegExp(`^(\\d+)${unit}$`).exec(v ?? '');
  return m ? Number(m[1]) : null;
};

/** Every disagreement between the table row and the three modes, as readable sentences. */
export async function checkDeployable(d: Deployable, src: Sources): Promise<string[]> {
  const problems: string[] = [];
  const loadConfig = await loadConfigOf(src.root, d);
  const service = src.compose[d.name];
  const container = src.chart.get(d.name);
  const native = src.native.get(d.name);
  if (!service) problems.push(`${d.name}: no compose service`);
  if (!container) problems.push(`${d.name}: no chart container`);
  if (!native) problems.push(`${d.name}: not built by the native supervisor`);
  if (!service || !container || !native) return problems;

  const modes: [string, Env][] = [
    ['native', native.env],
    ['compose', composeEnv(service, src.dotenv)],
    ['chart', chartEnv(container)],
  ];
  for (const [mode, env] of modes) {
    // Env parity: the service's own config schema (zod) must accept what the mode sets.
    let config: Record<string, unknown>;
    try {
      config = loadConfig(env);
    } catch (err) {
      problems.push(`${d.name} (${mode}): config rejects its env: ${(err as Error).message}`);
      continue;
    }
    if (mode !== 'native')
      for (const key of d.containerEnv ?? [])
        if (!env[key]) problems.push(`${d.name} (${mode}): ${key} is not set`);
    if (!env.OTEL_RESOURCE_ATTRIBUTES?.includes(`service.criticality=${d.criticality}`))
      problems.push(
        `${d.name} (${mode}): OTEL_RESOURCE_ATTRIBUTES lacks service.criticality=${d.criticality}`,
      );
    if (env.OTEL_SERVICE_NAME !== d.name)
      problems.push(`${d.name} (${mode}): OTEL_SERVICE_NAME is ${env.OTEL_SERVICE_NAME}`);
    // The port the service will listen on, per its own config.
    const port = d.port
      ? Number(config.listenPort ?? config[d.port.env])
      : Number(config.HEALTH_HTTP_PORT ?? env.HEALTH_HTTP_PORT ?? 0);
    problems.push(...probeProblems(d, mode, env, port, native.component, container));
  }

  // Memory: each mode's limit as declared, and above the measured peak with headroom.
  const { memory } = d;
  const wants: [string, number | null, number, number][] = [
    ['native', native.component.memoryMiB, memory.native, memory.peak.native],
    ['compose mem_limit', mib(service.mem_limit, 'm'), memory.compose, memory.peak.container],
    ['chart limit', mib(container.resources?.limits?.memory, 'Mi'), memory.chart, memory.peak.container],
  ];
  for (const [where, actual, declared, peak] of wants) {
    if (actual !== declared)
      problems.push(`${d.name}: ${where} is ${actual} MiB, the table says ${declared}`);
    if (declared < Math.ceil(peak * HEADROOM))
      problems.push(`${d.name}: ${where} ${declared} MiB < measured peak ${peak} x ${HEADROOM}`);
  }
  const request = mib(container.resources?.requests?.memory, 'Mi');
  if (request !== memory.chartRequest)
    problems.push(`${d.name}: chart memory request is ${request} MiB, the table says ${memory.chartRequest}`);
  problems.push(...dependencyProblems(d, service));
  problems.push(...chartDependencyProblems(d, src.chartGraph));
  if (service.build?.args?.SERVICE_DIR !== d.dir)
    problems.push(
      `${d.name}: compose builds SERVICE_DIR=${service.build?.args?.SERVICE_DIR}, the table says ${d.dir}`,
    );
  return problems;
}

/** Native names of backends that compose and the chart call differently. */
const COMPOSE_NAME: Record<string, string> = { postgres: 'astronomy-db', redis: 'valkey-cart' };
/** Compose-only helpers (one-shot init containers), not components. */
const COMPOSE_HELPERS = new Set(['flagd-init']);

/** Compose waits for exactly the table's dependencies (optional ones, `required: false`, aside). */
function dependencyProblems(d: Deployable, service: ComposeService): string[] {
  const table = new Set(d.dependsOn.map((n) => COMPOSE_NAME[n] ?? n));
  const compose = new Set(
    Object.entries(service.depends_on ?? {})
      .filter(([name, dep]) => dep.required !== false && !COMPOSE_HELPERS.has(name))
      .map(([name]) => name),
  );
  const problems: string[] = [];
  for (const n of table) if (!compose.has(n)) problems.push(`${d.name}: compose does not wait for ${n}`);
  for (const n of compose)
    if (!table.has(n)) problems.push(`${d.name}: compose waits for ${n}, the table does not`);
  return problems;
}

const selects = (selector: Record<string, string>, labels: Record<string, string> | undefined) =>
  labels !== undefined && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** True when some policy selecting `callee`'s pods lets `caller`'s pods in. */
export function chartAdmits(graph: ChartGraph, caller: string, callee: string): boolean {
  const from = graph.podLabels.get(caller);
  const to = graph.podLabels.get(callee);
  return graph.policies.some(
    (p) =>
      selects(p.selects, to) && (p.from === 'anywhere' || p.from.some((selector) => selects(selector, from))),
  );
}

/**
 * Calls the chart admits that the table deliberately does not list as
 * dependencies (a dependency also means "started with it, waited for"):
 * the frontend forwards /images itself only in direct mode (no proxy in front);
 * the proxy routes /loadgen/ to the load generator, which depends on the proxy
 * (listing both ways would be a cycle), and /grafana/ to Grafana, which runs
 * natively only when installed.
 */
const CHART_ONLY_CALLS = new Set([
  'frontend → image-provider',
  'frontend-proxy → load-generator',
  'frontend-proxy → grafana',
]);

/** The chart lets `d` reach exactly the table's dependencies among our deployables, and each resolves. */
function chartDependencyProblems(d: Deployable, graph: ChartGraph): string[] {
  const problems: string[] = [];
  const table = d.dependsOn.map((n) => COMPOSE_NAME[n] ?? n);
  for (const dep of table) {
    const deployment = graph.deploymentOf.get(dep);
    if (!deployment) {
      problems.push(`${d.name}: the chart runs no ${dep} (a dependency in the table)`);
      continue;
    }
    if (!graph.services.has(deployment))
      problems.push(`${d.name}: the chart has no Service ${deployment} for its dependency ${dep}`);
    if (!chartAdmits(graph, d.name, dep))
      problems.push(`${d.name}: the chart's NetworkPolicies do not admit its calls to ${dep}`);
  }
  // The other way: a call edge to a deployable of ours must be one the table declares.
  for (const callee of graph.deploymentOf.keys()) {
    if (callee === d.name || table.includes(callee) || CHART_ONLY_CALLS.has(`${d.name} → ${callee}`))
      continue;
    const explicit = graph.policies.some(
      (p) =>
        selects(p.selects, graph.podLabels.get(callee)) &&
        p.from !== 'anywhere' &&
        p.from.some(
          (selector) =>
            selector['app.kubernetes.io/name'] !== undefined &&
            selects(selector, graph.podLabels.get(d.name)),
        ),
    );
    if (explicit)
      problems.push(`${d.name}: the chart admits its calls to ${callee}, the table does not list it`);
  }
  return problems;
}

function probeProblems(
  d: Deployable,
  mode: string,
  env: Env,
  port: number,
  component: Component,
  container: ChartContainer,
): string[] {
  const problems: string[] = [];
  const where = `${d.name} (${mode})`;
  const { probe } = d;
  if (mode === 'native') {
    const h = component.health;
    const ok =
      probe.kind === 'grpc'
        ? h.kind === 'grpc' && h.address === `127.0.0.1:${port}`
        : probe.kind === 'http'
          ? h.kind === 'http' && h.url === `http://127.0.0.1:${port}${probe.path}`
          : h.kind === 'process';
    if (!ok) problems.push(`${where}: readiness probe ${JSON.stringify(h)} is not ${probe.kind} on ${port}`);
    return problems;
  }
  // In containers the image's HEALTHCHECK reads HEALTH_PORT (gRPC) or HEALTH_URL.
  const path = probe.kind === 'http' ? probe.path : '/health';
  if (probe.kind === 'grpc' && env.HEALTH_PORT !== String(port))
    problems.push(`${where}: HEALTH_PORT is ${env.HEALTH_PORT}, the service listens on ${port}`);
  if (probe.kind !== 'grpc' && env.HEALTH_URL !== `http://127.0.0.1:${port}${path}`)
    problems.push(`${where}: HEALTH_URL is ${env.HEALTH_URL}, expected http://127.0.0.1:${port}${path}`);
  if (mode === 'chart') {
    const r = container.readinessProbe;
    const ok =
      probe.kind === 'grpc' ? r?.grpc?.port === port : r?.httpGet?.path === path && r.httpGet.port === port;
    if (!ok)
      problems.push(`${where}: readinessProbe ${JSON.stringify(r)} is not ${probe.kind} ${path} on ${port}`);
  }
  return problems;
}
