// The supervisor daemon: one detached process that owns every component's
// process. It starts components once what they need at boot is healthy (in
// parallel where possible), restarts crashed ones with exponential backoff
// (like a Kubernetes restartPolicy: Always), enforces memory limits by RSS and
// records everything in <run dir>/state.json.
import { type ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Component, Skipped } from './components/index.ts';
import { check, closeHealthClients, tcpCheck } from './health.ts';
import {
  type ComponentStatus,
  pidFile,
  processTree,
  procStartTicks,
  procTable,
  type StackState,
  treePssMiB,
  treeRssMiB,
  writeState,
} from './state.ts';

// Unref'd: the daemon keeps itself alive (cli.ts); tests can end right after stopAll().
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
const STOP_GRACE_MS = Number(process.env.DEVSTACK_STOP_GRACE_MS ?? 10000);
const BACKOFF_MAX_MS = 30000;
/** How often a running component is probed: a kubelet's default periodSeconds (each probe costs the daemon ~1-2 ms of CPU). */
const PROBE_PERIOD_MS = Number(process.env.DEVSTACK_PROBE_PERIOD_MS ?? 10000);
/** Consecutive liveness failures (PROBE_PERIOD_MS apart) before a restart, as a kubelet's failureThreshold. */
const LIVENESS_FAILURES = Number(process.env.DEVSTACK_LIVENESS_FAILURES ?? 3);

/** Memory is checked this often; the exact PSS only near the limit (enforceMemory). */
const MEMORY_TICK_MS = 2000;
/** An estimated PSS above this share of the limit -> read the exact PSS every tick. */
const NEAR_LIMIT = 0.8;

/** One component's start-up bookkeeping across restarts. */
interface Life {
  /** The first start must be healthy by then, or the component fails. */
  firstDeadline: number;
  everHealthy: boolean;
  consecutiveFailures: number;
}

/** One spawned process: when it started and whether it still runs. */
interface Run {
  upSince: number;
  alive: boolean;
  running: () => boolean;
}

interface Runtime {
  spec: Component;
  status: ComponentStatus;
  child: ChildProcess | null;
  exited: Promise<void> | null;
  oomKilled: boolean;
  /** The last exact PSS reading and the tree's RSS at that moment (MiB), for the estimate in between. */
  lastPss: { pss: number; rss: number } | null;
  /** Held stopped by `devstack pause` (a file in <run dir>/paused): not restarted, not counted. */
  paused: boolean;
}

export class Supervisor {
  private readonly runtimes = new Map<string, Runtime>();
  private readonly state: StackState;
  private stopping = false;
  private readonly t0 = Date.now();
  private readonly runDir: string;
  private readonly timers: NodeJS.Timeout[] = [];
  private pssCursor = 0;
  private memoryTicks = 0;
  private lastSaved = '';

  constructor(runDir: string, components: Component[], skipped: Skipped[], selection: string) {
    this.runDir = runDir;
    for (const spec of components) {
      this.runtimes.set(spec.name, {
        spec,
        child: null,
        exited: null,
        oomKilled: false,
        lastPss: null,
        paused: false,
        status: {
          name: spec.name,
          group: spec.group,
          state: 'waiting',
          healthy: false,
          pid: null,
          pidStartTicks: null,
          restarts: 0,
          lastExit: null,
          rssMiB: null,
          memoryMiB: spec.memoryMiB,
          ports: spec.ports,
          url: spec.url ?? null,
          startedAt: null,
          healthySince: null,
          firstHealthyAfterS: null,
          message: null,
        },
      });
    }
    this.state = {
      daemonPid: process.pid,
      startedAt: new Date().toISOString(),
      phase: 'starting',
      selection,
      components: [...this.runtimes.values()].map((r) => r.status),
      skipped,
      updatedAt: new Date().toISOString(),
    };
  }

  /** A snapshot of one component's status (what `make status` shows), or undefined if unknown. */
  status(name: string): ComponentStatus | undefined {
    const status = this.runtimes.get(name)?.status;
    return status ? structuredClone(status) : undefined;
  }

  /** Snapshots of every component's status, in start order. */
  statuses(): ComponentStatus[] {
    return [...this.runtimes.values()].map((rt) => structuredClone(rt.status));
  }

  /** Writes state.json when something changed (it is saved every second and on every transition). */
  private save(): void {
    const { updatedAt: _, ...content } = this.state;
    const text = JSON.stringify(content);
    if (text === this.lastSaved) return;
    this.lastSaved = text;
    this.state.updatedAt = new Date().toISOString();
    writeState(this.runDir, this.state);
  }

