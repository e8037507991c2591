// `make faults`: real outages on the running native stack, under the load
// generator. Each dependency (Redis, PostgreSQL, Kafka, the collector, flagd)
// is stopped for FAULTS_OUTAGE_S (30 s) through `devstack pause`, then brought
// back with `devstack resume`, while our own prober drives the shop's API and
// places orders. Per dependency it asserts (test/faults/evaluate.ts): no
// request past its deadline, errors that name the dependency, no restart of
// any other component, every accepted order recorded by accounting exactly
// once, and the feature back within 10 s of the dependency's return. Prints
// the table and exits non-zero on any violation.
//
// It stops shared components: run it under `flock -x /tmp/astroshop-stack.lock`
// (the Makefile target does).
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { JAEGER_URL } from '../lib/backends.ts';
import { crashReport } from '../lib/crash-report.ts';
import { call, LOADGEN_URL, PERSON, SHOP_URL, sleep } from '../scenarios/driver.ts';
import { FlagGuard, REPO_ROOT } from '../scenarios/flagfile.ts';
import { evaluate, type OutageMeasure, recoveredAt, type Sample, table, type Verdict } from './evaluate.ts';

const run = promisify(execFile);
const RUN_DIR = process.env.ASTROSHOP_RUN_DIR ?? join(REPO_ROOT, '.run');
const OUTAGE_S = Number(process.env.FAULTS_OUTAGE_S ?? 30);
/** How long the prober keeps measuring after the dependency is back (recovery must fit in 10 s). */
const AFTER_S = Number(process.env.FAULTS_AFTER_S ?? 14);
/** How long accounting gets to record the window's orders once the dependency is back. */
const ORDERS_WAIT_S = 30;
const DB =
  process.env.DB_CONNECTION_STRING ??
  'postgres://astronomy_user:astronomy_password@127.0.0.1:5432/astronomy_db?sslmode=disable';

// The frontend bounds every backend call (services/frontend/src/server/gateways.ts:
// 5 s per call, 15 s for PlaceOrder); a route's deadline is the sum of the calls it makes in sequence.
const DEADLINE_MS: Record<string, number> = {
  products: 5000 + 5000, // ListProducts, then the conversions (in parallel)
  product: 5000 + 5000, // GetProduct, then Convert
  recommendations: 5000, // ListRecommendations (its own catalog call lives inside that bound)
  ads: 5000,
  cart: 5000 + 5000, // AddItem, then GetCart
  checkout: 15_000 + 5000 + 5000, // PlaceOrder, then GetProduct + Convert per line (in parallel)
  flag: 5000 + 5000, // GET /api/products/OLJCESPC7Z (the productCatalogFailure probe)
};
/** Our client gives up well after any deadline, so a hang is measured, not hidden. */
const CLIENT_TIMEOUT_MS = 40_000;

interface Fault {
  dependency: string;
  /** The shop must keep taking orders while it is away. */
  ordersMustSucceed: boolean;
  namesDependency: RegExp;
  /** Errors the run provokes on purpose (not outage errors). */
  deliberate?: RegExp;
  /** Measures when the feature that needs the dependency works again (epoch ms), or null. */
  recovery: (ctx: FaultContext) => Promise<number | null>;
  /** Extra work while the dependency is down (flagd: change a flag it must pick up on return). */
  duringOutage?: (ctx: FaultContext) => Promise<void>;
  cleanup?: (ctx: FaultContext) => Promise<void>;
}

interface FaultContext {
  samples: Sample[];
  backAt: number;
  /** Resolves when the prober's observation after the return is over. */
  observed: Promise<void>;
  stoppedAt: number;
  accepted: () => string[];
  flags: FlagGuard;
}

// ---------------------------------------------------------------- prober

const userIds = () => crypto.randomUUID();

async function timed(probe: string, path: string, init?: Parameters<typeof call>[1]): Promise<Sample> {
  const startedAt = Date.now();
  const res = await call(`${SHOP_URL}${path}`, { ...init, timeoutMs: CLIENT_TIMEOUT_MS });
  const endedAt = Date.now();
  const body = res.body as { error?: string; orderId?: string } | string | undefined;
  const error = res.ok
    ? undefined
    : typeof body === 'object' && body?.error
      ? body.error
      : (res.error ?? (typeof body === 'string' ? body.slice(0, 200) : `HTTP ${res.status}`));
  const orderId = res.ok && typeof body === 'object' ? body?.orderId : undefined;
  return { probe, startedAt, endedAt, ok: res.ok, status: res.status, error, orderId };
}

