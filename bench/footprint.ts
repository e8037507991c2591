// Idle memory footprint of the running native stack: RSS of each component's
// process group (read live from /proc, pids from the run dir's state file),
// per group and in total. Run: node bench/footprint.ts (stack started first).
import { join } from 'node:path';
import { groupRssMiB, isSameProcess, readState } from '../scripts/devstack/src/state.ts';

const runDir = process.env.ASTROSHOP_RUN_DIR ?? join(import.meta.dirname, '..', '.run');
const state = readState(runDir);
if (!state) {
  console.error(`no state in ${runDir}: start the stack first (make start)`);
  process.exit(1);
}

const totals = new Map<string, number>();
const rows: [string, string, string, string][] = [];
for (const c of state.components) {
  const live = c.pid !== null && isSameProcess(c.pid, c.pidStartTicks);
  const rss = live && c.pid !== null ? groupRssMiB(c.pid) : null;
  if (rss !== null) totals.set(c.group, (totals.get(c.group) ?? 0) + rss);
  rows.push([c.name, c.group, rss === null ? '-' : rss.toFixed(1), String(c.memoryMiB)]);
}
const pad = (s: string, n: number) => s.padEnd(n);
console.log(`${pad('COMPONENT', 18)}${pad('GROUP', 10)}${pad('RSS MiB', 10)}LIMIT MiB`);
for (const [name, group, rss, limit] of rows)
  console.log(`${pad(name, 18)}${pad(group, 10)}${pad(rss, 10)}${limit}`);
let all = 0;
for (const [group, mib] of totals) {
  console.log(`total ${group}: ${mib.toFixed(1)} MiB`);
  all += mib;
}
console.log(`total: ${all.toFixed(1)} MiB`);
