// CPU per request of our product-catalog against a Go product-catalog built
// here from the original's specification (bench/go-reference/product-catalog;
// the original's source is not reachable from here). Both run with telemetry
// on, against the running stack's Postgres, collector and flagd, on spare
// loopback ports, driven by the same gRPC load client at the same concurrency
// in interleaved rounds. CPU is each process's utime + stime from /proc over
// exactly the measured window (a warm-up before each window is not counted).
// Before any load, both must answer alike (same product list, same product,
// NotFound for an unknown id), or nothing is measured.
//   node bench/go-compare.ts          (stack running; builds the reference once)
// Flags: both evaluate productCatalogFailure the way our services run natively
// (FLAGD_RESOLVER from .env.native: in-process, from the flag file);
// BENCH_FLAGD_RESOLVER=rpc makes both call the stack's flagd instead (the
// original's default; that flagd's CPU is then counted on neither side).
// BENCH_TELEMETRY=off runs both with OTEL_SDK_DISABLED=true: how much of the
// gap is the runtime and how much the telemetry (`make bench` keeps it on).
//   BENCH_GO_CONCURRENCY (2), BENCH_SECONDS (10), BENCH_ROUNDS (3), BENCH_FLAGD_RESOLVER, BENCH_TELEMETRY
import { deepStrictEqual } from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, ProductCatalogServiceClient, unary } from '@astroshop/proto';
import { loadNativeEnv } from '../scripts/devstack/src/env.ts';
import { freePort } from '../test/lib/free-port.ts';
import {
  cpuSeconds,
  describeErrors,
  drive,
  type Instance,
  type LoadResult,
  ROOT,
  RUN_DIR,
  sleep,
  startInstance,
  waitReady,
} from './lib.ts';
import { getProduct, listProducts, type Target } from './overhead.ts';

const BUILD_SCRIPT = join(ROOT, 'bench/go-reference/product-catalog/build.sh');
/** Both sides log at the same level; info is what either runs with in the stack. */
const LOG_LEVEL = 'info';
const UNKNOWN_ID = 'NOSUCHPRODUCT0';

/** FLAGD_RESOLVER for both sides; undefined: the native environment's. */
const flagResolver = (env: Record<string, string>) =>
  process.env.BENCH_FLAGD_RESOLVER ?? env.FLAGD_RESOLVER ?? 'rpc';

export interface GoLoad {
  concurrency: number;
  seconds: number;
  rounds: number;
  warmupSeconds?: number;
  /** Telemetry on for both sides (default) or off for both. */
  telemetry?: boolean;
}

export interface SideFigures {
  /** CPU milliseconds per successful call over all measured windows. */
  cpuMsPerCall: number;
  calls: number;
  errors: number;
  errorText: string;
  /** Best round's throughput and its p50. */
  throughput: number;
  p50: number;
}

export interface RpcComparison {
  rpc: string;
  ours: SideFigures;
  go: SideFigures;
  /** ours ÷ Go, CPU per call. */
  ratio: number;
}

export interface GoComparison {
  rpcs: RpcComparison[];
  /** Resident MiB of each idle process before any load, and after all rounds. */
  rss: { ours: [number, number]; go: [number, number] };
  load: GoLoad;
  flagResolver: string;
}

/** Builds (once per content, cached) and returns the reference binary's path. */
export function buildGoReference(): string {
  const out = execFileSync('bash', [BUILD_SCRIPT], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 20 * 60_000,
  });
  const path = out.trim().split('\n').at(-1);
  if (!path) throw new Error(`${BUILD_SCRIPT} printed no binary path`);
  return path;
}

