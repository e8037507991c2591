// `make scenario FLAG=<name>` / `make scenarios`: for each flag, switch it on
// (atomic edit of flagd/demo.flagd.json), drive bounded load at the real shop,
// assert the documented symptom in the real backends, switch it back and
// assert recovery. Prints flag -> symptom -> measured -> PASS/FAIL and exits
// non-zero when anything failed.

import { sleep, waitForFlag } from './driver.ts';
import { FlagGuard } from './flagfile.ts';
import { type Measure, SCENARIOS, type Scenario } from './scenarios.ts';

/** The whole run stops starting new scenarios after this (make scenarios must stay bounded). */
const BUDGET_MS = Number(process.env.SCENARIOS_BUDGET_MS ?? 14 * 60_000);

interface Row {
  flag: string;
  phase: string;
  symptom: string;
  value: string;
  pass: boolean;
}

async function flagValue(flag: string, variant: string): Promise<unknown> {
  const { readFlagFile } = await import('./flagfile.ts');
  const doc = JSON.parse(readFlagFile()) as { flags: Record<string, { variants: Record<string, unknown> }> };
  return doc.flags[flag]?.variants[variant];
}

async function bounded(what: string, fn: () => Promise<Measure>, ms: number): Promise<Measure> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn().catch((error: unknown) => ({ value: `error: ${(error as Error).message}`, pass: false })),
      new Promise<Measure>((resolve) => {
        timer = setTimeout(
          () => resolve({ value: `${what}: no answer within ${ms / 1000} s`, pass: false }),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function runOne(s: Scenario, guard: FlagGuard): Promise<Row[]> {
  const rows: Row[] = [];
  const original = guard.original(s.flag);
  if (original === s.variant) {
    return [
      {
        flag: s.flag,
        phase: 'on',
        symptom: s.symptom,
        value: `flag already at ${s.variant}; reset it first`,
        pass: false,
      },
    ];
  }
  const baseline = s.baseline ? await s.baseline().catch(() => ({})) : {};
  const since = new Date(Date.now() - 1000);
  guard.set(s.flag, s.variant);
  try {
    const live = await waitForFlag(s.flag, await flagValue(s.flag, s.variant), s.context);
    if (live && s.settleMs) await sleep(s.settleMs);
    const on = live
      ? await bounded('symptom', () => s.check(baseline, since), 150_000)
      : { value: 'flagd did not serve the new variant within 15 s', pass: false };
    rows.push({ flag: s.flag, phase: `on (${s.variant})`, symptom: s.symptom, ...on });
  } finally {
    guard.restore(s.flag);
  }
  if (s.recovery) {
    await waitForFlag(s.flag, await flagValue(s.flag, original ?? 'off'), s.context);
    if (s.settleMs) await sleep(s.settleMs);
    const recoveredSince = new Date();
    const off = await bounded('recovery', () => s.recovery!.check(baseline, recoveredSince), 90_000);
    rows.push({ flag: s.flag, phase: `off (${original})`, symptom: s.recovery.symptom, ...off });
  }
  return rows;
}

function printTable(rows: Row[]): void {
  const cols: (keyof Row)[] = ['flag', 'phase', 'symptom', 'value', 'pass'];
  const text = (r: Row, c: keyof Row) => (c === 'pass' ? (r.pass ? 'PASS' : 'FAIL') : String(r[c]));
  const widths = cols.map((c) => Math.min(70, Math.max(c.length, ...rows.map((r) => text(r, c).length))));
  const line = (cells: string[]) =>
    cells.map((c, i) => c.slice(0, widths[i]).padEnd(widths[i] ?? 0)).join(' | ');
  console.log(line(['flag', 'phase', 'symptom', 'measured', 'result']));
  console.log(widths.map((w) => '-'.repeat(w)).join('-+-'));
  for (const r of rows) console.log(line(cols.map((c) => text(r, c))));
}

async function main(): Promise<number> {
  const wanted = process.argv.slice(2).filter(Boolean);
  const unknown = wanted.filter((f) => !SCENARIOS.some((s) => s.flag === f));
  if (unknown.length > 0) {
    console.error(
      `unknown flag(s): ${unknown.join(', ')}\nknown: ${SCENARIOS.map((s) => s.flag).join(', ')}`,
    );
    return 2;
  }
  const selected = wanted.length > 0 ? SCENARIOS.filter((s) => wanted.includes(s.flag)) : SCENARIOS;
  const guard = new FlagGuard();
  const started = Date.now();
  const rows: Row[] = [];
  for (const s of selected) {
    if (Date.now() - started > BUDGET_MS) {
      rows.push({
        flag: s.flag,
        phase: '-',
        symptom: s.symptom,
        value: 'skipped: time budget used up',
        pass: false,
      });
      continue;
    }
    console.log(`\n== ${s.flag} -> ${s.variant}: ${s.symptom}`);
    const result = await runOne(s, guard);
    for (const r of result) console.log(`   ${r.pass ? 'PASS' : 'FAIL'} ${r.phase}: ${r.value}`);
    rows.push(...result);
    // Let the shop settle so one fault's tail does not bleed into the next baseline.
    await sleep(2000);
  }
  guard.restoreAll();
  console.log(`\nscenario results (${((Date.now() - started) / 1000).toFixed(0)} s):\n`);
  printTable(rows);
  return rows.every((r) => r.pass) ? 0 : 1;
}

process.exitCode = await main();
