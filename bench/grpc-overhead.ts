// What the telemetry preload costs a gRPC service: product-catalog (GetProduct
// on the real Postgres) and currency (Convert) are each started twice, with the
// SDK on and with OTEL_SDK_DISABLED=true, then driven one at a time with the
// same bounded concurrency for the same duration. Prints throughput, p50/p99,
// the on/off throughput ratio (goal >= 0.90) and the idle RSS of every process.
// Figures only, no assertions: `node bench/grpc-overhead.ts`.
//   BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_CONCURRENCY (16), BENCH_ROUNDS (2)
//   DB_CONNECTION_STRING, OTEL_EXPORTER_OTLP_ENDPOINT: defaults are the native stack's.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CurrencyServiceClient,
  createClient,
  HealthCheckResponse_ServingStatus,
  HealthClient,
  ProductCatalogServiceClient,
  unary,
} from '@astroshop/proto';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** Variants alternate for this many rounds; the best round of each is reported (the machine is shared). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CALL_TIMEOUT_MS = 5000;
const GOAL_RATIO = 0.9;

const sharedEnv: NodeJS.ProcessEnv = {
  ...process.env,
  DB_CONNECTION_STRING:
    process.env.DB_CONNECTION_STRING ??
    'postgres://astronomy_user:astronomy_password@127.0.0.1:5432/astronomy_db?sslmode=disable',
  OTEL_EXPORTER_OTLP_ENDPOINT: process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://127.0.0.1:4317',
  FLAGD_RESOLVER: process.env.FLAGD_RESOLVER ?? 'in-process',
  FLAGD_OFFLINE_FLAG_SOURCE_PATH:
    process.env.FLAGD_OFFLINE_FLAG_SOURCE_PATH ?? resolve(ROOT, 'flagd/demo.flagd.json'),
  // Few connections: every Postgres backend adds resident memory to the shared
  // Postgres, which the native runner kills above its limit.
  DB_POOL_MAX: process.env.DB_POOL_MAX ?? '2',
  LOG_LEVEL: 'warn',
  LISTEN_HOST: '127.0.0.1',
};

interface Variant {
  label: 'telemetry on' | 'telemetry off';
  child: ChildProcess;
  address: string;
  idleRss?: { total: number; anon: number };
}

