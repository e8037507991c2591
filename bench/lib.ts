// What every benchmark shares: a closed-loop load driver, the running stack's
// processes and their memory/CPU, and bench-only instances of a service started
// exactly as the native runner starts it (same command, same environment).
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildStack, type Component, type Tools } from '../scripts/devstack/src/components/index.ts';
import { loadNativeEnv } from '../scripts/devstack/src/env.ts';
import {
  groupRssMiB,
  isSameProcess,
  pidFile,
  readState,
  type StackState,
} from '../scripts/devstack/src/state.ts';
import { freePort } from '../test/lib/free-port.ts';

export const ROOT = resolve(import.meta.dirname, '..');
export const RUN_DIR = process.env.ASTROSHOP_RUN_DIR ?? join(ROOT, '.run');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const percentile = (sorted: number[], p: number): number =>
  sorted.length
    ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN)
    : Number.NaN;

export interface LoadResult {
  calls: number;
  errors: number;
  /** Error count per message, so a failing run says why. */
  errorKinds: Map<string, number>;
  seconds: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface LoadOptions {
  concurrency: number;
  seconds: number;
  warmupSeconds?: number;
}

/**
 * `concurrency` workers call back-to-back until the clock runs out (closed
 * loop); calls finished during the warm-up are not counted. `call` gets the
 * worker's index (a worker may keep its own state, e.g. a cart); a call that
 * resolves to `{ timedMs }` times itself (its set-up steps are not counted).
 */
export async function drive(
  call: (worker: number) => Promise<unknown>,
  { concurrency, seconds, warmupSeconds = 0 }: LoadOptions,
): Promise<LoadResult> {
  const warmupEnd = Date.now() + warmupSeconds * 1000;
  const end = warmupEnd + seconds * 1000;
  const latencies: number[] = [];
  const errorKinds = new Map<string, number>();
  let errors = 0;
  const worker = async (index: number) => {
    while (Date.now() < end) {
      const start = performance.now();
      let failure: string | undefined;
      let timedMs: number | undefined;
      try {
        timedMs = ((await call(index)) as { timedMs?: number } | undefined)?.timedMs;
      } catch (error) {
        const e = error as { code?: number; details?: string; message?: string };
        failure = `${e.code ?? ''} ${(e.details ?? e.message ?? String(error)).slice(0, 120)}`.trim();
      }
      if (Date.now() < warmupEnd) continue;
      if (failure) {
        errors++;
        errorKinds.set(failure, (errorKinds.get(failure) ?? 0) + 1);
      } else latencies.push(timedMs ?? performance.now() - start);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
  latencies.sort((a, b) => a - b);
  return {
    calls: latencies.length,
    errors,
    errorKinds,
    seconds,
    throughput: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
  };
}

export const describeErrors = (r: LoadResult): string =>
  [...r.errorKinds].map(([kind, count]) => `${count} x ${kind}`).join('; ');

/** CPU seconds (user + system) `pid` has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // f[11]=utime, f[12]=stime in clock ticks (USER_HZ is 100 on Linux).
  return (Number(f[11]) + Number(f[12])) / 100;
}

/** The running stack's state, or an error saying how to get one. */
export function stackState(): StackState {
  const state = readState(RUN_DIR);
  if (!state) throw new Error(`no stack state in ${RUN_DIR}: start the stack first (make start)`);
  return state;
}

/** PSS (MiB) of every live component's process tree, by component name. */
export function componentPss(state: StackState = stackState()): Map<string, { group: string; mib: number }> {
  const out = new Map<string, { group: string; mib: number }>();
  for (const c of state.components) {
    if (c.pid === null || !isSameProcess(c.pid, c.pidStartTicks)) continue;
    const mib = groupRssMiB(c.pid);
    if (mib !== null) out.set(c.name, { group: c.group, mib });
  }
  return out;
}

/** The supervisor daemon's pid, if it runs. */
export function supervisorPid(): number | null {
  try {
    const pid = Number(readFileSync(pidFile(RUN_DIR), 'utf8').trim());
    readFileSync(`/proc/${pid}/stat`);
    return pid;
  } catch {
    return null;
  }
}

/** The component table as the supervisor builds it (command, env, ports). */
function componentSpec(name: string): { spec: Component; env: Record<string, string>; tools: Tools } {
  const tools = JSON.parse(readFileSync(join(RUN_DIR, 'tools.json'), 'utf8')) as Tools;
  const env = loadNativeEnv(ROOT, RUN_DIR);
  const spec = buildStack({ repoRoot: ROOT, runDir: RUN_DIR, env, tools }).components.find(
    (c) => c.name === name,
  );
  if (!spec) throw new Error(`no component ${name} in the native component table`);
  return { spec, env, tools };
}

export interface Instance {
  name: string;
  telemetry: boolean;
  port: number;
  child: ChildProcess;
  stop: () => void;
}

/**
 * One more instance of a stack service on a spare loopback port, started with
 * the supervisor's command and environment, its telemetry on or switched off
 * with OTEL_SDK_DISABLED=true (the preload still loads: only the SDK is off).
 * It reports as `<name>-bench` so its spans never mix with the stack's own.
 */
export async function startInstance(
  name: string,
  portVar: string,
  telemetry: boolean,
  /** Overrides of the bench defaults below (e.g. LOG_LEVEL). */
  extraEnv: Record<string, string> = {},
): Promise<Instance> {
  const { spec, env, tools } = componentSpec(name);
  const port = await freePort();
  const [file, ...args] = spec.command;
  const child = spawn(file as string, args, {
    cwd: spec.cwd,
    env: {
      ...process.env,
      ...env,
      PATH: `${tools.node}:${process.env.PATH ?? ''}`,
      ...spec.env,
      [portVar]: String(port),
      PORT: String(port),
      OTEL_SERVICE_NAME: `${name}-bench`,
      OTEL_SDK_DISABLED: telemetry ? 'false' : 'true',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // Two more instances must not push the shared Postgres over its memory limit.
      DB_POOL_MAX: '2',
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.once('exit', stop);
  return { name, telemetry, port, child, stop };
}

/** Polls `ready` until it resolves true; fails if the instance exits or `timeoutMs` passes. */
export async function waitReady(instance: Instance, ready: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (instance.child.exitCode !== null)
      throw new Error(`${instance.name} bench instance exited with ${instance.child.exitCode}`);
    if (await ready().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(`${instance.name} bench instance not ready within ${timeoutMs / 1000} s`);
}
