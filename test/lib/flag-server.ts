// Spawns the native flag server (scripts/devstack/src/flagd-server.ts) on free
// loopback ports for a test, offline, and waits until it is ready.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './free-port.ts';

const root = join(import.meta.dirname, '..', '..');

export interface FlagServer {
  ports: { evaluation: number; management: number; ofrep: number };
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  /** True while the process has not exited. */
  alive(): boolean;
  stop(): void;
}

/** Starts the server on `flagFile`; resolves once `/readyz` answers (bounded by the test runner's timeout). */
export async function startFlagServer(
  flagFile: string,
  env: Record<string, string> = {},
): Promise<FlagServer> {
  const ports = { evaluation: await freePort(), management: await freePort(), ofrep: await freePort() };
  let output = '';
  const child = spawn(process.execPath, [join(root, 'scripts/devstack/src/flagd-server.ts')], {
    cwd: root,
    env: {
      ...process.env,
      FLAGD_FILE: flagFile,
      FLAGD_PORT: String(ports.evaluation),
      FLAGD_MANAGEMENT_PORT: String(ports.management),
      FLAGD_OFREP_PORT: String(ports.ofrep),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (d: Buffer) => {
    output += d;
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // Ready = flags loaded and the evaluation port listening (the server's /readyz).
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${ports.management}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    assert.equal(child.exitCode, null, `flag server exited during start-up: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ports, output: () => output, alive: () => child.exitCode === null, stop: () => child.kill() };
}
