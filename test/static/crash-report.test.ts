// The crash report the outage and robustness runs print for a component that
// restarted (test/lib/crash-report.ts): the exit reason and the ended
// instance's own last words, not the new instance's start-up lines.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CRASH_MARK, crashReport } from '../lib/crash-report.ts';

const fatal = {
  level: 'error',
  time: '2026-11-30T10:00:01.000Z',
  msg: 'fatal error, shutting down',
  err: {
    type: 'Error',
    message: 'terminating connection due to administrator command',
    stack:
      'error: terminating connection due to administrator command\n    at Parser.parseErrorMessage (pg-protocol/dist/parser.js:285:98)\n    at Socket.emit (node:events:508:28)',
  },
};

function runDir(pid: number | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'crash-report-'));
  mkdirSync(join(dir, 'logs'));
  const component = {
    name: 'accounting',
    state: pid ? 'running' : 'backoff',
    pid,
    restarts: 1,
    lastExit: { code: 1, signal: null, reason: 'Error (exit 1)', at: '2026-11-30T10:00:02.000Z' },
  };
  writeFileSync(join(dir, 'state.json'), JSON.stringify({ components: [component] }));
  writeFileSync(
    join(dir, 'logs', 'accounting.log'),
    [
      '=== devstack: starting accounting (restart 0) at 2026-11-30T09:00:00.000Z',
      '{"level":"info","msg":"started"}',
      JSON.stringify(fatal),
      'node:events:486',
      "      throw er; // Unhandled 'error' event",
      '=== devstack: starting accounting (restart 1) at 2026-11-30T10:00:03.000Z',
      '{"level":"info","msg":"the new instance started"}',
      '',
    ].join('\n'),
  );
  return dir;
}

test('a restarted component: exit reason, the ended instance’s error with its stack and its last raw lines', () => {
  const dir = runDir(4242);
  try {
    const report = crashReport(dir, 'accounting');
    assert.ok(report.every((line) => line.startsWith(CRASH_MARK)));
    const text = report.join('\n');
    assert.match(text, /accounting: Error \(exit 1\) \(code 1, signal -\) at 2026-11-30T10:00:02/);
    assert.match(
      text,
      /fatal error, shutting down — Error: terminating connection due to administrator command/,
    );
    assert.match(text, /at Parser\.parseErrorMessage/);
    assert.match(text, /Unhandled 'error' event/);
    // Negative control: the instance running now is not the one that ended.
    assert.doesNotMatch(text, /the new instance started/);
    // Neither is the supervisor's marker line, and records are shown compactly.
    assert.doesNotMatch(text, /\(restart 0\) at/);
    assert.match(text, /\|\s+info started/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a component that is down (no pid): its last section is the ended instance', () => {
  const dir = runDir(null);
  try {
    const text = crashReport(dir, 'accounting').join('\n');
    assert.match(text, /the new instance started/);
    assert.doesNotMatch(text, /terminating connection/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('missing data is said, not hidden', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crash-report-'));
  try {
    const text = crashReport(dir, 'accounting').join('\n');
    assert.match(text, /accounting: no exit recorded; now unknown/);
    assert.match(text, /its last 0 log lines/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
