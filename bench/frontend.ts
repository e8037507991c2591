// Storefront over HTTP: GET / (the server-rendered home page) and
// GET /api/products?currencyCode=EUR (ListProducts plus the conversions), closed
// loop at a bounded concurrency; throughput and p50/p95/p99.
//   node bench/frontend.ts     (FRONTEND_URL=http://127.0.0.1:8082 CONCURRENCY=8 DURATION_S=60)
import { describeErrors, drive, type Instance, type LoadOptions, type LoadResult } from './lib.ts';
import type { Target } from './overhead.ts';
import { httpOk } from './probes.ts';

async function get(url: string): Promise<void> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
}

/** The first renders load page modules and open gRPC channels: not counted. */
async function warm(base: string, path: string): Promise<void> {
  for (let i = 0; i < 10; i++) await get(`${base}${path}`).catch(() => undefined);
}

export async function httpLoad(base: string, path: string, load: LoadOptions): Promise<LoadResult> {
  await warm(base, path);
  return drive(() => get(`${base}${path}`), load);
}

export const homePageTarget: Target = {
  ready: (i: Instance) => httpOk(`http://127.0.0.1:${i.port}/health`),
  open: (i: Instance) => ({ call: () => get(`http://127.0.0.1:${i.port}/`), close: () => undefined }),
};

if (import.meta.main) {
  const base = process.env.FRONTEND_URL ?? 'http://127.0.0.1:8082';
  const load = {
    concurrency: Number(process.env.CONCURRENCY ?? 8),
    seconds: Number(process.env.DURATION_S ?? 60),
  };
  for (const path of ['/', '/api/products?currencyCode=EUR']) {
    const r = await httpLoad(base, path, load);
    console.log(
      `GET ${path.padEnd(32)} ${r.throughput.toFixed(1).padStart(7)} req/s  p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  errors ${r.errors}${r.errors ? ` (${describeErrors(r)})` : ''}`,
    );
  }
}
