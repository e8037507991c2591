// `make test-compose`: the shop in containers with the offline image set, end
// to end. docker compose up (host ports moved off the native stack's, on
// 127.0.0.1 only) → every container healthy → the shop answers through the
// proxy → a checkout in Chromium (test/storefront-e2e.test.ts) → one trace in
// Jaeger with every service of the order path → span metrics and target_info
// in Prometheus → logs in the collector's output → the load generator ran
// without errors → `down -v` leaves nothing. Prints a step table with timings
// and the peak memory of every container (docker stats, sampled throughout);
// stops at the first failed step and always tears down.
//
//   node test/compose/run.ts         (images: make images && make images OFFLINE=1)
// Env: COMPOSE_TEST_PROJECT (default astroshop-compose-test), COMPOSE_TEST_HTTP_PORT
// (18080), COMPOSE_TEST_PROMETHEUS_PORT (19090), COMPOSE_TEST_LOAD_S (60: how long
// the load generator runs before its stats are judged), KEEP=1 (no down -v).
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, sleep } from '../lib/backends.ts';

const root = join(import.meta.dirname, '..', '..');
const project = process.env.COMPOSE_TEST_PROJECT ?? 'astroshop-compose-test';
const httpPort = Number(process.env.COMPOSE_TEST_HTTP_PORT ?? 18080);
const promPort = Number(process.env.COMPOSE_TEST_PROMETHEUS_PORT ?? 19090);
const loadSeconds = Number(process.env.COMPOSE_TEST_LOAD_S ?? 60);
const shopUrl = `http://127.0.0.1:${httpPort}`;
const jaegerUrl = `${shopUrl}/jaeger/ui`;
const promUrl = `http://127.0.0.1:${promPort}`;

/** Services every checkout passes through (Kafka consumers included). */
const ORDER_PATH = [
  'frontend-web',
  'frontend-proxy',
  'frontend',
  'checkout',
  'cart',
  'product-catalog',
  'currency',
  'payment',
  'shipping',
  'quote',
  'email',
  'accounting',
  'fraud-detection',
];

const composeEnv = {
  ...process.env,
  COMPOSE_PROJECT_NAME: project,
  ENVOY_HOST_PORT: String(httpPort),
  PROMETHEUS_HOST_PORT: String(promPort),
};
const run = promisify(execFile);
const compose = (...args: string[]) =>
  run('docker', ['compose', '-f', 'docker-compose.yml', '-f', 'docker-compose.offline.yml', ...args], {
    cwd: root,
    env: composeEnv,
    maxBuffer: 256 * 1024 * 1024,
  });
/** The shared poller with this runner's default pace (every 2 s). */
const until = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 2000) =>
  eventually(what, probe, timeoutMs, everyMs);

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as T;
}

// ------------------------------------------------------------ memory sampler
const peakMiB = new Map<string, number>();
const limitMiB = new Map<string, number>();
let sampling = true;
const toMiB = (text: string) => {
  const m = /^([\d.]+)\s*([KMG]i?B|B)$/.exec(text.trim());
  if (!m) return 0;
  const scale: Record<string, number> = {
    B: 1 / 1048576,
    KiB: 1 / 1024,
    MiB: 1,
    GiB: 1024,
    kB: 1 / 1024,
    MB: 1,
    GB: 1024,
  };
  return Number(m[1]) * (scale[m[2] ?? 'B'] ?? 1);
};
async function sampleMemory() {
  while (sampling) {
    try {
      const { stdout } = await run('docker', [
        'stats',
        '--no-stream',
        '--format',
        '{{.Name}}\t{{.MemUsage}}',
        ...(await compose('ps', '-q')).stdout.split('\n').filter(Boolean),
      ]);
      for (const line of stdout.split('\n').filter(Boolean)) {
        const [name = '', usage = ''] = line.split('\t');
        const [used = '', limit = ''] = usage.split('/');
        const service = name.replace(`${project}-`, '').replace(/-\d+$/, '');
        if (!name.startsWith(`${project}-`)) continue; // "--": a container between states
        peakMiB.set(service, Math.max(peakMiB.get(service) ?? 0, toMiB(used)));
        limitMiB.set(service, toMiB(limit));
      }
    } catch {
      // containers come and go during up/down; the next sample catches up
    }
    await sleep(3000);
  }
}

