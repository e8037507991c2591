// `make test-cluster`: the user's walkthrough on a real single-node Kubernetes
// built here (scripts/cluster): cluster up → images loaded → `helm install
// --wait` with the offline values → through `kubectl port-forward`: every pod
// Ready, `helm test`, the storefront in Chromium, its trace in Jaeger, span
// metrics in Prometheus, an error-free load generator, the recommendation leak
// ending in a kernel OOM kill, failedReadinessProbe taking cart out of its
// Service, `helm upgrade` rolling only what changed, `helm uninstall` leaving
// nothing. Prints a step table; stops at the first failure; always tears the
// cluster down (KEEP_CLUSTER=1 keeps it for a look).
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, sleep } from '../lib/backends.ts';
import { freePort } from '../lib/free-port.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const NS = 'astronomy-shop';
const RELEASE = 'astronomy-shop';
const CHART = join(ROOT, 'helm/astronomy-shop');
const OFFLINE_VALUES = join(CHART, 'values-offline.yaml');
const KEEP = process.env.KEEP_CLUSTER === '1';

// Paths of the cluster's tools, from the one place they are defined.
const [KUBECTL, HELM, KUBECONFIG] = execFileSync(
  'bash',
  ['-c', `. "${ROOT}/scripts/cluster/lib.sh"; echo "$KUBECTL"; echo "$HELM"; echo "$KUBECONFIG"`],
  { encoding: 'utf8' },
)
  .trim()
  .split('\n') as [string, string, string];
const env = { ...process.env, KUBECONFIG };

function sh(cmd: string, args: string[], timeoutS: number, input?: string): string {
  try {
    return execFileSync(cmd, args, {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      input,
      timeout: timeoutS * 1000,
      killSignal: 'SIGKILL',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${(e.stderr ?? '').slice(-3000)}`);
  }
}
/** Long script whose output streams to ours (the build and bring-up narrate themselves). */
function run(cmd: string, args: string[], timeoutS: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code ?? signal}`));
    });
  });
}
const kubectl = (args: string[], timeoutS = 60) => sh(KUBECTL, args, timeoutS);
const kjson = <T>(args: string[]): T => JSON.parse(kubectl([...args, '-o', 'json'])) as T;
const helm = (args: string[], timeoutS: number) => sh(HELM, args, timeoutS);

interface Pod {
  metadata: { name: string; uid: string; labels: Record<string, string> };
  spec: { nodeName?: string };
  status: {
    phase: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: {
      name: string;
      ready: boolean;
      restartCount: number;
      containerID?: string;
      lastState?: { terminated?: { reason?: string; exitCode?: number } };
    }[];
  };
}
const pods = () => kjson<{ items: Pod[] }>(['-n', NS, 'get', 'pods']).items;
const podOf = (component: string) => {
  const found = pods().filter((p) => p.metadata.labels['app.kubernetes.io/name'] === component);
  if (found.length !== 1) throw new Error(`expected one ${component} pod, found ${found.length}`);
  return found[0] as Pod;
};
const isReady = (p: Pod) =>
  p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const restarts = (p: Pod) => (p.status.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0);

