// What telemetry costs a service, in one run: two bench instances of the same
// service (telemetry on, and OTEL_SDK_DISABLED=true), driven one at a time in
// interleaved rounds with the same closed-loop load, against the running
// stack's dependencies. Each round drives both, back to back, in alternating
// order (off, on, then on, off); the ratio is the median over rounds of that
// round's on ÷ off. Why paired: the machine is shared, and its load moved
// the same instance's throughput 2-7x between rounds a minute apart, so the
// best round of each side compared moments, not telemetry (0.30 to 1.66 for
// unchanged code in one afternoon). Also the CPU each call costs the instance
// (from /proc, whole process).
//   node bench/overhead.ts [GetProduct|ListProducts|Convert|PlaceOrder|home ...]
//   (default the first three; stack running; BENCH_CONCURRENCY 16, BENCH_SECONDS 10, BENCH_ROUNDS 2)
//   BENCH_PROFILE=<dir>: each instance writes a V8 CPU profile to <dir>/on or <dir>/off
//   (--cpu-prof, written when it exits); bench/profile-split.ts compares the two.
import { readFileSync } from 'node:fs';
import { CurrencyServiceClient, createClient, ProductCatalogServiceClient, unary } from '@astroshop/proto';
import {
  cpuSeconds,
  drive,
  type Instance,
  type LoadOptions,
  type LoadResult,
  sleep,
  startInstance,
  waitReady,
} from './lib.ts';
import { grpcServing } from './probes.ts';

export interface Target {
  /** Opens a caller for an instance; `close` ends it after the round. */
  open: (instance: Instance) => { call: (worker: number) => Promise<unknown>; close: () => void };
  ready: (instance: Instance) => Promise<boolean>;
}

export interface Side {
  best: LoadResult;
  /** CPU milliseconds per successful call over all rounds. */
  cpuMsPerCall: number;
  /** Successful calls over all rounds. */
  calls: number;
  /** Resident MiB of the idle instance, before any load. */
  idleRssMiB: number;
}

