// The supervisor's watch step on its own (no stack needed): a component that
// stays up but stops answering is restarted once liveness has failed
// DEVSTACK_LIVENESS_FAILURES probes in a row; one whose readiness fails while
// it still answers /livez is only reported unhealthy, never restarted.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Component } from '../scripts/devstack/src/components/index.ts';
import { until } from './lib/backends.ts';
import { freePort } from './lib/free-port.ts';

// Read once when the supervisor module loads: short probe periods for this file only.
process.env.DEVSTACK_PROBE_PERIOD_MS = '200';
process.env.DEVSTACK_LIVENESS_FAILURES = '3';
process.env.DEVSTACK_STOP_GRACE_MS = '2000';
const { Supervisor } = await import('../scripts/devstack/src/supervisor.ts');

const runDir = mkdtempSync(join(tmpdir(), 'devstack-liveness-'));
after(() => rmSync(runDir, { recursive: true, force: true }));

/** An HTTP server answering /health with `ready` and /livez with `live` (paths answered until `stopAfterMs`). */
const server = (port: number, opts: { readyAfterMs?: number; stopAfterMs?: number }) => `
  const http = require('node:http'); const t0 = Date.now();
  const s = http.createServer((req, res) => {
    const up = Date.now() - t0;
    if (req.url === '/livez') return res.end('ok');
    res.statusCode = up < ${opts.readyAfterMs ?? 1e9} ? 200 : 503; res.end();
  }).listen(${port}, '127.0.0.1');
  ${opts.stopAfterMs ? `setTimeout(() => s.close() && s.closeAllConnections(), ${opts.stopAfterMs});` : ''}
  setInterval(() => {}, 1000);`;

const component = (name: string, port: number, script: string): Component => ({
  name,
  group: 'services',
  command: [process.execPath, '-e', script],
  cwd: runDir,
  env: {},
  ports: [port],
  health: { kind: 'http', url: `http://127.0.0.1:${port}/health` },
  liveness: { kind: 'http', url: `http://127.0.0.1:${port}/livez` },
  memoryMiB: 256,
  dependsOn: [],
  restart: 'always',
  startTimeoutS: 20,
});

test('liveness failing restarts; readiness failing alone only reports', { timeout: 60_000 }, async () => {
  const [hungPort, busyPort] = [await freePort(), await freePort()];
  // Answers for 1.5 s, then closes its listener but keeps running (a hung process).
  const hung = component('hung', hungPort, server(hungPort, { stopAfterMs: 1500 }));
  // Ready for 1.5 s, then not ready (a dependency away) while /livez still answers.
  const busy = component('busy', busyPort, server(busyPort, { readyAfterMs: 1500 }));
  const supervisor = new Supervisor(runDir, [hung, busy], [], 'test');
  void supervisor.run();
  const status = (name: string) => {
    const s = supervisor.status(name);
    assert.ok(s, `${name} is supervised`);
    return s;
  };
  await until('hung restarted', () => status('hung').restarts >= 1, 30_000);
  assert.match(status('hung').lastExit?.reason ?? '', /Killed \(SIGTERM\)|Error/);
  // busy turned unready when hung stopped answering: by now it has had as many
  // probes as hung needed to be restarted.
  await until(
    'busy reported unhealthy',
    () => status('busy').state === 'running' && !status('busy').healthy,
    10_000,
  );
  assert.equal(status('busy').restarts, 0, 'a failing readiness probe never restarts');
  await supervisor.stopAll();
});