  private log(msg: string): void {
    process.stdout.write(`${new Date().toISOString()} ${msg}\n`);
  }

  async run(): Promise<void> {
    mkdirSync(join(this.runDir, 'logs'), { recursive: true });
    writeFileSync(pidFile(this.runDir), `${process.pid}\n`);
    this.save();
    const onSignal = (sig: string) => {
      this.log(`received ${sig}: stopping`);
      void this.stopAll().then(() => process.exit(0));
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
    process.on('SIGHUP', () => undefined);

    this.timers.push(
      setInterval(() => this.enforceMemory(), MEMORY_TICK_MS),
      setInterval(() => this.save(), 1000),
      setInterval(() => this.applyPauses(), 250),
    );
    for (const t of this.timers) t.unref();

    await Promise.all([...this.runtimes.values()].map((rt) => this.supervise(rt)));
  }

  private depsOf(rt: Runtime, names = rt.spec.dependsOn): Runtime[] {
    return names.flatMap((d) => {
      const dep = this.runtimes.get(d);
      return dep ? [dep] : [];
    });
  }

  /** The whole life of one component: wait for its dependencies, then start, watch and back off, until stopped. */
  private async supervise(rt: Runtime): Promise<void> {
    if (!(await this.waitForDependencies(rt))) return;
    const life: Life = {
      firstDeadline: Date.now() + rt.spec.startTimeoutS * 1000,
      everHealthy: false,
      consecutiveFailures: 0,
    };
    for (;;) {
      if (this.stopping) return;
      // Paused while in backoff (no process to stop): stay down as well.
      if (rt.paused && !(await this.waitWhilePaused(rt))) return;
      const run = await this.startOnce(rt, life);
      if (run === 'retry') continue;
      if (run === 'end') return;
      const healthy = await this.untilHealthy(rt, life, run);
      if (this.stopping) return;
      if (healthy === 'gave-up') return;
      // Keep probing while it runs: readiness is reported (make status),
      // only a failing liveness probe restarts it.
      if (run.running()) await this.watch(rt, run.upSince, run.running);
      if (this.stopping) return;
      await rt.exited;
      // Paused on purpose (devstack pause): stay down until resumed, then
      // start again at once: not a crash, so no backoff and no restart count.
      if (rt.paused) {
        if (!(await this.waitWhilePaused(rt))) return;
        continue;
      }
      if (!(await this.backOff(rt, life, run.upSince))) return;
    }
  }

  /** Step 1: until every boot dependency (waitFor) was healthy once; false if one failed or we stop. */
  private async waitForDependencies(rt: Runtime): Promise<boolean> {
    for (;;) {
      if (this.stopping) return false;
      const deps = this.depsOf(rt, rt.spec.waitFor ?? rt.spec.dependsOn);
      const failed = deps.find((d) => d.status.state === 'failed');
      if (failed) {
        this.fail(rt, `dependency ${failed.spec.name} failed`);
        return false;
      }
      if (deps.every((d) => d.status.healthySince !== null)) return true;
      await sleep(200);
    }
  }

  /**
   * Step 2: prepare and spawn once. 'retry' while one of its ports is held by
   * another process (a foreign listener would answer our probes: refuse rather
   * than report a false "healthy"); 'end' when it cannot start at all.
   */
  private async startOnce(rt: Runtime, life: Life): Promise<Run | 'retry' | 'end'> {
    const { spec, status } = rt;
    try {
      spec.prepare?.();
    } catch (err) {
      this.fail(rt, `prepare failed: ${errText(err)}`);
      return 'end';
    }
    const taken = await firstTakenPort(spec.ports);
    if (taken !== null && (Date.now() < life.firstDeadline || life.everHealthy)) {
      status.message = `port ${taken} is in use by another process`;
      await sleep(1000);
      if (!life.everHealthy && Date.now() >= life.firstDeadline - 1000) {
        this.fail(rt, status.message);
        return 'end';
      }
      return 'retry';
    }
    this.spawn(rt);
    const run = { upSince: Date.now(), alive: true, running: () => run.alive };
    rt.exited?.then(() => {
      run.alive = false;
    });
    return run;
  }

  /**
   * Step 3: probe readiness until healthy, exit or the start timeout. Never
   * healthy on its first start -> terminated and failed ('gave-up'); a
   * restart that is slow keeps running and is watched ('unhealthy').
   */
  private async untilHealthy(
    rt: Runtime,
    life: Life,
    run: Run,
  ): Promise<'healthy' | 'unhealthy' | 'gave-up'> {
    const { spec, status } = rt;
    const deadline = life.everHealthy ? Date.now() + spec.startTimeoutS * 1000 : life.firstDeadline;
    let healthy = false;
    while (run.running() && !this.stopping && Date.now() < deadline) {
      if (await check(spec.health, run.upSince)) {
        healthy = true;
        break;
      }
      await sleep(400);
    }
    if (healthy && run.running() && spec.afterHealthy && !life.everHealthy) {
      try {
        await spec.afterHealthy();
      } catch (err) {
        healthy = false;
        status.message = `post-start step failed: ${errText(err)}`;
        this.log(`${spec.name}: ${status.message}`);
      }
    }
    if (this.stopping || !run.running()) return 'unhealthy';
    if (healthy) {
      life.everHealthy = true;
      life.consecutiveFailures = 0;
      status.state = 'running';
      status.healthy = true;
      status.healthySince = new Date().toISOString();
      if (status.firstHealthyAfterS === null)
        status.firstHealthyAfterS = round1((Date.now() - this.t0) / 1000);
      status.message = null;
      this.log(`${spec.name}: healthy`);
      this.refreshPhase();
      this.save();
      return 'healthy';
    }
    if (!life.everHealthy) {
      status.message = status.message ?? `not healthy within ${spec.startTimeoutS}s`;
      this.log(`${spec.name}: ${status.message}; giving up`);
      await this.terminate(rt);
      this.fail(rt, status.message);
      return 'gave-up';
    }
    status.message = 'unhealthy since restart';
    return 'unhealthy';
  }

  /**
   * Step 5: after an exit, per its restart policy: wait out an exponential
   * backoff (reset after a minute of uptime) and return true to start again;
   * false when it stays down (policy, or it never became healthy in time).
   */
  private async backOff(rt: Runtime, life: Life, upSince: number): Promise<boolean> {
    const { spec, status } = rt;
    if (spec.restart === 'never' || (spec.restart === 'on-failure' && status.lastExit?.code === 0)) {
      status.state = 'stopped';
      this.refreshPhase();
      return false;
    }
    if (!life.everHealthy && Date.now() >= life.firstDeadline) {
      this.fail(rt, `exited before becoming healthy (${status.lastExit?.reason ?? 'unknown'})`);
      return false;
    }
    life.consecutiveFailures = Date.now() - upSince > 60000 ? 1 : life.consecutiveFailures + 1;
    const delay = Math.min(BACKOFF_MAX_MS, 1000 * 2 ** (life.consecutiveFailures - 1));
    status.restarts += 1;
    status.state = 'backoff';
    status.healthy = false;
    status.message = `restarting in ${delay / 1000}s`;
    this.log(`${spec.name}: exited (${status.lastExit?.reason}); restart #${status.restarts} in ${delay}ms`);
    this.save();
    await sleep(delay);
    return true;
  }

  private fail(rt: Runtime, message: string): void {
    rt.status.state = 'failed';
    rt.status.message = message;
    this.log(`${rt.spec.name}: ${message}`);
    this.refreshPhase();
    this.save();
  }

  private spawn(rt: Runtime): void {
    const { spec, status } = rt;
    const logPath = join(this.runDir, 'logs', `${spec.name}.log`);
    const fd = openSync(logPath, 'a');
    writeSync(
      fd,
      `\n=== devstack: starting ${spec.name} (restart ${status.restarts}) at ${new Date().toISOString()}\n=== ${spec.command.join(' ')}\n`,
    );
    const [file, ...args] = spec.command;
    const child = spawn(file as string, args, {
      cwd: spec.cwd,
      env: { ...process.env, ...baseEnv, ...spec.env },
      stdio: ['ignore', fd, fd],
      detached: true, // own process group: we signal the whole group
      ...(spec.runAs ?? {}),
    });
    closeSync(fd);
    rt.child = child;
    rt.oomKilled = false;
    rt.lastPss = null;
    status.pid = child.pid ?? null;
    status.pidStartTicks = child.pid ? procStartTicks(child.pid) : null;
    status.state = 'starting';
    status.healthy = false;
    status.message = null;
    status.startedAt = new Date().toISOString();
    status.rssMiB = null;
    rt.exited = new Promise<void>((resolve) => {
      child.once('error', (err) => {
        status.lastExit = {
          code: null,
          signal: null,
          reason: `spawn error: ${err.message}`,
          at: new Date().toISOString(),
        };
        status.pid = null;
        resolve();
      });
      child.once('exit', (code, signal) => {
        status.lastExit = {
          code,
          signal,
          reason: exitReason(rt, code, signal, logPath),
          at: new Date().toISOString(),
        };
        status.pid = null;
        status.pidStartTicks = null;
        status.rssMiB = null;
        resolve();
      });
    });
    this.log(`${spec.name}: spawned pid ${child.pid}`);
    this.save();
  }

  /** Holds a paused component down; false when the stack is stopping meanwhile. */
  private async waitWhilePaused(rt: Runtime): Promise<boolean> {
    const { status, spec } = rt;
    status.state = 'paused';
    status.healthy = false;
    status.message = 'paused (devstack resume starts it again)';
    this.log(`${spec.name}: paused`);
    this.save();
    while (rt.paused && !this.stopping) await sleep(200);
    if (this.stopping) return false;
    this.log(`${spec.name}: resumed`);
    return true;
  }

  /**
   * `devstack pause <name>` leaves <run dir>/paused/<name>; while it exists the
   * component is stopped (its normal stop signal) and kept down, so an outage
   * test can take a dependency away without the supervisor restarting it.
   */
  private applyPauses(): void {
    if (this.stopping) return;
    const wanted = pausedNames(this.runDir);
    for (const rt of this.runtimes.values()) {
      const pause = wanted.has(rt.spec.name);
      if (pause === rt.paused) continue;
      rt.paused = pause;
      if (pause && rt.status.pid) {
        rt.status.state = 'stopping';
        this.log(`${rt.spec.name}: pausing pid ${rt.status.pid}`);
        void this.terminate(rt);
      }
    }
  }

  /**
   * Memory of each running component's process tree; SIGKILL above its limit
   * (OOMKilled). The exact figure is the PSS (smaps_rollup: the kernel walks
   * every mapping, 4-15 ms per process), so it is read for one component every
   * other tick in turn; in between, each tree's PSS is estimated from its last
   * reading plus how much its RSS (free from the one /proc scan per tick) grew
   * since. An estimate within NEAR_LIMIT of the limit is replaced by an exact
   * reading every tick, and only an exact reading kills.
   */
  private enforceMemory(): void {
    const table = procTable();
    const running = [...this.runtimes.values()].filter((rt) => rt.status.pid);
    // Every other tick, one component's exact reading in turn (each about every 100 s).
    const refresh =
      this.memoryTicks++ % 2 === 0 ? running[this.pssCursor++ % Math.max(1, running.length)] : null;
    for (const rt of running) {
      const tree = processTree(rt.status.pid as number, table);
      if (tree.length === 0) continue;
      const limit = rt.spec.memoryMiB;
      const rss = treeRssMiB(tree);
      const last = rt.lastPss;
      const estimate = last ? last.pss + rss - last.rss : null;
      const exact = estimate === null || estimate > limit * NEAR_LIMIT || rt === refresh;
      if (exact) rt.lastPss = { pss: treePssMiB(tree), rss };
      const mib = exact ? (rt.lastPss as { pss: number }).pss : (estimate as number);
      rt.status.rssMiB = Math.round(mib * 10) / 10;
      if (exact && mib > limit && !rt.oomKilled) {
        rt.oomKilled = true;
        this.log(`${rt.spec.name}: memory ${mib} MiB over its ${limit} MiB limit: SIGKILL (OOMKilled)`);
        killGroup(rt.status.pid as number, 'SIGKILL');
      }
    }
  }

  /**
   * Probes a running component every PROBE_PERIOD_MS. Readiness (`spec.health`)
   * only sets `healthy` for `make status`: a component waiting for its database
   * stays up and says so. Liveness (`spec.liveness`, the process answers at
   * all) is asked only when readiness failed (a ready answer proves it) and
   * failing LIVENESS_FAILURES times in a row terminates the process; the
   * restart path brings it back (counted, with backoff), like a kubelet.
   */
  private async watch(rt: Runtime, upSince: number, running: () => boolean): Promise<void> {
    const { spec, status } = rt;
    let failures = 0;
    while (running() && !this.stopping) {
      await Promise.race([sleep(PROBE_PERIOD_MS), rt.exited]);
      if (!running() || this.stopping) return;
      status.healthy = await check(spec.health, upSince);
      if (status.healthy && status.state !== 'running') {
        status.state = 'running';
        status.message = null;
      }
      if (!spec.liveness || !running()) continue;
      failures = status.healthy || (await check(spec.liveness, upSince)) ? 0 : failures + 1;
      if (failures >= LIVENESS_FAILURES) {
        status.message = `liveness failed ${failures} times in a row: restarting`;
        this.log(`${spec.name}: ${status.message}`);
        this.save();
        await this.terminate(rt);
        return;
      }
    }
  }

  private async terminate(rt: Runtime): Promise<void> {
    const pid = rt.status.pid;
    if (!pid || !rt.exited) return;
    killGroup(pid, rt.spec.stopSignal ?? 'SIGTERM');
    const done = await Promise.race([rt.exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
    if (!done) {
      this.log(`${rt.spec.name}: still running after ${STOP_GRACE_MS}ms: SIGKILL`);
      killGroup(pid, 'SIGKILL');
      await Promise.race([rt.exited, sleep(3000)]);
    }
    // Leftovers of the group (e.g. postgres workers) after the leader exited.
    killGroup(pid, 'SIGKILL');
  }

  /** Stops dependents before their dependencies (reverse dependency levels). */
  async stopAll(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.state.phase = 'stopping';
    this.save();
    const level = new Map<string, number>();
    const levelOf = (name: string, seen = new Set<string>()): number => {
      const known = level.get(name);
      if (known !== undefined) return known;
      const rt = this.runtimes.get(name);
      if (!rt || seen.has(name)) return 0;
      seen.add(name);
      const l = Math.max(-1, ...this.depsOf(rt).map((d) => levelOf(d.spec.name, seen))) + 1;
      level.set(name, l);
      return l;
    };
    for (const name of this.runtimes.keys()) levelOf(name);
    const maxLevel = Math.max(0, ...level.values());
    for (let l = maxLevel; l >= 0; l--) {
      const batch = [...this.runtimes.values()].filter((rt) => level.get(rt.spec.name) === l);
      await Promise.all(
        batch.map(async (rt) => {
          if (rt.status.pid) {
            rt.status.state = 'stopping';
            this.log(`${rt.spec.name}: stopping pid ${rt.status.pid}`);
            await this.terminate(rt);
          }
          rt.status.state = 'stopped';
          rt.status.healthy = false;
        }),
      );
      this.save();
    }
    closeHealthClients();
    for (const t of this.timers) clearInterval(t);
    this.state.phase = 'stopped';
    this.save();
    if (existsSync(pidFile(this.runDir))) rmSync(pidFile(this.runDir), { force: true });
    this.log('all components stopped');
  }

  private refreshPhase(): void {
    if (this.stopping) return;
    const all = [...this.runtimes.values()].map((r) => r.status);
    if (all.every((s) => s.healthySince !== null || s.state === 'failed')) this.state.phase = 'running';
  }
}

/** Where `devstack pause` records which components to keep stopped. */
export const pausedDir = (runDir: string) => join(runDir, 'paused');

function pausedNames(runDir: string): Set<string> {
  // Checked 4 times a second: a stat, not a readdir that throws ENOENT each time.
  if (!existsSync(pausedDir(runDir))) return new Set();
  try {
    return new Set(readdirSync(pausedDir(runDir)));
  } catch {
    return new Set();
  }
}

/** Env every child gets on top of the daemon's own (set by the CLI). */
export const baseEnv: Record<string, string> = {};

/** Signals the process group; SIGKILL also reaches descendants outside it. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  const tree = signal === 'SIGKILL' ? processTree(pid) : [];
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
  for (const p of tree) {
    try {
      process.kill(p.pid, signal);
    } catch {
      // already gone
    }
  }
}

function exitReason(
  rt: Runtime,
  code: number | null,
  signal: NodeJS.Signals | null,
  logPath: string,
): string {
  if (rt.oomKilled) return 'OOMKilled';
  // V8 hitting --max-old-space-size is the Node equivalent of an OOM kill.
  if (code === 134 || signal === 'SIGABRT' || code === 133 || signal === 'SIGTRAP') {
    const tail = tailOf(logPath, 4096);
    if (/heap out of memory|Reached heap limit/i.test(tail)) return 'OOMKilled';
  }
  if (signal) return `Killed (${signal})`;
  return code === 0 ? 'Completed' : `Error (exit ${code})`;
}

export function tailOf(path: string, bytes: number): string {
  try {
    const text = readFileSync(path, 'utf8');
    return text.slice(-bytes);
  } catch {
    return '';
  }
}

function errText(err: unknown): string {
  if (err && typeof err === 'object' && 'stderr' in err) {
    const stderr = String((err as { stderr: unknown }).stderr ?? '').trim();
    if (stderr) return stderr.split('\n').slice(-5).join(' | ');
  }
  return err instanceof Error ? err.message : String(err);
}

const round1 = (n: number) => Math.round(n * 10) / 10;

async function firstTakenPort(ports: number[]): Promise<number | null> {
  for (const port of ports) if (await tcpCheck(port, '127.0.0.1', 500)) return port;
  return null;
}
