// Memory of the running native stack: PSS of each component's process tree
// (shared pages counted once), per group and in total. For the component's
// own process it also splits PSS into anonymous memory (V8 heap, malloc, thread
// stacks) and file-backed pages (the node binary and libraries, shared with
// every other Node process, so small), and counts its threads: where a Node
// service's MiB are (issue 17).
//   node bench/footprint.ts     (stack started first)
import { readFileSync } from 'node:fs';
import { componentPss, stackState } from './lib.ts';

/** Anonymous and file-backed PSS (MiB) and the thread count of one process, or undefined if it is gone. */
export function processSplit(pid: number): { anonMiB: number; fileMiB: number; threads: number } | undefined {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kib = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? Number.NaN);
    const threads = Number(/^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return { anonMiB: kib('Pss_Anon') / 1024, fileMiB: kib('Pss_File') / 1024, threads };
  } catch {
    return undefined;
  }
}

if (import.meta.main) {
  const state = stackState();
  const pss = componentPss(state);
  const totals = new Map<string, number>();
  const cols = ['COMPONENT', 'GROUP', 'PSS MiB', 'LIMIT MiB', 'ANON', 'FILE', 'THREADS'];
  const widths = [18, 10, 10, 11, 8, 8, 8];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 8)).join('');
  console.log(line(cols));
  for (const c of state.components) {
    const mib = pss.get(c.name)?.mib;
    if (mib !== undefined) totals.set(c.group, (totals.get(c.group) ?? 0) + mib);
    const split = c.pid === null ? undefined : processSplit(c.pid);
    console.log(
      line([
        c.name,
        c.group,
        mib?.toFixed(1) ?? '-',
        String(c.memoryMiB),
        split?.anonMiB.toFixed(1) ?? '-',
        split?.fileMiB.toFixed(1) ?? '-',
        String(split?.threads ?? '-'),
      ]),
    );
  }
  for (const [group, mib] of totals) console.log(`total ${group}: ${mib.toFixed(1)} MiB`);
  console.log(`total: ${[...totals.values()].reduce((a, b) => a + b, 0).toFixed(1)} MiB`);
}
