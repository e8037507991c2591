// The run dir's state file: written by the supervisor daemon, read by the CLI
// (`status`, `start` progress, `stop`) and by bench/footprint.ts.
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type ComponentState =
  | 'waiting' // for its dependencies
  | 'starting' // spawned, not healthy yet
  | 'running' // healthy at least once since its last (re)start
  | 'backoff' // exited; restarting after a delay
  | 'failed' // never became healthy in time, or cannot start
  | 'paused' // stopped on purpose by `devstack pause`, kept down until `resume`
  | 'stopping'
  | 'stopped';

export interface ExitRecord {
  code: number | null;
  signal: string | null;
  /** `OOMKilled`, `Error`, `Completed`, `Killed (SIGTERM)`, ... */
  reason: string;
  at: string;
}

export interface ComponentStatus {
  name: string;
  group: string;
  state: ComponentState;
  healthy: boolean;
  pid: number | null;
  /** Start time of pid in clock ticks since boot (/proc/<pid>/stat field 22): guards against pid reuse. */
  pidStartTicks: number | null;
  restarts: number;
  lastExit: ExitRecord | null;
  rssMiB: number | null;
  memoryMiB: number;
  ports: number[];
  url: string | null;
  startedAt: string | null;
  healthySince: string | null;
  /** Seconds from the stack's start until first healthy. */
  firstHealthyAfterS: number | null;
  message: string | null;
}

export interface StackState {
  daemonPid: number;
  startedAt: string;
  phase: 'starting' | 'running' | 'stopping' | 'stopped';
  selection: string;
  components: ComponentStatus[];
  skipped: { name: string; group: string; reason: string }[];
  updatedAt: string;
}

export const stateFile = (runDir: string) => join(runDir, 'state.json');
export const pidFile = (runDir: string) => join(runDir, 'devstack.pid');

export function readState(runDir: string): StackState | null {
  const path = stateFile(runDir);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as StackState;
  } catch {
    return null;
  }
}

export function writeState(runDir: string, state: StackState): void {
  const path = stateFile(runDir);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(tmp, path);
}

/** Field 22 of /proc/<pid>/stat, or null if the process is gone. */
export function procStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[19]);
  } catch {
    return null;
  }
}

/** True if `pid` is alive and is still the process we recorded. */
export function isSameProcess(pid: number | null, startTicks: number | null): boolean {
  if (!pid) return false;
  const ticks = procStartTicks(pid);
  if (ticks === null) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false; // zombie
  } catch {
    return false;
  }
  return startTicks === null || ticks === startTicks;
}

export interface ProcInfo {
  pid: number;
  ppid: number;
  pgrp: number;
  rssPages: number;
}

export function procTable(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const entry of readdirProc()) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // f[0]=state, f[1]=ppid, f[2]=pgrp, f[21]=rss (pages)
      out.push({ pid: Number(entry), ppid: Number(f[1]), pgrp: Number(f[2]), rssPages: Number(f[21]) });
    } catch {
      // raced with an exiting process
    }
  }
  return out;
}

/**
 * The process `pid` leads, and everything below it: its process group plus all
 * descendants (postgres' workers call setsid(), so the group alone misses them).
 */
export function processTree(pid: number, table: ProcInfo[] = procTable()): ProcInfo[] {
  const children = new Map<number, ProcInfo[]>();
  for (const p of table) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found = new Map<number, ProcInfo>();
  for (const p of table) if (p.pid === pid || p.pgrp === pid) found.set(p.pid, p);
  const queue = [...found.values()];
  while (queue.length) {
    const p = queue.pop() as ProcInfo;
    for (const c of children.get(p.pid) ?? []) {
      if (!found.has(c.pid)) {
        found.set(c.pid, c);
        queue.push(c);
      }
    }
  }
  return [...found.values()];
}

/**
 * Memory (MiB) of `pid`'s process tree, or null if it is gone. Uses each
 * process' PSS (proportional set size, /proc/<pid>/smaps_rollup) so memory
 * shared between the processes of one component (postgres' shared buffers)
 * is counted once, like a container's cgroup would; falls back to RSS.
 */
export function groupRssMiB(pid: number, table?: ProcInfo[]): number | null {
  const tree = processTree(pid, table);
  return tree.length === 0 ? null : treePssMiB(tree);
}

/** PSS of a process tree (MiB): exact, but the kernel walks every mapping (~5 ms for a Node process). */
export function treePssMiB(tree: ProcInfo[]): number {
  let bytes = 0;
  for (const p of tree) bytes += pssBytes(p.pid) ?? p.rssPages * PAGE_BYTES;
  return toMiB(bytes);
}

/** RSS of a process tree (MiB) from the /proc/<pid>/stat already read: free, and never below its PSS. */
export function treeRssMiB(tree: ProcInfo[]): number {
  return toMiB(tree.reduce((sum, p) => sum + p.rssPages * PAGE_BYTES, 0));
}

const PAGE_BYTES = 4096;
const toMiB = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

function pssBytes(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const m = /^Pss:\s+(\d+) kB/m.exec(text);
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function readdirProc(): string[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e));
}