const forwards: ChildProcess[] = [];
/** kubectl port-forward to a free 127.0.0.1 port (never the native stack's ports). */
async function portForward(target: string, remotePort: number, readyPath: string): Promise<string> {
  const port = await freePort();
  const child = spawn(
    KUBECTL,
    ['-n', NS, 'port-forward', '--address', '127.0.0.1', target, `${port}:${remotePort}`],
    {
      env,
      stdio: 'ignore',
    },
  );
  forwards.push(child);
  const base = `http://127.0.0.1:${port}`;
  await eventually(
    `port-forward to ${target}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`port-forward ${target} exited ${child.exitCode}`);
      return (await fetch(base + readyPath, { signal: AbortSignal.timeout(3000) })).ok ? true : undefined;
    },
    30_000,
    500,
  );
  return base;
}

let SHOP = '';
let PROM = '';
async function prom(query: string): Promise<{ metric: Record<string, string>; value: number }[]> {
  const r = await fetch(`${PROM}/api/v1/query?${new URLSearchParams({ query })}`, {
    signal: AbortSignal.timeout(10_000),
  });
  if (!r.ok) throw new Error(`prometheus ${r.status}: ${await r.text()}`);
  const body = (await r.json()) as {
    data: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  return body.data.result.map((s) => ({ metric: s.metric, value: Number(s.value[1]) }));
}
async function setFlag(flag: string, variant: string): Promise<void> {
  const post = () =>
    fetch(`${SHOP}/feature/api/flags/${flag}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ variant }),
      signal: AbortSignal.timeout(10_000),
    });
  // Setting a variant is idempotent. Through kubectl port-forward a pooled
  // keep-alive connection can already be closed on the far side ("other side
  // closed"), and undici does not retry a POST by itself: one fresh attempt.
  const r = await post().catch((error: unknown) => {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw error;
    return post();
  });
  assert.ok(r.ok, `flag UI set ${flag}=${variant}: ${r.status} ${await r.text()}`);
}
const memQuery = (service: string) =>
  `max(process_memory_usage_bytes{service_name="${service}"} and (time() - timestamp(process_memory_usage_bytes{service_name="${service}"}) < 30))`;

// ---------------------------------------------------------------- the steps
interface Step {
  name: string;
  timeoutS: number;
  /** Resolves to a short note for the table (or nothing). */
  fn: () => Promise<unknown>;
}
const results: { name: string; seconds: number; ok: boolean; note: string }[] = [];
const measurements: string[] = [];

