// Storefront throughput: GET / (server-rendered page) and GET /api/products
// (ListProducts + 10 Convert calls in EUR) for DURATION_S each at a bounded
// concurrency, with p50/p95/p99 latency, plus the frontend process's RSS
// before, at peak and after. Run with the stack up:
//   node bench/frontend.ts            (FRONTEND_URL=http://127.0.0.1:8082 CONCURRENCY=8 DURATION_S=60)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { groupRssMiB, isSameProcess, readState } from '../scripts/devstack/src/state.ts';

const BASE = process.env.FRONTEND_URL ?? 'http://127.0.0.1:8082';
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 8);
const DURATION_S = Number(process.env.DURATION_S ?? 60);

/** RSS (MiB) of the frontend: the supervisor's pid when known, else the port's listener. */
function frontendRss(): number | null {
  const runDir = process.env.ASTROSHOP_RUN_DIR ?? join(import.meta.dirname, '..', '.run');
  const component = readState(runDir)?.components.find((c) => c.name === 'frontend');
  if (component?.pid && isSameProcess(component.pid, component.pidStartTicks))
    return groupRssMiB(component.pid);
  const pid = process.env.FRONTEND_PID;
  if (!pid) return null;
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
  return line ? Number(line[1]) / 1024 : null;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function run(name: string, path: string) {
  const latencies: number[] = [];
  let errors = 0;
  let peakRss = frontendRss() ?? 0;
  const end = Date.now() + DURATION_S * 1000;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, frontendRss() ?? 0);
  }, 1000);
  const worker = async () => {
    while (Date.now() < end) {
      const t0 = performance.now();
      try {
        const response = await fetch(`${BASE}${path}`, { signal: AbortSignal.timeout(10_000) });
        await response.arrayBuffer();
        if (!response.ok) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  latencies.sort((a, b) => a - b);
  console.log(
    `${name.padEnd(22)} ${String(latencies.length).padStart(6)} req  ${(latencies.length / seconds).toFixed(1).padStart(7)} req/s` +
      `  p50 ${pct(latencies, 50).toFixed(1)} ms  p95 ${pct(latencies, 95).toFixed(1)} ms  p99 ${pct(latencies, 99).toFixed(1)} ms` +
      `  errors ${errors}  peak RSS ${peakRss ? `${peakRss.toFixed(0)} MiB` : 'n/a'}`,
  );
}

const before = frontendRss();
console.log(`frontend ${BASE}, concurrency ${CONCURRENCY}, ${DURATION_S} s per target`);
console.log(
  `frontend RSS before: ${before === null ? 'n/a (set FRONTEND_PID)' : `${before.toFixed(0)} MiB`}`,
);
// Warm-up: the first renders load page modules and open gRPC channels.
for (let i = 0; i < 20; i++) {
  await fetch(`${BASE}/`).then((r) => r.arrayBuffer());
  await fetch(`${BASE}/api/products?currencyCode=EUR`).then((r) => r.arrayBuffer());
}
await run('GET /', '/');
await run('GET /api/products EUR', '/api/products?currencyCode=EUR');
const after = frontendRss();
console.log(`frontend RSS after: ${after === null ? 'n/a' : `${after.toFixed(0)} MiB`}`);
