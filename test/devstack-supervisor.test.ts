// The native runner's supervisor on its own (no stack needed): a crashing
// component is restarted with backoff, one that outgrows its memory limit is
// SIGKILLed and recorded as OOMKilled (then restarted), and stopAll leaves no
// process behind.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Component } from '../scripts/devstack/src/components/index.ts';
import { isSameProcess } from '../scripts/devstack/src/state.ts';
import { Supervisor } from '../scripts/devstack/src/supervisor.ts';
import { until } from './lib/backends.ts';

const runDir = mkdtempSync(join(tmpdir(), 'devstack-test-'));
after(() => rmSync(runDir, { recursive: true, force: true }));

const nodeComponent = (name: string, script: string, memoryMiB: number): Component => ({
  name,
  group: 'services',
  command: [process.execPath, '-e', script],
  cwd: runDir,
  env: {},
  ports: [],
  health: { kind: 'process', upForMs: 300 },
  memoryMiB,
  dependsOn: [],
  restart: 'always',
  startTimeoutS: 20,
});

test('crash -> restart, memory over limit -> OOMKilled + restart, stop leaves nothing', {
  timeout: 60_000,
}, async () => {
  const crasher = nodeComponent('crasher', 'setTimeout(() => process.exit(3), 800)', 200);
  // Grows by ~16 MiB every 100 ms until the 120 MiB limit is hit.
  const leaker = nodeComponent(
    'leaker',
    'const keep = []; setInterval(() => keep.push(Buffer.alloc(16 * 1024 * 1024, 1)), 100)',
    120,
  );
  const steady = nodeComponent('steady', 'setInterval(() => {}, 1000)', 200);
  steady.dependsOn = ['crasher'];
  const supervisor = new Supervisor(runDir, [crasher, leaker, steady], [], 'test');
  const running = supervisor.run();
  const status = (name: string) => {
    const s = supervisor.status(name);
    assert.ok(s, `${name} is supervised`);
    return s;
  };

  await until('crasher restarted', () => status('crasher').restarts >= 1, 20_000);
  assert.equal(status('crasher').lastExit?.reason, 'Error (exit 3)');

  await until('leaker OOMKilled', () => status('leaker').lastExit?.reason === 'OOMKilled', 30_000);
  await until('leaker restarted', () => status('leaker').restarts >= 1, 10_000);

  await until('steady healthy', () => status('steady').healthySince !== null, 10_000);
  const pids = ['crasher', 'leaker', 'steady'].map((n) => [status(n).pid, status(n).pidStartTicks] as const);

  await supervisor.stopAll();
  void running;
  for (const [pid, ticks] of pids) assert.equal(isSameProcess(pid, ticks), false, `pid ${pid} is gone`);
  assert.equal(status('steady').state, 'stopped');
});

test('waitFor: a component starts without waiting for a dependency it does not need at boot', {
  timeout: 60_000,
}, async () => {
  // Never healthy while the test runs.
  const slow: Component = {
    ...nodeComponent('slow', 'setInterval(() => {}, 1000)', 200),
    startTimeoutS: 120,
  };
  slow.health = { kind: 'process', upForMs: 600_000 };
  const eager = {
    ...nodeComponent('eager', 'setInterval(() => {}, 1000)', 200),
    dependsOn: ['slow'],
    waitFor: [],
  };
  const patient = { ...nodeComponent('patient', 'setInterval(() => {}, 1000)', 200), dependsOn: ['slow'] };
  const supervisor = new Supervisor(runDir, [slow, eager, patient], [], 'test');
  void supervisor.run();
  await until('eager healthy', () => supervisor.status('eager')?.healthySince != null, 20_000);
  // Without waitFor, dependsOn is what it waits for: still not spawned.
  assert.equal(supervisor.status('patient')?.state, 'waiting');
  assert.equal(supervisor.status('patient')?.pid, null);
  await supervisor.stopAll();
});

test('.env addresses become loopback addresses natively; paths and names are left alone', async () => {
  const { loadNativeEnv, toNativeAddress } = await import('../scripts/devstack/src/env.ts');
  assert.equal(toNativeAddress('cart:7070'), '127.0.0.1:7070');
  assert.equal(toNativeAddress('http://email:6060'), 'http://127.0.0.1:6060');
  assert.equal(
    toNativeAddress('postgres://u:p@astronomy-db:5432/astronomy_db?sslmode=disable'),
    'postgres://u:p@127.0.0.1:5432/astronomy_db?sslmode=disable',
  );
  assert.equal(toNativeAddress('flagd/demo.flagd.json'), 'flagd/demo.flagd.json');
  assert.equal(
    toNativeAddress('service.namespace=opentelemetry-demo'),
    'service.namespace=opentelemetry-demo',
  );
  const env = loadNativeEnv(join(import.meta.dirname, '..'), runDir);
  assert.equal(env.CART_ADDR, '127.0.0.1:7070');
  assert.equal(env.FRONTEND_PORT, '8082');
  assert.equal(env.JAEGER_GRPC_PORT, '4327');
  assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://127.0.0.1:4317');
  assert.equal(env.KAFKA_ADDR, '127.0.0.1:9092');
  assert.ok(env.FLAGD_FILE?.endsWith('/flagd/demo.flagd.json'));
});
