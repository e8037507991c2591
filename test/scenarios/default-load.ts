// `make scenarios MODE=default-load` (SCENARIO_LOAD=default): the walkthrough
// as a user sees it. Drives nothing; with only the load generator's default
// users running, flips each flag and measures how long until its symptom
// shows in Prometheus and its alert is `firing`, and for the leaks how long
// until the service is OOM-killed and restarted. Each must happen in time.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promQuery } from '../lib/backends.ts';
import { sleep, waitForFlag } from './driver.ts';
import { FlagGuard, REPO_ROOT, readFlagFile } from './flagfile.ts';
import { alertFiring, promRequired } from './probes.ts';
import { type Scenario, SYMPTOM_MS } from './scenarios.ts';
import { printTable } from './table.ts';

/** Symptom and alert must both show within this long of the flip (issue: 2 minutes). */
const ALERT_MS = Number(process.env.SCENARIO_ALERT_MS ?? 120_000);
/** A leak must have ended in an OOM kill and restart within this long (issue: 10 minutes). */
const OOM_MS = Number(process.env.SCENARIO_OOM_MS ?? 600_000);
const POLL_MS = 5000;

interface Row {
  flag: string;
  symptomS?: number;
  alertS?: number;
  restartS?: number;
  exit?: string;
  note: string;
  pass: boolean;
}

/** Distinct live instances of `service` seen since `seconds` ago: 2 once it has restarted. */
async function instancesSince(service: string, seconds: number): Promise<number> {
  const samples = await promQuery(
    `count(count by (service_instance_id) (last_over_time(process_memory_usage_bytes{service_name="${service}"}[${seconds}s])))`,
  );
  return samples[0]?.value ?? 0;
}

/** The native supervisor's last exit of `name` (restart count + reason), when running natively. */
function nativeExit(name: string): { restarts: number; reason?: string } | undefined {
  const file = join(process.env.ASTROSHOP_RUN_DIR ?? join(REPO_ROOT, '.run'), 'state.json');
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as {
    components?: { name: string; restarts: number; lastExit: { reason: string } | null }[];
  };
  const c = state.components?.find((x) => x.name === name);
  return c ? { restarts: c.restarts, reason: c.lastExit?.reason } : undefined;
}

const secondsSince = (t: number) => Math.round((Date.now() - t) / 1000);

async function observe(scenario: Scenario, guard: FlagGuard): Promise<Row> {
  const s = { ...scenario, variant: scenario.loadVariant ?? scenario.variant };
  const row: Row = { flag: `${s.flag}=${s.variant}`, note: '', pass: false };
  if (!s.loadSymptom) {
    // The load generator's own flags: their checks only read its stats.
    const baseline = s.baseline ? await s.baseline() : {};
    const flipped = Date.now();
    guard.set(s.flag, s.variant);
    try {
      const m = await s.check(baseline, new Date(), SYMPTOM_MS);
      row.symptomS = m.pass ? secondsSince(flipped) : undefined;
      return {
        ...row,
        note: `${m.value} (no alert defined)`,
        pass: m.pass && secondsSince(flipped) <= ALERT_MS / 1000,
      };
    } finally {
      guard.restore(s.flag);
    }
  }
  const baseline = s.loadBaseline ? await promRequired(s.loadBaseline) : 0;
  const nativeBefore = s.oomService ? nativeExit(s.oomService) : undefined;
  const flipped = Date.now();
  guard.set(s.flag, s.variant);
  try {
    const doc = JSON.parse(readFlagFile()) as {
      flags: Record<string, { variants: Record<string, unknown> }>;
    };
    if (!(await waitForFlag(s.flag, doc.flags[s.flag]?.variants[s.variant], s.context))) {
      return { ...row, note: 'flagd did not serve the new variant within 15 s' };
    }
    const deadline = flipped + (s.oomService ? OOM_MS : ALERT_MS);
    while (Date.now() < deadline) {
      const elapsed = Math.max(10, secondsSince(flipped));
      if (
        row.symptomS === undefined &&
        (await promQuery(s.loadSymptom.query(baseline, elapsed))).length > 0
      ) {
        row.symptomS = secondsSince(flipped);
      }
      if (row.alertS === undefined && s.alert && (await alertFiring(s.alert)))
        row.alertS = secondsSince(flipped);
      if (s.oomService && row.restartS === undefined && (await instancesSince(s.oomService, elapsed)) >= 2) {
        row.restartS = secondsSince(flipped);
        const after = nativeExit(s.oomService);
        if (after && nativeBefore)
          row.exit = `${after.reason ?? '?'} (restarts ${nativeBefore.restarts}→${after.restarts})`;
      }
      const done =
        row.symptomS !== undefined &&
        row.alertS !== undefined &&
        (!s.oomService || row.restartS !== undefined);
      if (done) break;
      if (!s.oomService && Date.now() > flipped + ALERT_MS) break;
      await sleep(POLL_MS);
    }
  } finally {
    guard.restore(s.flag);
  }
  const inTime = (t: number | undefined, ms: number) => t !== undefined && t <= ms / 1000;
  const pass =
    inTime(row.symptomS, ALERT_MS) &&
    inTime(row.alertS, ALERT_MS) &&
    (!s.oomService ||
      (inTime(row.restartS, OOM_MS) && (row.exit === undefined || row.exit.startsWith('OOMKilled'))));
  return { ...row, note: `${s.loadSymptom.describe}; alert ${s.alert}`, pass };
}

export async function runDefaultLoad(selected: Scenario[]): Promise<number> {
  const guard = new FlagGuard();
  const rows: Row[] = [];
  const started = Date.now();
  for (const s of selected) {
    console.log(`\n== ${s.flag} -> ${s.loadVariant ?? s.variant} at the default load (driving nothing)`);
    const row = await observe(s, guard).catch(
      (error: unknown): Row => ({ flag: s.flag, note: `error: ${(error as Error).message}`, pass: false }),
    );
    console.log(
      `   ${row.pass ? 'PASS' : 'FAIL'} symptom ${row.symptomS ?? '-'} s, alert ${row.alertS ?? '-'} s, restart ${row.restartS ?? '-'} s ${row.exit ?? ''}`,
    );
    rows.push(row);
    // Let the alert resolve and the shop settle before the next flag.
    await sleep(10_000);
  }
  guard.restoreAll();
  const t = (v: number | undefined) => (v === undefined ? 'never' : `${v} s`);
  console.log(
    `\ndefault-load results (${secondsSince(started)} s; symptom and alert within ${ALERT_MS / 1000} s, OOM restart within ${OOM_MS / 1000} s):\n`,
  );
  printTable(
    ['flag', 'symptom at', 'alert firing at', 'OOM restart at', 'exit', 'what', 'result'],
    rows.map((r) => [
      r.flag,
      t(r.symptomS),
      t(r.alertS),
      t(r.restartS),
      r.exit ?? '-',
      r.note,
      r.pass ? 'PASS' : 'FAIL',
    ]),
  );
  return rows.every((r) => r.pass) ? 0 : 1;
}