const steps: Step[] = [
  {
    name: 'cluster up (build cached binaries, start)',
    timeoutS: 3600,
    fn: async () => {
      await run('bash', ['scripts/cluster/up.sh'], 3600);
      return kubectl(['get', 'node', '-o', 'jsonpath={.items[0].status.nodeInfo.kubeletVersion}']);
    },
  },
  {
    name: 'load images into the node',
    timeoutS: 900,
    fn: async () => {
      assert.ok(existsSync(OFFLINE_VALUES), `${OFFLINE_VALUES} exists`);
      await run('bash', ['scripts/cluster/load-images.sh', '--chart', '-f', OFFLINE_VALUES], 900);
    },
  },
  {
    name: 'helm install --wait (offline values)',
    timeoutS: 900,
    fn: async () => {
      helm(
        [
          'install',
          RELEASE,
          CHART,
          '-n',
          NS,
          '--create-namespace',
          '-f',
          OFFLINE_VALUES,
          '--wait',
          '--timeout',
          '12m',
        ],
        900,
      );
      return `${pods().length} pods`;
    },
  },
  {
    name: 'every pod Ready, no restarts',
    timeoutS: 120,
    fn: async () => {
      const list = await eventually(
        'all pods Ready',
        async () => {
          const l = pods();
          return l.length > 0 && l.every(isReady) ? l : undefined;
        },
        90_000,
        2000,
      );
      const restarted = list.filter((p) => restarts(p) > 0).map((p) => `${p.metadata.name}:${restarts(p)}`);
      assert.deepEqual(restarted, [], 'no container restarted during the install');
      return `${list.length} pods Ready`;
    },
  },
  {
    name: 'port-forward svc/frontend-proxy and svc/prometheus',
    timeoutS: 60,
    fn: async () => {
      SHOP = await portForward('svc/frontend-proxy', 8080, '/health');
      PROM = await portForward('svc/prometheus', 9090, '/-/ready');
      return `shop ${SHOP}, prometheus ${PROM}`;
    },
  },
  {
    name: 'helm test',
    timeoutS: 240,
    fn: async () => {
      helm(['test', RELEASE, '-n', NS, '--timeout', '3m'], 240);
    },
  },
  {
    name: 'storefront e2e in Chromium + its trace in Jaeger',
    timeoutS: 300,
    fn: async () => {
      // The same browser test the native stack runs, pointed at the cluster.
      await new Promise<void>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--test', '--test-reporter=spec', 'test/storefront-e2e.test.ts'],
          {
            cwd: ROOT,
            env: { ...env, SHOP_URL: SHOP, JAEGER_URL: `${SHOP}/jaeger/ui` },
            stdio: ['ignore', 'inherit', 'inherit'],
          },
        );
        const timer = setTimeout(() => child.kill('SIGKILL'), 280_000);
        child.on('exit', (code) => {
          clearTimeout(timer);
          code === 0 ? resolve() : reject(new Error(`storefront e2e exited ${code}`));
        });
      });
    },
  },
  {
    name: 'span metrics and target_info in Prometheus',
    timeoutS: 150,
    fn: async () => {
      const calls = await eventually(
        'traces_span_metrics_calls_total for checkout',
        async () => {
          const s = await prom('sum(traces_span_metrics_calls_total{service_name="checkout"})');
          return s.length && (s[0]?.value ?? 0) > 0 ? s[0]?.value : undefined;
        },
        120_000,
        3000,
      );
      // target_info carries service identity in `job` (service.namespace/service.name).
      const targets = await prom('count by (job) (target_info)');
      const names = targets.map((t) => (t.metric.job ?? '').replace(/^.*\//, '')).sort();
      for (const s of ['checkout', 'frontend', 'cart', 'recommendation', 'product-catalog'])
        assert.ok(names.includes(s), `target_info for ${s} (have ${names.join(',')})`);
      return `checkout calls ${calls}, target_info for ${names.length} services`;
    },
  },
  {
    name: 'kafka (OTel Java agent) and Kubernetes identity in Prometheus',
    timeoutS: 150,
    fn: async () => {
      // The broker's own JMX metrics, as the original's kafka sends them.
      const broker = await eventually(
        'kafka-broker metrics from service kafka',
        async () => {
          const s = await prom('sum(kafka_request_count_total{service_name="kafka"})');
          return s.length ? s[0]?.value : undefined;
        },
        120_000,
        3000,
      );
      // k8s.* resource attributes (downward API) arrive as target_info labels
      // naming the real pod, namespace, node and Deployment.
      const live = new Map(pods().map((p) => [p.metadata.name, p.spec.nodeName]));
      const ids = await prom(
        'count by (service_name, k8s_pod_name, k8s_namespace_name, k8s_node_name, k8s_deployment_name) (target_info)',
      );
      for (const service of ['checkout', 'cart', 'kafka']) {
        const id = ids.find((s) => s.metric.service_name === service)?.metric;
        assert.ok(id, `target_info for ${service}`);
        assert.equal(id.k8s_namespace_name, NS, `${service}: k8s_namespace_name`);
        assert.equal(id.k8s_deployment_name, service, `${service}: k8s_deployment_name`);
        assert.ok(
          live.has(id.k8s_pod_name ?? ''),
          `${service}: k8s_pod_name ${id.k8s_pod_name} is a pod of the release`,
        );
        assert.equal(
          id.k8s_node_name,
          live.get(id.k8s_pod_name ?? ''),
          `${service}: k8s_node_name is its pod's node`,
        );
      }
      return `kafka requests ${broker}; k8s identity on ${ids.filter((s) => s.metric.k8s_pod_name).length} target_info series`;
    },
  },
  {
    name: 'load generator running error-free',
    timeoutS: 150,
    fn: async () => {
      type Stats = {
        state: string;
        users: number;
        userErrors: number;
        aggregated: { count: number; failures: number };
        failures: unknown[];
      };
      const stats = async () =>
        (await (
          await fetch(`${SHOP}/loadgen/api/stats`, { signal: AbortSignal.timeout(10_000) })
        ).json()) as Stats;
      // The load generator starts with the release and meets the shop's pods
      // before they are Ready (connection refused while the frontend starts).
      // Every pod is Ready by now: count from here, via the UI's own reset (an
      // admin route: JSON, same origin).
      const reset = await fetch(`${SHOP}/loadgen/api/reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
        signal: AbortSignal.timeout(10_000),
      });
      assert.ok(reset.ok, `load generator stats reset: ${reset.status} ${await reset.text()}`);
      const first = await eventually(
        'the load generator to have sent requests',
        async () => {
          const s = await stats();
          return s.state === 'running' && s.aggregated.count > 20 ? s : undefined;
        },
        120_000,
        3000,
      );
      assert.equal(
        first.aggregated.failures,
        0,
        `load generator failures: ${JSON.stringify(first.failures).slice(0, 800)}`,
      );
      assert.equal(first.userErrors, 0, 'load generator user errors');
      return `${first.users} users, ${first.aggregated.count} requests since all pods Ready, 0 failures`;
    },
  },
  {
    name: 'peak memory per container (cgroup) vs limit',
    timeoutS: 60,
    fn: async () => {
      // The cgroupfs driver on cgroup v1: kubepods/<qos>/pod<uid>/<container id>.
      const rows: string[] = [];
      let worst = 0;
      const limits = kjson<{
        items: {
          metadata: { name: string; uid: string };
          spec: { containers: { name: string; resources: { limits?: { memory?: string } } }[] };
        }[];
      }>(['-n', NS, 'get', 'pods']);
      for (const p of limits.items) {
        const status = pods().find((x) => x.metadata.uid === p.metadata.uid);
        for (const c of p.spec.containers) {
          const id = status?.status.containerStatuses
            ?.find((s) => s.name === c.name)
            ?.containerID?.replace(/^.*:\/\//, '');
          const dirs = ['burstable', 'besteffort', ''].map((q) =>
            join(
              '/sys/fs/cgroup/memory/kubepods',
              q,
              `pod${p.metadata.uid}`,
              id ?? 'none',
              'memory.max_usage_in_bytes',
            ),
          );
          const file = dirs.find((d) => existsSync(d));
          if (!file) continue;
          const peak = Number(readFileSync(file, 'utf8')) / 1048576;
          const limit = Number.parseInt(c.resources.limits?.memory ?? '0', 10);
          worst = Math.max(worst, peak / limit);
          rows.push(
            `${p.metadata.name.replace(/-[a-z0-9]+-[a-z0-9]+$/, '')}/${c.name}: peak ${peak.toFixed(0)} MiB of ${limit} MiB`,
          );
        }
      }
      assert.ok(rows.length > 10, 'cgroup memory readings found');
      measurements.push(...rows.sort());
      return `${rows.length} containers, highest peak ${(worst * 100).toFixed(0)}% of its limit`;
    },
  },
  {
    name: 'recommendationCacheFailure → OOMKilled → recovers',
    timeoutS: 720,
    fn: async () => {
      const before = podOf('recommendation');
      const restartsBefore = restarts(before);
      const baseline = (await prom(memQuery('recommendation')))[0]?.value ?? 0;
      await setFlag('recommendationCacheFailure', 'on');
      let peak = baseline;
      let oom = false;
      const driveUntil = Date.now() + 600_000;
      // Drive recommendations (the load generator does too) until the kernel
      // ends it, one call every 2 s: every miss retains a fixed share of the
      // heap, so a faster pace OOM-kills the pod between two metric exports
      // (10 s) and the climb a user should see never reaches Prometheus.
      while (Date.now() < driveUntil && !oom) {
        await fetch(
          `${SHOP}/api/recommendations?productIds=66VCHSJNUP&sessionId=cluster-test&currencyCode=USD`,
          {
            signal: AbortSignal.timeout(10_000),
          },
        ).catch(() => undefined);
        const m = (await prom(memQuery('recommendation')).catch(() => []))[0]?.value ?? 0;
        peak = Math.max(peak, m);
        const p = podOf('recommendation');
        const c = p.status.containerStatuses?.[0];
        oom = (c?.restartCount ?? 0) > restartsBefore && c?.lastState?.terminated?.reason === 'OOMKilled';
        await sleep(2000);
      }
      await setFlag('recommendationCacheFailure', 'off');
      assert.ok(oom, 'recommendation ended OOMKilled with a restart');
      assert.ok(peak - baseline > 40 * 1048576, `memory climbed in Prometheus: ${baseline} → ${peak} bytes`);
      const after = await eventually(
        'recommendation Ready again',
        async () => {
          const p = podOf('recommendation');
          return isReady(p) ? p : undefined;
        },
        120_000,
        2000,
      );
      // Recovered: with the flag off it serves and stays up.
      const stable = restarts(after);
      await eventually(
        'recommendations served again',
        async () =>
          (
            await fetch(
              `${SHOP}/api/recommendations?productIds=66VCHSJNUP&sessionId=cluster-test&currencyCode=USD`,
            )
          ).ok
            ? true
            : undefined,
        60_000,
        2000,
      );
      await sleep(20_000);
      assert.equal(restarts(podOf('recommendation')), stable, 'no further restart with the flag off');
      const last = after.status.containerStatuses?.[0]?.lastState?.terminated;
      return `memory ${(baseline / 1048576).toFixed(0)} → ${(peak / 1048576).toFixed(0)} MiB, lastState ${last?.reason} (exit ${last?.exitCode}), restarts ${restartsBefore} → ${stable}`;
    },
  },
  {
    name: 'failedReadinessProbe: cart leaves its endpoints, no restart',
    timeoutS: 240,
    fn: async () => {
      const readyAddresses = () =>
        kjson<{ items: { endpoints?: { conditions?: { ready?: boolean } }[] }[] }>([
          '-n',
          NS,
          'get',
          'endpointslices',
          '-l',
          'kubernetes.io/service-name=cart',
        ])
          .items.flatMap((s) => s.endpoints ?? [])
          .filter((e) => e.conditions?.ready).length;
      assert.equal(readyAddresses(), 1, 'cart has one ready endpoint before');
      const before = podOf('cart');
      await setFlag('failedReadinessProbe', 'on');
      try {
        await eventually(
          'cart out of its endpoints',
          async () => (readyAddresses() === 0 ? true : undefined),
          90_000,
          2000,
        );
        // Stays out and alive for a few liveness periods: readiness only, no restart.
        await sleep(35_000);
        const during = podOf('cart');
        assert.equal(during.metadata.uid, before.metadata.uid, 'same cart pod');
        assert.equal(restarts(during), restarts(before), 'cart was not restarted');
        assert.equal(readyAddresses(), 0, 'cart still out of the Service');
      } finally {
        await setFlag('failedReadinessProbe', 'off');
      }
      await eventually(
        'cart back in its endpoints',
        async () => (readyAddresses() === 1 ? true : undefined),
        90_000,
        2000,
      );
      assert.equal(restarts(podOf('cart')), restarts(before), 'cart was not restarted');
    },
  },
  {
    name: 'helm upgrade with a changed flag rolls only flagd',
    timeoutS: 420,
    fn: async () => {
      type Deploy = { metadata: { name: string; generation: number } };
      const gens = () =>
        Object.fromEntries(
          kjson<{ items: Deploy[] }>(['-n', NS, 'get', 'deployments']).items.map((d) => [
            d.metadata.name,
            d.metadata.generation,
          ]),
        );
      const before = gens();
      const uids = new Map(pods().map((p) => [p.metadata.labels['app.kubernetes.io/name'], p.metadata.uid]));
      helm(
        [
          'upgrade',
          RELEASE,
          CHART,
          '-n',
          NS,
          '-f',
          OFFLINE_VALUES,
          '--set',
          'flags.adFailure=on',
          '--wait',
          '--timeout',
          '5m',
        ],
        400,
      );
      const after = gens();
      const rolled = Object.keys(after).filter((n) => after[n] !== before[n]);
      assert.deepEqual(rolled, ['flagd'], 'only flagd (its flag ConfigMap changed) rolled');
      const replaced = pods()
        .filter((p) => uids.get(p.metadata.labels['app.kubernetes.io/name']) !== p.metadata.uid)
        .map((p) => p.metadata.labels['app.kubernetes.io/name']);
      assert.deepEqual([...new Set(replaced)], ['flagd'], 'only the flagd pod is new');
      const cm = kjson<{ data: Record<string, string> }>(['-n', NS, 'get', 'configmap', 'flagd-config']);
      assert.equal(JSON.parse(cm.data['demo.flagd.json'] ?? '{}').flags.adFailure.defaultVariant, 'on');
      return `rolled: ${rolled.join(',')}`;
    },
  },
  {
    name: 'helm uninstall leaves nothing',
    timeoutS: 300,
    fn: async () => {
      for (const f of forwards) f.kill();
      helm(['uninstall', RELEASE, '-n', NS, '--wait', '--timeout', '4m'], 280);
      const left = () =>
        kubectl([
          '-n',
          NS,
          'get',
          'all,configmaps,secrets,networkpolicies,serviceaccounts,endpointslices',
          '-o',
          'name',
        ])
          .split('\n')
          .filter((l) => l && !/configmap\/kube-root-ca\.crt|serviceaccount\/default/.test(l));
      await eventually(
        'namespace emptied',
        async () => (left().length === 0 ? true : undefined),
        120_000,
        2000,
      );
      kubectl(['delete', 'namespace', NS, '--wait', '--timeout=120s'], 150);
    },
  },
];

async function diagnostics(): Promise<void> {
  try {
    console.error(kubectl(['get', 'pods', '-A', '-o', 'wide']));
    for (const p of pods().filter((x) => !isReady(x) || restarts(x) > 0)) {
      console.error(kubectl(['-n', NS, 'describe', 'pod', p.metadata.name]).slice(-2500));
      console.error(
        kubectl(['-n', NS, 'logs', p.metadata.name, '--all-containers', '--tail=40']).slice(-3000),
      );
    }
  } catch (error) {
    console.error(`(diagnostics incomplete: ${String(error).slice(0, 300)})`);
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  let failed = false;
  for (const step of steps) {
    const t0 = Date.now();
    process.stdout.write(`\n==== ${step.name}\n`);
    let note = '';
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        step.fn(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`step timed out after ${step.timeoutS} s`)),
            step.timeoutS * 1000,
          );
        }),
      ]);
      note = typeof result === 'string' ? result : '';
      results.push({ name: step.name, seconds: (Date.now() - t0) / 1000, ok: true, note });
    } catch (error) {
      results.push({
        name: step.name,
        seconds: (Date.now() - t0) / 1000,
        ok: false,
        note: String(error).split('\n')[0]?.slice(0, 200) ?? '',
      });
      console.error(error);
      failed = true;
      await diagnostics();
      break;
    } finally {
      clearTimeout(timer);
    }
  }
  for (const f of forwards) f.kill();
  if (KEEP) {
    console.log(`\nKEEP_CLUSTER=1: cluster left up (KUBECONFIG=${KUBECONFIG})`);
  } else {
    const t0 = Date.now();
    try {
      await run('bash', ['scripts/cluster/down.sh'], 300);
      results.push({ name: 'cluster down', seconds: (Date.now() - t0) / 1000, ok: true, note: '' });
    } catch (error) {
      results.push({
        name: 'cluster down',
        seconds: (Date.now() - t0) / 1000,
        ok: false,
        note: String(error),
      });
      failed = true;
    }
  }
  const notRun = steps.slice(results.filter((r) => r.name !== 'cluster down').length);
  const rows = [
    ...results.filter((r) => r.name !== 'cluster down'),
    ...notRun.map((step) => ({ name: step.name, seconds: Number.NaN, ok: false, note: 'not run' })),
    ...results.filter((r) => r.name === 'cluster down'),
  ];
  console.log('\n| step | result | seconds | note |\n|---|---|---:|---|');
  for (const r of rows) {
    const result = r.note === 'not run' ? 'not run' : r.ok ? 'ok' : 'FAILED';
    const seconds = Number.isNaN(r.seconds) ? '' : r.seconds.toFixed(1);
    console.log(
      `| ${r.name} | ${result} | ${seconds} | ${r.note === 'not run' ? '' : r.note.replaceAll('|', '/')} |`,
    );
  }
  console.log(`| total | ${failed ? 'FAILED' : 'ok'} | ${((Date.now() - started) / 1000).toFixed(1)} | |`);
  if (measurements.length)
    console.log(`\npeak memory (cgroup memory.max_usage_in_bytes):\n  ${measurements.join('\n  ')}`);
  return failed ? 1 : 0;
}

process.on('SIGINT', () => {
  for (const f of forwards) f.kill();
  process.exit(130);
});
process.exitCode = await main();