/** Browsing and cart traffic plus one order at a time, until `stop` is aborted. */
function startProber(samples: Sample[], stop: AbortSignal): Promise<void> {
  const browse = async () => {
    const steps: [string, () => Promise<Sample>][] = [
      ['products', () => timed('products', '/api/products')],
      ['product', () => timed('product', '/api/products/66VCHSJNUP')],
      ['recommendations', () => timed('recommendations', '/api/recommendations?productIds=66VCHSJNUP')],
      ['ads', () => timed('ads', '/api/data?contextKeys=telescopes')],
      [
        'cart',
        () =>
          timed('cart', '/api/cart', {
            method: 'POST',
            body: { userId: userIds(), item: { productId: 'L9ECAV7KIM', quantity: 1 } },
          }),
      ],
    ];
    for (let i = 0; !stop.aborted; i++) {
      const [, step] = steps[i % steps.length] as [string, () => Promise<Sample>];
      samples.push(await step());
      await sleep(150);
    }
  };
  const order = async () => {
    while (!stop.aborted) {
      const userId = userIds();
      const add = await timed('cart', '/api/cart', {
        method: 'POST',
        body: { userId, item: { productId: '66VCHSJNUP', quantity: 1 } },
      });
      samples.push(add);
      if (add.ok)
        samples.push(
          await timed('checkout', '/api/checkout', { method: 'POST', body: { ...PERSON, userId } }),
        );
      await sleep(400);
    }
  };
  return Promise.all([browse(), order()]).then(() => undefined);
}

// ---------------------------------------------------------------- stack

interface ComponentState {
  name: string;
  state: string;
  restarts: number;
  healthy: boolean;
}

function components(): ComponentState[] {
  const state = JSON.parse(readFileSync(join(RUN_DIR, 'state.json'), 'utf8')) as {
    components: ComponentState[];
  };
  return state.components;
}

const restarts = () => Object.fromEntries(components().map((c) => [c.name, c.restarts]));