// --------------------------------------------------------------------- steps
type Step = { name: string; seconds: number; ok: boolean; note: string };
const steps: Step[] = [];
async function step(name: string, body: () => Promise<string | undefined>) {
  const started = Date.now();
  process.stderr.write(`[compose-test] ${name} ...\n`);
  try {
    const note = (await body()) ?? '';
    steps.push({ name, seconds: (Date.now() - started) / 1000, ok: true, note });
  } catch (error) {
    steps.push({
      name,
      seconds: (Date.now() - started) / 1000,
      ok: false,
      note: String(error).slice(0, 400),
    });
    throw error;
  }
}

interface PsRow {
  Service: string;
  State: string;
  Health: string;
  ExitCode: number;
}
const ps = async (): Promise<PsRow[]> => {
  const { stdout } = await compose('ps', '--all', '--format', 'json');
  // compose prints one JSON object per line
  return stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as PsRow);
};

interface JaegerTrace {
  traceID: string;
  spans: { operationName: string; processID: string; tags: { key: string; value: unknown }[] }[];
  processes: Record<string, { serviceName: string }>;
}

async function main() {
  const since = Date.now();
  const sampler = sampleMemory();
  let failed = false;
  try {
    await step('images present (make images, make images OFFLINE=1)', async () => {
      const { stdout } = await compose('config', '--images');
      const images = [...new Set(stdout.split('\n').filter(Boolean))];
      const missing: string[] = [];
      for (const image of images) {
        await run('docker', ['image', 'inspect', image]).catch(() => missing.push(image));
      }
      if (missing.length)
        throw new Error(`missing (run make images / make images OFFLINE=1): ${missing.join(' ')}`);
      return `${images.length} images`;
    });

    await step('docker compose up -d (offline set)', async () => {
      await compose('up', '-d', '--quiet-pull');
      return `project ${project}, shop on ${shopUrl}, prometheus on ${promUrl}`;
    });

    await step('every container healthy', async () => {
      const rows = await until(
        'all containers healthy',
        async () => {
          const rows = await ps();
          const broken = rows.filter(
            (r) => (r.State === 'exited' && r.ExitCode !== 0) || r.Health === 'unhealthy',
          );
          if (broken.length)
            throw new Error(`broken: ${broken.map((r) => `${r.Service} ${r.State} ${r.Health}`).join(', ')}`);
          const waiting = rows.filter(
            (r) => !(r.State === 'exited' && r.ExitCode === 0) && r.Health !== 'healthy',
          );
          if (waiting.length)
            throw new Error(
              `waiting for ${waiting.map((r) => `${r.Service}(${r.State}/${r.Health || 'no healthcheck'})`).join(', ')}`,
            );
          return rows;
        },
        300_000,
        3000,
      );
      return `${rows.filter((r) => r.Health === 'healthy').length} healthy, ${rows.filter((r) => r.State === 'exited').length} one-shot done`;
    });

    await step('the shop answers through the proxy', async () => {
      const home = await fetch(`${shopUrl}/`);
      if (!home.ok) throw new Error(`GET / answered ${home.status}`);
      const products = await getJson<unknown[]>(`${shopUrl}/api/products`);
      if (!Array.isArray(products) || products.length < 10)
        throw new Error(`/api/products: ${JSON.stringify(products).slice(0, 200)}`);
      return `GET / 200, ${products.length} products`;
    });

    let orderTraceServices: string[] = [];
    await step('checkout in Chromium (storefront e2e)', async () => {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--test', '--test-reporter=dot', 'test/storefront-e2e.test.ts'],
          {
            cwd: root,
            env: { ...process.env, SHOP_URL: shopUrl, JAEGER_URL: jaegerUrl },
            stdio: ['ignore', 'inherit', 'inherit'],
          },
        );
        child.on('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`storefront e2e exited ${code}`)),
        );
      });
      return 'home → product → cart → EUR → order confirmation; browser→checkout trace';
    });

    await step('one trace in Jaeger with every service of the order path', async () => {
      // The browser's frontend-web spans single out the e2e's checkout: the
      // load generator drives no browser.
      const params = new URLSearchParams({
        service: 'frontend-web',
        start: String(since * 1000),
        limit: '100',
      });
      const trace = await until(
        'a PlaceOrder trace with all order-path services',
        async () => {
          const { data } = await getJson<{ data: JaegerTrace[] }>(`${jaegerUrl}/api/traces?${params}`);
          let best: string[] = [];
          const orders = (data ?? []).filter((t) =>
            t.spans.some((span) => span.operationName.includes('PlaceOrder')),
          );
          for (const t of orders) {
            const services = new Set(Object.values(t.processes).map((p) => p.serviceName));
            const missing = ORDER_PATH.filter((s) => !services.has(s));
            if (missing.length === 0) return [...services].sort();
            if (best.length === 0 || missing.length < best.length) best = missing;
          }
          throw new Error(
            `${orders.length} browser PlaceOrder traces; closest misses ${best.join(', ') || '(none found)'}`,
          );
        },
        90_000,
        3000,
      );
      orderTraceServices = trace;
      return trace.join(' ');
    });

    await step('span metrics and target_info in Prometheus', async () => {
      const query = async (q: string) =>
        (
          await getJson<{ data: { result: unknown[] } }>(
            `${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`,
          )
        ).data.result;
      const calls = await until(
        'traces_span_metrics_calls_total{service_name="checkout"}',
        async () => {
          const r = (await query('traces_span_metrics_calls_total{service_name="checkout"}')) as {
            metric: Record<string, string>;
          }[];
          // The resource labels the original promotes are on every series.
          const promoted = [
            'service_namespace',
            'service_version',
            'service_instance_id',
            'deployment_environment_name',
          ];
          const bare = r.find((s) => promoted.some((l) => !s.metric[l]));
          if (bare) throw new Error(`promoted labels missing: ${JSON.stringify(bare.metric)}`);
          return r.length ? r : undefined;
        },
        90_000,
      );
      const targets = await until(
        'target_info for every order-path service',
        async () => {
          // The original's query: target_info{service_name=…} (labels as its Prometheus promotes them).
          const r = (await query('group by (service_name) (target_info)')) as {
            metric: { service_name?: string };
          }[];
          const names = new Set(r.map((s) => s.metric.service_name));
          const missing = ORDER_PATH.filter((s) => s !== 'frontend-web' && !names.has(s));
          if (missing.length) throw new Error(`target_info missing for ${missing.join(', ')}`);
          return r;
        },
        90_000,
      );
      return `${calls.length} checkout span-metric series, target_info for ${targets.length} services`;
    });

    await step('logs in the collector output', async () => {
      return until(
        'log records from the services in `docker compose logs otel-collector`',
        async () => {
          const { stdout } = await compose('logs', '--no-color', 'otel-collector');
          const records = stdout.split('\n').filter((l) => l.includes('LogRecord #')).length;
          const services = ORDER_PATH.filter((s) => stdout.includes(`service.name: Str(${s})`));
          if (records === 0 || services.length < 3)
            throw new Error(`${records} records, from ${services.join(', ') || 'no service'}`);
          return `${records} log records, from ${services.join(', ')}`;
        },
        60_000,
        3000,
      );
    });

    await step(`load generator runs error-free (${loadSeconds} s)`, async () => {
      interface Stats {
        state: string;
        users: number;
        userErrors: number;
        flagError: string | null;
        aggregated: { count: number; failures: number };
        failures: { method: string; name: string; error: string; occurrences: number }[];
      }
      const before = await getJson<Stats>(`${shopUrl}/loadgen/api/stats`);
      if (before.state !== 'running' && before.state !== 'spawning')
        throw new Error(`load generator is ${before.state}`);
      await sleep(loadSeconds * 1000);
      const stats = await getJson<Stats>(`${shopUrl}/loadgen/api/stats`);
      if (stats.aggregated.count <= before.aggregated.count)
        throw new Error('the load generator sent no requests');
      if (stats.aggregated.failures > 0 || stats.userErrors > 0 || stats.flagError) {
        throw new Error(
          `${stats.aggregated.failures} failed requests, ${stats.userErrors} user errors, flag error ${stats.flagError}: ${JSON.stringify(stats.failures.slice(0, 5))}`,
        );
      }
      return `${stats.aggregated.count} requests by ${stats.users} users, 0 failures`;
    });
    void orderTraceServices;
  } catch (error) {
    failed = true;
    process.stderr.write(`[compose-test] FAILED: ${String(error)}\n`);
    try {
      const rows = await ps();
      for (const r of rows) process.stderr.write(`  ${r.Service.padEnd(18)} ${r.State} ${r.Health}\n`);
      const rank = (r: PsRow) => (r.Health === 'unhealthy' || r.State !== 'running' ? 0 : 1);
      const bad = rows
        .filter((r) => r.Health !== 'healthy' && !(r.State === 'exited' && r.ExitCode === 0))
        .sort((a, b) => rank(a) - rank(b));
      for (const r of bad.slice(0, 4)) {
        const { stdout, stderr } = await compose('logs', '--no-color', '--tail', '25', r.Service);
        process.stderr.write(`--- ${r.Service} (last lines)\n${stdout}${stderr}`);
      }
    } catch {
      // the report above is best effort
    }
  } finally {
    sampling = false;
    await sampler;
    if (process.env.KEEP === '1') {
      process.stderr.write(`[compose-test] KEEP=1: left running (project ${project})\n`);
    } else {
      await step('docker compose down -v leaves nothing', async () => {
        await compose('down', '-v', '--remove-orphans', '--timeout', '20');
        const left: string[] = [];
        const label = `label=com.docker.compose.project=${project}`;
        for (const kind of ['container', 'volume', 'network']) {
          const args =
            kind === 'container' ? ['ps', '-aq', '--filter', label] : [kind, 'ls', '-q', '--filter', label];
          const { stdout } = await run('docker', args);
          if (stdout.trim()) left.push(`${kind}s: ${stdout.trim().split('\n').join(' ')}`);
        }
        if (left.length) throw new Error(`left behind: ${left.join('; ')}`);
        return 'no containers, volumes or networks of the project remain';
      }).catch(() => {
        failed = true;
      });
    }
  }

  console.log('\nstep                                                   result   time  note');
  for (const s of steps) {
    console.log(
      `${s.name.padEnd(54)} ${(s.ok ? 'ok' : 'FAIL').padEnd(6)} ${s.seconds.toFixed(0).padStart(5)}s  ${s.note}`,
    );
  }
  console.log(`total ${((Date.now() - since) / 1000).toFixed(0)} s`);
  console.log('\ncontainer           peak MiB  limit MiB  peak/limit');
  for (const [name, peak] of [...peakMiB].sort(([a], [b]) => a.localeCompare(b))) {
    const limit = limitMiB.get(name) ?? 0;
    console.log(
      `${name.padEnd(19)} ${peak.toFixed(0).padStart(8)} ${limit.toFixed(0).padStart(10)} ${limit ? `${((100 * peak) / limit).toFixed(0)} %` : ''}`.trimEnd(),
    );
  }
  process.exitCode = failed || steps.some((s) => !s.ok) ? 1 : 0;
}

await main();