interface Result {
  calls: number;
  errors: number;
  /** Error count per "CODE: message", so a failing variant says why. */
  errorKinds: Map<string, number>;
  throughput: number;
  p50: number;
  p99: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const children: ChildProcess[] = [];

function sparePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** Started exactly as the native runner starts services, so the preload is loaded in both variants. */
async function startVariant(service: string, portVar: string, telemetry: boolean): Promise<Variant> {
  const port = await sparePort();
  const child = spawn(
    process.execPath,
    [
      '--max-old-space-size=128',
      '--import',
      resolve(ROOT, 'packages/telemetry/src/register.ts'),
      resolve(ROOT, `services/${service}/src/main.ts`),
    ],
    {
      cwd: ROOT,
      env: {
        ...sharedEnv,
        [portVar]: String(port),
        OTEL_SERVICE_NAME: `${service}-bench`,
        OTEL_SDK_DISABLED: telemetry ? 'false' : 'true',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  children.push(child);
  const variant: Variant = {
    label: telemetry ? 'telemetry on' : 'telemetry off',
    child,
    address: `127.0.0.1:${port}`,
  };
  await waitServing(variant, service);
  return variant;
}

async function waitServing(variant: Variant, service: string): Promise<void> {
  const health = createClient(HealthClient, variant.address);
  const deadline = Date.now() + 30_000;
  try {
    while (Date.now() < deadline) {
      if (variant.child.exitCode !== null)
        throw new Error(`${service} (${variant.label}) exited with ${variant.child.exitCode}`);
      try {
        const reply = await unary(health.check, health)({ service: '' }, { timeoutMs: 1000 });
        if (reply.status === HealthCheckResponse_ServingStatus.SERVING) return;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    throw new Error(`${service} (${variant.label}) not SERVING within 30 s (is Postgres up?)`);
  } finally {
    health.close();
  }
}

/** Resident MiB, total and anonymous (heap and the like, without the mapped node binary). */
function rssMiB(pid: number | undefined): { total: number; anon: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { total: kib('VmRSS') / 1024, anon: kib('RssAnon') / 1024 };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length
    ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0)
    : Number.NaN;

/** CONCURRENCY workers call back-to-back until the clock runs out; warm-up calls are not counted. */
async function drive(call: () => Promise<unknown>): Promise<Result> {
  const warmupEnd = Date.now() + WARMUP_SECONDS * 1000;
  const end = warmupEnd + SECONDS * 1000;
  const latencies: number[] = [];
  let errors = 0;
  const errorKinds = new Map<string, number>();
  const worker = async () => {
    while (Date.now() < end) {
      const start = performance.now();
      let failure: string | undefined;
      try {
        await call();
      } catch (error) {
        const e = error as { code?: number; details?: string; message?: string };
        failure = `${e.code ?? '?'}: ${(e.details ?? e.message ?? String(error)).slice(0, 120)}`;
      }
      if (Date.now() < warmupEnd) continue;
      if (failure) {
        errors++;
        errorKinds.set(failure, (errorKinds.get(failure) ?? 0) + 1);
      } else latencies.push(performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  latencies.sort((a, b) => a - b);
  return {
    calls: latencies.length,
    errors,
    errorKinds,
    throughput: latencies.length / SECONDS,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

function report(service: string, rpc: string, off: Result, on: Result, idle: [Variant, Variant]): void {
  const row = (label: string, r: Result, rss: Variant['idleRss']) =>
    `  ${label.padEnd(14)} ${r.throughput.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99
      .toFixed(2)
      .padStart(
        6,
      )} ms   errors ${String(r.errors).padStart(4)}   idle RSS ${rss?.total.toFixed(1) ?? '?'} MiB (anon ${rss?.anon.toFixed(1) ?? '?'})`;
  const ratio = on.throughput / off.throughput;
  console.log(
    `\n${service} ${rpc} (concurrency ${CONCURRENCY}, ${SECONDS} s after ${WARMUP_SECONDS} s warm-up, best of ${ROUNDS} rounds)`,
  );
  console.log(row('telemetry off', off, idle[0].idleRss));
  console.log(row('telemetry on', on, idle[1].idleRss));
  for (const [label, r] of [
    ['off', off],
    ['on', on],
  ] as const)
    for (const [kind, count] of r.errorKinds) console.log(`    ${label}: ${count} x ${kind}`);
  console.log(
    `  throughput ratio on/off: ${ratio.toFixed(3)} (goal >= ${GOAL_RATIO.toFixed(2)}: ${ratio >= GOAL_RATIO ? 'met' : 'NOT met'})`,
  );
}

async function benchService(
  service: string,
  portVar: string,
  rpc: string,
  call: (address: string) => { run: () => Promise<unknown>; close: () => void },
): Promise<void> {
  const off = await startVariant(service, portVar, false);
  const on = await startVariant(service, portVar, true);
  // Idle = started, serving, and a few seconds of nothing (first metric export included).
  await sleep(3000);
  off.idleRss = rssMiB(off.child.pid);
  on.idleRss = rssMiB(on.child.pid);
  const best: [Result | undefined, Result | undefined] = [undefined, undefined];
  // One at a time, alternating: both variants share two cores with the rest of the stack.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, variant] of [off, on].entries()) {
      const client = call(variant.address);
      const result = await drive(client.run);
      client.close();
      if (!best[index] || result.throughput > best[index].throughput) best[index] = result;
    }
  }
  report(service, rpc, best[0]!, best[1]!, [off, on]);
  for (const variant of [off, on]) variant.child.kill('SIGTERM');
}

function stopAll(): void {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
}
process.on('SIGINT', () => {
  stopAll();
  process.exit(130);
});

try {
  await benchService('product-catalog', 'PRODUCT_CATALOG_PORT', 'GetProduct', (address) => {
    const client = createClient(ProductCatalogServiceClient, address);
    const getProduct = unary(client.getProduct, client);
    return {
      run: () => getProduct({ id: '66VCHSJNUP' }, { timeoutMs: CALL_TIMEOUT_MS }),
      close: () => client.close(),
    };
  });
  await benchService('currency', 'CURRENCY_PORT', 'Convert', (address) => {
    const client = createClient(CurrencyServiceClient, address);
    const convert = unary(client.convert, client);
    return {
      run: () =>
        convert(
          { from: { currencyCode: 'USD', units: 349, nanos: 950_000_000 }, toCode: 'EUR' },
          { timeoutMs: CALL_TIMEOUT_MS },
        ),
      close: () => client.close(),
    };
  });
} finally {
  stopAll();
}
