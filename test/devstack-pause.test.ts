// `devstack pause/resume` on the supervisor alone (no stack needed): a paused
// component is stopped and kept down without counting a restart, and resume
// starts a new process that becomes healthy again. The outage run
// (test/faults) relies on exactly this to take a dependency away for 30 s.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Component } from '../scripts/devstack/src/components/index.ts';
import { type ComponentStatus, isSameProcess } from '../scripts/devstack/src/state.ts';
import { pausedDir, Supervisor } from '../scripts/devstack/src/supervisor.ts';
import { until } from './lib/backends.ts';

const runDir = mkdtempSync(join(tmpdir(), 'devstack-pause-'));
after(() => rmSync(runDir, { recursive: true, force: true }));

test('pause stops and holds a component without a restart; resume brings a new healthy process', {
  timeout: 60_000,
}, async () => {
  const steady: Component = {
    name: 'steady',
    group: 'backends',
    command: [process.execPath, '-e', 'setInterval(() => {}, 1000)'],
    cwd: runDir,
    env: {},
    ports: [],
    health: { kind: 'process', upForMs: 300 },
    memoryMiB: 200,
    dependsOn: [],
    restart: 'always',
    startTimeoutS: 20,
  };
  const supervisor = new Supervisor(runDir, [steady], [], 'test');
  void supervisor.run();
  const status = (): ComponentStatus => {
    const s = supervisor.status('steady');
    assert.ok(s, 'steady is supervised');
    return s;
  };

  await until('steady healthy', () => status().healthy, 10_000);
  const first = { pid: status().pid, ticks: status().pidStartTicks };

  mkdirSync(pausedDir(runDir), { recursive: true });
  writeFileSync(join(pausedDir(runDir), 'steady'), 'test\n');
  await until('steady paused', () => status().state === 'paused', 15_000);
  assert.equal(isSameProcess(first.pid, first.ticks), false, 'the paused process is gone');
  // Held down: well past the first backoff (1 s) it is still not running.
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(status().state, 'paused');
  assert.equal(status().pid, null);
  assert.equal(status().restarts, 0, 'a pause is not a restart');

  rmSync(join(pausedDir(runDir), 'steady'));
  await until('steady healthy after resume', () => status().state === 'running' && status().healthy, 15_000);
  assert.notEqual(status().pid, first.pid);
  assert.equal(status().restarts, 0);

  await supervisor.stopAll();
});
