// `make scenario FLAG=<name>` / `make scenarios`: for each flag, run its check
// once with the flag off (the negative control: it must FAIL, or the check
// could not tell), then switch the flag on (atomic edit of
// flagd/demo.flagd.json), drive bounded load at the real shop, assert the
// documented symptom in the real backends (it must PASS), switch it back and
// assert recovery. Prints flag -> positive / negative / recovery -> result and
// exits non-zero when anything failed.
//
// SCENARIO_LOAD=default (make scenarios MODE=default-load) drives nothing and
// checks instead that the symptom and its alert appear at the load
// generator's own load (default-load.ts).

import { runDefaultLoad } from './default-load.ts';
import { sleep, waitForFlag } from './driver.ts';
import { FlagGuard, readFlagFile } from './flagfile.ts';
import { type Baseline, type Measure, SCENARIOS, type Scenario, SYMPTOM_MS } from './scenarios.ts';
import { printTable } from './table.ts';

/** The whole run stops starting new scenarios after this (make scenarios must stay bounded). */
const BUDGET_MS = Number(process.env.SCENARIOS_BUDGET_MS ?? 22 * 60_000);
/** How long the flag-off control looks for the symptom; the positive run gets SYMPTOM_MS. */
const NEGATIVE_MS = Number(process.env.SCENARIO_NEGATIVE_MS ?? 30_000);

interface Row {
  flag: string;
  symptom: string;
  positive?: Measure;
  negative?: Measure;
  recovery?: Measure;
}

/**
 * A negative control counts only when the check ran and found no symptom: a
 * baseline without data, an error or a hang says nothing about the check.
 */
const inconclusive = (m: Measure) => /^(baseline:|error:|symptom: no answer)/.test(m.value);
const negativeHolds = (m: Measure | undefined) => m !== undefined && !m.pass && !inconclusive(m);
const passed = (r: Row) =>
  r.positive?.pass === true && negativeHolds(r.negative) && (r.recovery ? r.recovery.pass : true);

function flagValue(flag: string, variant: string): unknown {
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

/** The scenario's baseline, or the measure saying why there is none (missing data fails). */
async function baselineOf(s: Scenario): Promise<Baseline | Measure> {
  if (!s.baseline) return {};
  return s.baseline().catch((error: unknown) => ({
    value: `baseline: ${(error as Error).message}`,
    pass: false,
  }));
}
const isMeasure = (b: Baseline | Measure): b is Measure => typeof b.pass === 'boolean';

/** The check with the flag as it is (off): a check that passes here cannot fail, which is a defect. */
async function negativeControl(s: Scenario): Promise<Measure> {
  const baseline = await baselineOf(s);
  if (isMeasure(baseline)) return baseline;
  const since = new Date(Date.now() - 1000);
  return bounded('symptom', () => s.check(baseline, since, NEGATIVE_MS), NEGATIVE_MS + 90_000);
}

async function runOne(s: Scenario, guard: FlagGuard): Promise<Row> {
  const row: Row = { flag: s.flag, symptom: s.symptom };
  const original = guard.original(s.flag);
  if (original === s.variant) {
    row.positive = { value: `flag already at ${s.variant}; reset it first`, pass: false };
    return row;
  }
  row.negative = await negativeControl(s);
  const verdict = row.negative.pass
    ? 'PASSED (bad)'
    : negativeHolds(row.negative)
      ? 'failed (good)'
      : 'inconclusive (bad)';
  console.log(`   ${verdict} flag off: ${row.negative.value}`);

  const baseline = await baselineOf(s);
  if (isMeasure(baseline)) {
    row.positive = baseline;
    return row;
  }
  const since = new Date(Date.now() - 1000);
  guard.set(s.flag, s.variant);
  try {
    const live = await waitForFlag(s.flag, flagValue(s.flag, s.variant), s.context);
    if (live && s.settleMs) await sleep(s.settleMs);
    row.positive = live
      ? await bounded('symptom', () => s.check(baseline, since, SYMPTOM_MS), SYMPTOM_MS + 90_000)
      : { value: 'flagd did not serve the new variant within 15 s', pass: false };
  } finally {
    guard.restore(s.flag);
  }
  console.log(`   ${row.positive.pass ? 'PASS' : 'FAIL'} flag on: ${row.positive.value}`);
  if (s.recovery) {
    await waitForFlag(s.flag, flagValue(s.flag, original ?? 'off'), s.context);
    if (s.settleMs) await sleep(s.settleMs);
    const recoveredSince = new Date();
    row.recovery = await bounded('recovery', () => s.recovery!.check(baseline, recoveredSince), 90_000);
    console.log(`   ${row.recovery.pass ? 'PASS' : 'FAIL'} recovery: ${row.recovery.value}`);
  }
  return row;
}

function report(rows: Row[], seconds: number): void {
  const cell = (m: Measure | undefined, wantPass: boolean) => {
    if (m === undefined) return '-';
    const ok = wantPass ? m.pass : negativeHolds(m);
    return `${ok ? 'ok' : 'BAD'}: ${m.pass ? 'pass' : 'fail'} (${m.value})`;
  };
  console.log(`\nscenario results (${seconds.toFixed(0)} s; negative = same check, flag off, must fail):\n`);
  printTable(
    ['flag', 'positive (flag on)', 'negative (flag off)', 'recovery', 'result'],
    rows.map((r) => [
      r.flag,
      cell(r.positive, true),
      cell(r.negative, false),
      cell(r.recovery, true),
      passed(r) ? 'PASS' : 'FAIL',
    ]),
  );
}

async function driven(selected: Scenario[]): Promise<number> {
  const guard = new FlagGuard();
  const started = Date.now();
  const rows: Row[] = [];
  for (const s of selected) {
    if (Date.now() - started > BUDGET_MS) {
      rows.push({
        flag: s.flag,
        symptom: s.symptom,
        positive: { value: 'skipped: time budget used up', pass: false },
      });
      continue;
    }
    console.log(`\n== ${s.flag} -> ${s.variant}: ${s.symptom}`);
    rows.push(await runOne(s, guard));
    // Let the shop settle so one fault's tail does not bleed into the next baseline.
    await sleep(2000);
  }
  guard.restoreAll();
  report(rows, (Date.now() - started) / 1000);
  return rows.every(passed) ? 0 : 1;
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
  const mode = process.env.SCENARIO_LOAD ?? 'driven';
  if (mode === 'default') return runDefaultLoad(selected);
  if (mode !== 'driven') {
    console.error(`SCENARIO_LOAD must be driven or default, not ${mode}`);
    return 2;
  }
  return driven(selected);
}

process.exitCode = await main();
