// Memory of the running native stack: PSS of each component's process tree
// (shared pages counted once), per group and in total.
//   node bench/footprint.ts     (stack started first)
import { componentPss, stackState } from './lib.ts';

if (import.meta.main) {
  const state = stackState();
  const pss = componentPss(state);
  const totals = new Map<string, number>();
  console.log(`${'COMPONENT'.padEnd(18)}${'GROUP'.padEnd(10)}${'PSS MiB'.padEnd(10)}LIMIT MiB`);
  for (const c of state.components) {
    const mib = pss.get(c.name)?.mib;
    if (mib !== undefined) totals.set(c.group, (totals.get(c.group) ?? 0) + mib);
    console.log(
      `${c.name.padEnd(18)}${c.group.padEnd(10)}${(mib?.toFixed(1) ?? '-').padEnd(10)}${c.memoryMiB}`,
    );
  }
  for (const [group, mib] of totals) console.log(`total ${group}: ${mib.toFixed(1)} MiB`);
  console.log(`total: ${[...totals.values()].reduce((a, b) => a + b, 0).toFixed(1)} MiB`);
}