export interface Overhead {
  off: Side;
  on: Side;
  /** Median of the rounds' on ÷ off throughput. */
  ratio: number;
  /** Each round's on ÷ off throughput, in round order. */
  roundRatios: number[];
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Resident MiB of one process (the bench instance has no children). */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

export async function compareTelemetry(
  service: string,
  portVar: string,
  target: Target,
  load: LoadOptions & { rounds: number },
): Promise<Overhead> {
  const profileDir = process.env.BENCH_PROFILE?.trim();
  const profile = (side: string): Record<string, string> =>
    profileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profileDir}/${side}` } : {};
  const instances = [
    await startInstance(service, portVar, false, profile('off')),
    await startInstance(service, portVar, true, profile('on')),
  ];
  try {
    for (const instance of instances) await waitReady(instance, () => target.ready(instance));
    // Idle: serving, and a few seconds of nothing (the first metric export included).
    await sleep(3000);
    const sides = instances.map((instance) => ({
      instance,
      idleRssMiB: rssMiB(instance.child.pid as number),
      best: undefined as LoadResult | undefined,
      throughputs: [] as number[],
      calls: 0,
      cpu: 0,
    }));
    for (let round = 0; round < load.rounds; round++) {
      for (const side of round % 2 ? [...sides].reverse() : sides) {
        const caller = target.open(side.instance);
        const pid = side.instance.child.pid as number;
        const cpuBefore = cpuSeconds(pid);
        const result = await drive(caller.call, load);
        side.cpu += cpuSeconds(pid) - cpuBefore;
        side.calls += result.calls;
        caller.close();
        side.throughputs.push(result.throughput);
        if (!side.best || result.throughput > side.best.throughput) side.best = result;
      }
    }
    const [off, on] = sides.map(
      (s): Side => ({
        best: s.best as LoadResult,
        // The warm-up's calls burn CPU too but are not counted: per call is an upper bound.
        cpuMsPerCall: s.calls ? (s.cpu * 1000) / s.calls : Number.NaN,
        calls: s.calls,
        idleRssMiB: s.idleRssMiB,
      }),
    ) as [Side, Side];
    const [offRounds, onRounds] = sides.map((s) => s.throughputs) as [number[], number[]];
    const roundRatios = onRounds.map((t, i) => t / (offRounds[i] as number));
    return { off, on, ratio: median(roundRatios), roundRatios };
  } finally {
    for (const instance of instances) instance.stop();
    // A profile is written as the instance exits: wait for that (bounded).
    if (profileDir) await Promise.all(instances.map((i) => exited(i, 15_000)));
  }
}

function exited(instance: Instance, timeoutMs: number): Promise<void> {
  const { child } = instance;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

const CALL_TIMEOUT_MS = 5000;

export const getProduct: Target = {
  ready: (i) => grpcServing(`127.0.0.1:${i.port}`),
  open: (i) => {
    const client = createClient(ProductCatalogServiceClient, `127.0.0.1:${i.port}`);
    const call = unary(client.getProduct, client);
    return {
      call: () => call({ id: '66VCHSJNUP' }, { timeoutMs: CALL_TIMEOUT_MS }),
      close: () => client.close(),
    };
  },
};

export const listProducts: Target = {
  ready: getProduct.ready,
  open: (i) => {
    const client = createClient(ProductCatalogServiceClient, `127.0.0.1:${i.port}`);
    const call = unary(client.listProducts, client);
    return { call: () => call({}, { timeoutMs: CALL_TIMEOUT_MS }), close: () => client.close() };
  },
};

export const convert: Target = {
  ready: getProduct.ready,
  open: (i) => {
    const client = createClient(CurrencyServiceClient, `127.0.0.1:${i.port}`);
    const call = unary(client.convert, client);
    return {
      call: () =>
        call(
          { from: { currencyCode: 'USD', units: 349, nanos: 950_000_000 }, toCode: 'EUR' },
          { timeoutMs: CALL_TIMEOUT_MS },
        ),
      close: () => client.close(),
    };
  },
};

const report = (rpc: string, o: Overhead) => {
  const side = (label: string, s: Side) =>
    `  ${label.padEnd(14)} ${s.best.throughput.toFixed(0).padStart(6)} req/s  p50 ${s.best.p50.toFixed(2)} ms  p99 ${s.best.p99.toFixed(2)} ms  errors ${s.best.errors}  calls ${s.calls}  CPU ${s.cpuMsPerCall.toFixed(2)} ms/call  idle RSS ${s.idleRssMiB.toFixed(0)} MiB`;
  console.log(
    `${rpc}\n${side('telemetry off', o.off)}\n${side('telemetry on', o.on)}\n  ratio on/off ${o.ratio.toFixed(3)} (median; rounds ${o.roundRatios.map((r) => r.toFixed(2)).join(' ')})`,
  );
};

/** The on/off comparisons `node bench/overhead.ts [name...]` can run, by name. */
const TARGETS: Record<string, () => Promise<{ service: string; portVar: string; target: Target }>> = {
  GetProduct: async () => ({
    service: 'product-catalog',
    portVar: 'PRODUCT_CATALOG_PORT',
    target: getProduct,
  }),
  ListProducts: async () => ({
    service: 'product-catalog',
    portVar: 'PRODUCT_CATALOG_PORT',
    target: listProducts,
  }),
  Convert: async () => ({ service: 'currency', portVar: 'CURRENCY_PORT', target: convert }),
  PlaceOrder: async () => ({
    service: 'checkout',
    portVar: 'CHECKOUT_PORT',
    target: (await import('./checkout.ts')).placeOrderTarget,
  }),
  home: async () => ({
    service: 'frontend',
    portVar: 'FRONTEND_PORT',
    target: (await import('./frontend.ts')).homePageTarget,
  }),
};

if (import.meta.main) {
  const names = process.argv.slice(2);
  const unknown = names.filter((n) => !(n in TARGETS));
  if (unknown.length)
    throw new Error(`unknown target ${unknown.join(', ')}; one of ${Object.keys(TARGETS).join(', ')}`);
  const load = {
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? 16),
    seconds: Number(process.env.BENCH_SECONDS ?? 10),
    warmupSeconds: 2,
    rounds: Number(process.env.BENCH_ROUNDS ?? 2),
  };
  for (const name of names.length ? names : ['GetProduct', 'ListProducts', 'Convert']) {
    const { service, portVar, target } = await (
      TARGETS[name] as () => ReturnType<(typeof TARGETS)[string]>
    )();
    const overhead = await compareTelemetry(service, portVar, target, load);
    report(name, overhead);
    if (process.env.BENCH_PROFILE?.trim())
      console.log(
        `  profiles: node bench/profile-split.ts ${process.env.BENCH_PROFILE.trim()} ${overhead.off.calls} ${overhead.on.calls} [marker]`,
      );
  }
}