/** The Go reference on a spare port with the native stack's environment and ours' bench settings. */
async function startGoReference(binary: string, telemetry: boolean): Promise<Instance> {
  const env = loadNativeEnv(ROOT, RUN_DIR);
  const port = await freePort();
  const child = spawn(binary, [], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      ...env,
      LISTEN_HOST: '127.0.0.1',
      PRODUCT_CATALOG_PORT: String(port),
      OTEL_SERVICE_NAME: 'product-catalog-go-bench',
      OTEL_RESOURCE_ATTRIBUTES: `${env.OTEL_RESOURCE_ATTRIBUTES ?? ''},service.criticality=high`,
      // As the original's compose file sets it: stable database semantic conventions.
      OTEL_SEMCONV_STABILITY_OPT_IN: 'database',
      OTEL_SDK_DISABLED: telemetry ? 'false' : 'true',
      LOG_LEVEL,
      FLAGD_RESOLVER: flagResolver(env),
      FLAGD_OFFLINE_FLAG_SOURCE_PATH: env.FLAGD_FILE ?? '',
      // Same pool size as our bench instance (bench/lib.ts).
      DB_POOL_MAX: '2',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.once('exit', stop);
  return { name: 'product-catalog-go', telemetry, port, child, stop };
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** The answers a client sees, as comparable plain data: a value or a gRPC code + message. */
async function answer(call: () => Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await call() };
  } catch (error) {
    const e = error as { code?: number; details?: string };
    return { code: e.code, details: e.details };
  }
}

/**
 * Throws unless both serve the same catalogue: ListProducts, one product,
 * NotFound "Product Not Found: <id>" for an unknown id, and the same answer for
 * the product productCatalogFailure targets (failing or not, per the flag file). A product list that is
 * empty on both sides fails too (nothing compared).
 */
export async function checkSameAnswers(ours: Instance, go: Instance): Promise<number> {
  const answers = async (i: Instance) => {
    const client = createClient(ProductCatalogServiceClient, `127.0.0.1:${i.port}`);
    const list = unary(client.listProducts, client);
    const get = unary(client.getProduct, client);
    try {
      return {
        list: await answer(() => list({}, { timeoutMs: 5000 })),
        product: await answer(() => get({ id: '66VCHSJNUP' }, { timeoutMs: 5000 })),
        unknown: await answer(() => get({ id: UNKNOWN_ID }, { timeoutMs: 5000 })),
        // The one product productCatalogFailure targets: both evaluate the flag alike.
        flagged: await answer(() => get({ id: 'OLJCESPC7Z' }, { timeoutMs: 5000 })),
      };
    } finally {
      client.close();
    }
  };
  const [a, b] = [await answers(ours), await answers(go)];
  deepStrictEqual(b, a, 'the Go reference answers differently from ours');
  const count = (a.list as { ok?: { products: unknown[] } }).ok?.products.length ?? 0;
  if (count === 0)
    throw new Error(`ListProducts returned no products on either side: ${JSON.stringify(a.list)}`);
  if ((a.unknown as { code?: number }).code !== 5)
    throw new Error(`GetProduct(${UNKNOWN_ID}) is not NotFound: ${JSON.stringify(a.unknown)}`);
  return count;
}

/** One measured window of one side: its calls and the CPU-seconds they took. */
interface Window {
  result: LoadResult;
  cpu: number;
}

/** One side's window: a short unmeasured warm-up, then CPU and calls over the same span. */
async function measure(instance: Instance, target: Target, load: GoLoad): Promise<Window> {
  const caller = target.open(instance);
  try {
    await drive(caller.call, { concurrency: load.concurrency, seconds: load.warmupSeconds ?? 2 });
    const pid = instance.child.pid as number;
    const before = cpuSeconds(pid);
    const result = await drive(caller.call, { concurrency: load.concurrency, seconds: load.seconds });
    return { result, cpu: cpuSeconds(pid) - before };
  } finally {
    caller.close();
  }
}

const figures = (runs: Window[]): SideFigures => {
  const calls = runs.reduce((a, r) => a + r.result.calls, 0);
  const cpu = runs.reduce((a, r) => a + r.cpu, 0);
  const best = runs.reduce((a, r) => (r.result.throughput > a.result.throughput ? r : a));
  return {
    cpuMsPerCall: calls ? (cpu * 1000) / calls : Number.NaN,
    calls,
    errors: runs.reduce((a, r) => a + r.result.errors, 0),
    errorText: runs
      .map((r) => describeErrors(r.result))
      .filter(Boolean)
      .join('; '),
    throughput: best.result.throughput,
    p50: best.result.p50,
  };
};