// Whatever happens to this run (Ctrl-C, a time-out, a crash), a dependency it
// paused must not stay down for the next engineer: the pause is a marker file
// the supervisor polls, so removing it synchronously on exit is enough.
let pausedNow: string | undefined;
process.once('exit', () => {
  if (pausedNow) rmSync(join(RUN_DIR, 'paused', pausedNow), { force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

async function devstack(...args: string[]): Promise<void> {
  await run(process.execPath, [join(REPO_ROOT, 'scripts/devstack/src/cli.ts'), ...args], {
    env: { ...process.env, ASTROSHOP_RUN_DIR: RUN_DIR },
    timeout: 150_000,
  });
}

async function waitAllRunning(timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const down = components()
      .filter((c) => c.state !== 'running' || !c.healthy)
      .map((c) => `${c.name} (${c.state})`);
    if (down.length === 0 || Date.now() > deadline) return down;
    await sleep(500);
  }
}

/** accounting."order" rows per id: the ledger's own record of what it took. */
async function recordedCounts(ids: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = Object.fromEntries(ids.map((id) => [id, 0]));
  if (ids.length === 0) return counts;
  const client = new pg.Client({ connectionString: DB, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ order_id: string; n: string }>(
      'SELECT order_id, count(*) AS n FROM accounting."order" WHERE order_id = ANY($1) GROUP BY order_id',
      [ids],
    );
    for (const r of rows) counts[r.order_id] = Number(r.n);
  } finally {
    await client.end().catch(() => undefined);
  }
  return counts;
}

/** Polls until every id is recorded (or the wait ends); returns when the last one appeared. */
async function waitRecorded(ids: string[], timeoutS: number): Promise<number | null> {
  const deadline = Date.now() + timeoutS * 1000;
  while (Date.now() < deadline) {
    const counts = await recordedCounts(ids).catch(() => undefined);
    if (counts && Object.values(counts).every((n) => n > 0)) return Date.now();
    await sleep(250);
  }
  return null;
}

// ---------------------------------------------------------------- faults

/** Start (epoch ms) of the earliest span `service` exported that began at or after `since`; null if none arrived. */
async function firstSpanAfter(service: string, since: number): Promise<number | null> {
  const params = new URLSearchParams({
    'query.service_name': service,
    'query.start_time_min': new Date(since).toISOString(),
    'query.start_time_max': new Date(Date.now() + 60_000).toISOString(),
    'query.num_traces': '200',
  });
  const response = await fetch(`${JAEGER_URL}/api/v3/traces?${params}`, {
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) return null;
  type Raw = {
    result?: {
      resourceSpans?: {
        resource?: { attributes?: { key: string; value: { stringValue?: string } }[] };
        scopeSpans?: { spans?: { startTimeUnixNano?: string }[] }[];
      }[];
    };
  };
  const body = (await response.json()) as Raw;
  let first: number | null = null;
  for (const rs of body.result?.resourceSpans ?? []) {
    const name = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue;
    if (name !== service) continue;
    for (const ss of rs.scopeSpans ?? [])
      for (const span of ss.spans ?? []) {
        const t = Number(BigInt(span.startTimeUnixNano ?? '0') / 1_000_000n);
        if (t >= since && (first === null || t < first)) first = t;
      }
  }
  return first;
}

const FAULTS: Fault[] = [
  {
    dependency: 'redis',
    ordersMustSucceed: false,
    namesDependency: /redis|valkey/i,
    recovery: async (ctx) => {
      await ctx.observed;
      return recoveredAt(ctx.samples, 'cart', ctx.backAt);
    },
  },
  {
    dependency: 'postgres',
    ordersMustSucceed: false,
    namesDependency: /postgres/i,
    recovery: async (ctx) => {
      // Both halves of the feature: accounting records what was held, and the catalog reads again.
      const writes = await waitRecorded(ctx.accepted(), ORDERS_WAIT_S);
      await ctx.observed;
      const reads = recoveredAt(ctx.samples, 'product', ctx.backAt);
      return reads === null || writes === null ? null : Math.max(reads, writes);
    },
  },
  {
    dependency: 'kafka',
    ordersMustSucceed: true,
    namesDependency: /kafka/i,
    // Orders taken while it was down are in accounting: the outbox delivered them.
    recovery: async (ctx) => waitRecorded(ctx.accepted(), ORDERS_WAIT_S),
  },
  {
    dependency: 'otel-collector',
    ordersMustSucceed: true,
    namesDependency: /collector|otlp|telemetry/i,
    recovery: async (ctx) => {
      // Each service's exporter must find the collector again: the slowest one counts.
      const services = ['frontend', 'cart', 'checkout', 'product-catalog'];
      const deadline = Date.now() + 30_000;
      const first = new Map<string, number>();
      while (first.size < services.length && Date.now() < deadline) {
        for (const s of services) {
          if (first.has(s)) continue;
          const t = await firstSpanAfter(s, ctx.backAt);
          if (t !== null) first.set(s, t);
        }
        if (first.size < services.length) await sleep(1000);
      }
      return first.size < services.length ? null : Math.max(...first.values());
    },
  },
  {
    dependency: 'flagd',
    ordersMustSucceed: true,
    namesDependency: /flagd/i,
    // The flag's own symptom once flagd is back and serves it (recommendations list that product too).
    deliberate: /Product Catalog Fail Feature Flag Enabled/,
    // While flagd is away, switch productCatalogFailure on in the file: services
    // must keep answering with the default (off), and honour the change once flagd is back.
    duringOutage: async (ctx) => ctx.flags.set('productCatalogFailure', 'on'),
    recovery: async () => {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const s = await timed('flag', '/api/products/OLJCESPC7Z');
        if (!s.ok) return s.endedAt;
        await sleep(250);
      }
      return null;
    },
    cleanup: async (ctx) => {
      ctx.flags.restore('productCatalogFailure');
      // Leave the shop as found: wait until the product answers again.
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && !(await timed('flag', '/api/products/OLJCESPC7Z')).ok) await sleep(500);
    },
  },
];

async function loadGeneratorUsers(): Promise<number> {
  const res = await call(`${LOADGEN_URL}/api/stats`, { timeoutMs: 3000 });
  return res.ok ? Number((res.body as { users?: number }).users ?? 0) : 0;
}

/** Crash reports of the whole run, repeated at its end (CI shows the tail). */
const crashReports: string[] = [];

async function outage(fault: Fault, flags: FlagGuard): Promise<Verdict> {
  const down = await waitAllRunning(120_000);
  if (down.length)
    throw new Error(`stack not healthy before the ${fault.dependency} outage: ${down.join(', ')}`);
  const samples: Sample[] = [];
  const stopProbing = new AbortController();
  const prober = startProber(samples, stopProbing.signal);
  await sleep(2000); // a baseline: the shop works before we break it
  const restartsBefore = restarts();

  const stoppedAt = Date.now();
  pausedNow = fault.dependency;
  await devstack('pause', fault.dependency);
  console.log(`  ${fault.dependency}: stopped (${((Date.now() - stoppedAt) / 1000).toFixed(1)} s to stop)`);
  let observationOver: () => void = () => undefined;
  const ctx: FaultContext = {
    samples,
    stoppedAt,
    backAt: 0,
    observed: new Promise<void>((resolve) => {
      observationOver = resolve;
    }),
    flags,
    accepted: () => [
      ...new Set(
        samples.filter((s) => s.ok && s.orderId && s.startedAt >= stoppedAt).map((s) => s.orderId as string),
      ),
    ],
  };
  await fault.duringOutage?.(ctx);
  await sleep(Math.max(0, stoppedAt + OUTAGE_S * 1000 - Date.now()));
  await devstack('resume', fault.dependency);
  pausedNow = undefined;
  ctx.backAt = Date.now();
  console.log(`  ${fault.dependency}: back after ${((ctx.backAt - stoppedAt) / 1000).toFixed(1)} s`);

  // Recovery is watched from the moment it is back, while the prober keeps measuring.
  const recovering = fault.recovery(ctx).catch((error: unknown) => {
    console.log(`  ${fault.dependency}: recovery probe failed: ${(error as Error).message}`);
    return null;
  });
  await sleep(AFTER_S * 1000);
  observationOver();
  const recovered = await recovering;
  stopProbing.abort();
  await prober;
  await fault.cleanup?.(ctx);
  // Late-arriving orders: everything accepted during the window gets its chance before counting.
  const accepted = ctx.accepted();
  await waitRecorded(accepted, ORDERS_WAIT_S);
  const notRunning = await waitAllRunning(20_000);
  const measure: OutageMeasure = {
    dependency: fault.dependency,
    stoppedAt,
    backAt: ctx.backAt,
    samples,
    deadlineMs: (probe) => DEADLINE_MS[probe] ?? 5000,
    namesDependency: fault.namesDependency,
    ordersMustSucceed: fault.ordersMustSucceed,
    deliberate: fault.deliberate,
    restartsBefore,
    restartsAfter: restarts(),
    notRunningAfter: notRunning,
    recoveredAt: recovered,
    recordedOrders: await recordedCounts(accepted),
  };
  // Whatever restarted or stopped: why, from its exit and its own last log lines.
  const ended = Object.entries(measure.restartsAfter)
    .filter(([name, after]) => name !== fault.dependency && after > (measure.restartsBefore[name] ?? after))
    .map(([name]) => name);
  for (const entry of notRunning) ended.push(entry.split(' ')[0] as string);
  for (const name of new Set(ended)) {
    const report = crashReport(RUN_DIR, name);
    crashReports.push(...report);
    for (const line of report) console.log(line);
  }
  return evaluate(measure);
}

async function main(): Promise<number> {
  const only = process.env.FAULTS_ONLY?.split(',').map((s) => s.trim());
  const faults = FAULTS.filter((f) => !only || only.includes(f.dependency));
  const t0 = Date.now();
  const users = await loadGeneratorUsers();
  if (users === 0) {
    console.log('load generator has no users: starting 5');
    await call(`${LOADGEN_URL}/api/start`, {
      method: 'POST',
      body: { users: 5, spawnRate: 5 },
      timeoutMs: 5000,
    });
  }
  console.log(
    `faults: ${faults.map((f) => f.dependency).join(', ')} — ${OUTAGE_S} s each, under the load generator (${users || 5} users)`,
  );
  const flags = new FlagGuard();
  const verdicts: Verdict[] = [];
  for (const fault of faults) {
    try {
      verdicts.push(await outage(fault, flags));
    } catch (error) {
      // Never leave a dependency stopped for the next engineer.
      await devstack('resume', fault.dependency).catch(() => undefined);
      verdicts.push({
        dependency: fault.dependency,
        requests: 0,
        errors: 0,
        errorExamples: [],
        maxLatencyMs: 0,
        recoverySeconds: null,
        ordersAccepted: 0,
        ordersLost: 0,
        ordersDuplicated: 0,
        violations: [`run failed: ${(error as Error).message}`],
      });
    }
    const v = verdicts.at(-1) as Verdict;
    console.log(
      `  ${v.dependency}: ${v.violations.length ? 'FAIL' : 'PASS'} (${v.requests} requests, ${v.errors} errors, max ${v.maxLatencyMs} ms, recovery ${v.recoverySeconds?.toFixed(1) ?? 'never'} s, orders ${v.ordersAccepted} accepted / ${v.ordersLost} lost)`,
    );
  }
  console.log(`\n${table(verdicts, OUTAGE_S)}\n`);
  const failures = verdicts.flatMap((v) => v.violations.map((x) => `${v.dependency}: ${x}`));
  for (const f of failures.slice(0, 40)) console.log(`  ✘ ${f}`);
  if (failures.length > 40) console.log(`  … and ${failures.length - 40} more`);
  for (const line of crashReports) console.log(line);
  console.log(
    `faults: ${failures.length ? 'FAILED' : 'passed'} in ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
  return failures.length ? 1 : 0;
}

process.exit(await main());
