// A Deployable (shop.ts, edge.ts) as a native process: node with the telemetry
// preload, its built bundle (scripts/bundle; the TypeScript source where it has
// none), the same probes as the containers.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Target as BundleTarget,
  isCurrent,
  serviceTarget,
  telemetryTarget,
} from '../../../bundle/targets.ts';
import type { Component, Deployable, Health, Skipped, StackContext } from './types.ts';
import { num } from './util.ts';

/**
 * What a Node service waits for natively before it is spawned: the stores it
 * connects to at boot (a pool or consumer started against an absent store
 * only logs errors and retries), flagd (healthy in ~2 s; a provider whose
 * first connection failed would sit in its reconnect backoff with defaults
 * while a test flips a flag), and for the load generator the proxy it sends
 * every request to. Not the collector (telemetry export never blocks a
 * request) and not the gRPC/HTTP neighbours (channels connect on first use;
 * readiness says when they answer): waiting for those only serialised the
 * start (issue 17). Not Kafka either: its JVM and Java agent take 10-15 s to
 * open the port on the loaded 2-core machine, and checkout (orders wait in
 * its outbox), accounting and fraud-detection (the consumer retries until it
 * joins its group) started only after that added their own ~3 s of start to
 * every `make start`; they reach Kafka within ~2 s of it opening (kafkajs
 * retries at most 2 s apart). dependsOn stays whole: `--only` pulls them in,
 * compose waits for them.
 */
const BOOT_NEEDS = new Set(['postgres', 'redis', 'flagd', 'frontend-proxy']);

/**
 * V8 sized for small services (issue 17; scripts/image/entrypoint.sh passes
 * the same, test/static/node-flags-parity.test.ts compares them). Measured on
 * idle bench instances of currency, all at once (PSS, MiB): V8 defaults with
 * 2 MiB semi-spaces 62; with these and MALLOC_ARENA_MAX 55.5. CPU per
 * ListProducts call of product-catalog at concurrency 8 (3 interleaved
 * rounds): 1.08 ms with them, 1.24 ms with 2 MiB semi-spaces and four workers.
 * - 1 MiB semi-spaces (V8: 16): the services' allocations are small and short-lived.
 * - One V8 platform worker instead of four: three fewer threads, each with its
 *   own stack and malloc arena; GC helpers only, the JavaScript stays on the main thread.
 * Not kept: --no-maglev (V8's mid-tier JIT). Its compilations leave 8-13 MiB
 * of malloc'ed memory in glibc's main heap a few minutes into light load
 * (product-catalog at 2.5 calls/s: 45 -> 55-59 MiB PSS in 6 min with Maglev,
 * 45 -> 48 without), but without it PlaceOrder at 4 workers took p50 113 ms
 * (28.4 orders/s) against 91 ms (34.5/s) with it, on the same stack minutes
 * apart, and GetProduct +12-16 % CPU per call in one A/B: every request
 * paying 20 % for a one-time heap step was the wrong trade.
 * Also not kept: --optimize-for-size (another 5 MiB idle, but 17-30 % more CPU
 * per call), --single-threaded-gc (no gain over one worker), MALLOC_ARENA_MAX=1
 * and MALLOC_MMAP_THRESHOLD_=65536 (the same step), a full GC 15 s after start
 * (the same step).
 */
export const NODE_FLAGS = ['--max-semi-space-size=1', '--v8-pool-size=1'];

/**
 * At most two glibc malloc arenas (default 8 per core): every thread that
 * mallocs otherwise gets its own arena, and their free pages stay resident.
 */
export const NODE_ENV_SIZING = { MALLOC_ARENA_MAX: '2' };

/** Readiness and liveness per the probe contract (types.ts, Probe). */
export function nativeProbes(d: Deployable, port: number): { health: Health; liveness?: Health } {
  switch (d.probe.kind) {
    case 'grpc':
      return {
        health: { kind: 'grpc', address: `127.0.0.1:${port}` },
        liveness: { kind: 'grpc', address: `127.0.0.1:${port}`, service: 'liveness' },
      };
    case 'http':
      return {
        health: { kind: 'http', url: `http://127.0.0.1:${port}${d.probe.path}` },
        liveness: { kind: 'http', url: `http://127.0.0.1:${port}/livez` },
      };
    case 'consumer':
      return { health: { kind: 'process', upForMs: 3000 } };
  }
}

/** Rebuilds the bundles whose sources changed since they were built (~1 s each). */
function ensureBundles(ctx: StackContext, targets: BundleTarget[]): void {
  const stale = targets.filter((t) => !isCurrent(t));
  if (stale.length === 0) return;
  const script = join(ctx.repoRoot, 'scripts/bundle/bundle.ts');
  execFileSync(join(ctx.tools.node, 'node'), [script, ...stale.map((t) => t.name)], {
    stdio: 'ignore',
    timeout: 120_000,
  });
}

export function nodeService(d: Deployable, ctx: StackContext): Component | Skipped {
  const { repoRoot, env, tools } = ctx;
  const main = join(repoRoot, d.dir, 'src/main.ts');
  if (!existsSync(main))
    return { name: d.name, group: 'services', reason: `${d.dir}/src/main.ts does not exist yet` };
  const port = d.port ? num(env, d.port.env, d.port.default) : 0;
  // V8's heap stays well below the process limit: code, buffers and the
  // OTel SDK live outside it.
  const heapMiB = Math.max(48, Math.floor(d.memory.native * 0.6));
  const register = join(repoRoot, 'packages/telemetry/src/register.ts');
  // Built JavaScript (scripts/bundle) where the service has a bundle: about
  // 40 MiB less PSS per process than type-stripping the sources at start.
  const bundle = serviceTarget(d.dir, repoRoot);
  const registerBundle = telemetryTarget(repoRoot);
  return {
    name: d.name,
    group: 'services',
    command: [
      join(tools.node, 'node'),
      `--max-old-space-size=${heapMiB}`,
      ...NODE_FLAGS,
      '--import',
      bundle ? registerBundle.outFile : register,
      bundle ? bundle.outFile : main,
    ],
    // A source changed since the last build (an edit, then `restart`): rebuild first.
    ...(bundle ? { prepare: () => ensureBundles(ctx, [registerBundle, bundle]) } : {}),
    cwd: join(repoRoot, d.dir),
    env: {
      OTEL_SERVICE_NAME: d.name,
      OTEL_RESOURCE_ATTRIBUTES:
        `${env.OTEL_RESOURCE_ATTRIBUTES ?? ''},service.criticality=${d.criticality}`.replace(/^,/, ''),
      FLAGD_OFFLINE_FLAG_SOURCE_PATH: env.FLAGD_FILE ?? '',
      ...NODE_ENV_SIZING,
      ...(d.nativeEnv?.(port) ?? {}),
    },
    ports: port ? [port] : [],
    url: d.url?.(port) ?? (port ? `127.0.0.1:${port}` : undefined),
    ...nativeProbes(d, port),
    memoryMiB: d.memory.native,
    dependsOn: d.dependsOn,
    waitFor: d.dependsOn.filter((n) => BOOT_NEEDS.has(n)),
    restart: 'always',
    startTimeoutS: 60,
  };
}