export async function compareWithGo(load: GoLoad): Promise<GoComparison> {
  const binary = buildGoReference();
  const resolver = flagResolver(loadNativeEnv(ROOT, RUN_DIR));
  const telemetry = load.telemetry ?? true;
  const ours = await startInstance('product-catalog', 'PRODUCT_CATALOG_PORT', telemetry, {
    LOG_LEVEL,
    FLAGD_RESOLVER: resolver,
  });
  const go = await startGoReference(binary, telemetry);
  try {
    for (const instance of [ours, go]) await waitReady(instance, () => getProduct.ready(instance));
    await checkSameAnswers(ours, go);
    // Idle: a few seconds of nothing (the first metric export included).
    await sleep(3000);
    const idle = [ours, go].map((i) => rssMiB(i.child.pid as number));
    const rpcs: RpcComparison[] = [];
    for (const [rpc, target] of [
      ['GetProduct', getProduct],
      ['ListProducts', listProducts],
    ] as const) {
      const runs: Record<'ours' | 'go', Window[]> = { ours: [], go: [] };
      for (let round = 0; round < load.rounds; round++) {
        // Alternate who goes first, so a slow spell of the machine hits both.
        const order = round % 2 === 0 ? (['ours', 'go'] as const) : (['go', 'ours'] as const);
        for (const side of order) runs[side].push(await measure(side === 'ours' ? ours : go, target, load));
      }
      const [o, g] = [figures(runs.ours), figures(runs.go)];
      rpcs.push({ rpc, ours: o, go: g, ratio: o.cpuMsPerCall / g.cpuMsPerCall });
    }
    const after = [ours, go].map((i) => rssMiB(i.child.pid as number));
    return {
      rpcs,
      rss: { ours: [idle[0] ?? 0, after[0] ?? 0], go: [idle[1] ?? 0, after[1] ?? 0] },
      load,
      flagResolver: resolver,
    };
  } finally {
    ours.stop();
    go.stop();
  }
}

/** One line for the `make bench` table. */
export const summary = (c: GoComparison): string =>
  c.rpcs
    .map(
      (r) =>
        `${r.rpc} ${r.ratio.toFixed(2)}× (ours ${r.ours.cpuMsPerCall.toFixed(2)} vs Go ${r.go.cpuMsPerCall.toFixed(2)} ms CPU/call)`,
    )
    .join(', ') +
  `; c=${c.load.concurrency}, ${c.load.rounds}×${c.load.seconds} s interleaved; flags ${c.flagResolver}; RSS ours ${c.rss.ours[1].toFixed(0)} vs Go ${c.rss.go[1].toFixed(0)} MiB after load`;

if (import.meta.main) {
  const load: GoLoad = {
    concurrency: Number(process.env.BENCH_GO_CONCURRENCY ?? 2),
    seconds: Number(process.env.BENCH_SECONDS ?? 10),
    rounds: Number(process.env.BENCH_ROUNDS ?? 3),
    telemetry: process.env.BENCH_TELEMETRY !== 'off',
  };
  const c = await compareWithGo(load);
  const side = (label: string, s: SideFigures) =>
    `  ${label.padEnd(5)} CPU ${s.cpuMsPerCall.toFixed(3)} ms/call  ${s.throughput.toFixed(0).padStart(5)} req/s (best)  p50 ${s.p50.toFixed(2)} ms  calls ${s.calls}  errors ${s.errors}${s.errors ? ` (${s.errorText})` : ''}`;
  for (const r of c.rpcs)
    console.log(
      `${r.rpc}\n${side('ours', r.ours)}\n${side('Go', r.go)}\n  ratio ours ÷ Go ${r.ratio.toFixed(2)}×`,
    );
  console.log(
    `RSS MiB idle → after load: ours ${c.rss.ours.map((n) => n.toFixed(0)).join(' → ')}, Go ${c.rss.go.map((n) => n.toFixed(0)).join(' → ')}`,
  );
  console.log(
    `load: concurrency ${load.concurrency}, ${load.rounds} interleaved rounds of ${load.seconds} s per RPC; flag resolver ${c.flagResolver}; telemetry ${load.telemetry ? 'on' : 'off'}`,
  );
}
