// The verdict of one outage, from what the run measured: pure, so each rule
// is unit-tested (test/faults-evaluate.test.ts) and can be shown to fail.

/** One request of our prober (or one order it placed). Times are epoch ms. */
export interface Sample {
  probe: string;
  startedAt: number;
  endedAt: number;
  ok: boolean;
  status: number;
  /** The error message the shop answered with (JSON `error`), or the network error. */
  error?: string;
  /** Set when the probe placed an order and the shop accepted it. */
  orderId?: string;
}

export interface OutageMeasure {
  dependency: string;
  /** When the dependency was stopped, and when it answered its health check again. */
  stoppedAt: number;
  backAt: number;
  samples: Sample[];
  /** The deadline each probe is configured with (the frontend's per-route bound). */
  deadlineMs: (probe: string) => number;
  /** What an error during this outage must say (it names the dependency). */
  namesDependency: RegExp;
  /** Restart counters of every component before and after (devstack state). */
  restartsBefore: Record<string, number>;
  restartsAfter: Record<string, number>;
  /** Components whose state is not `running` once the run is over. */
  notRunningAfter: string[];
  /** When the feature worked again (epoch ms); null if it never did within the run. */
  recoveredAt: number | null;
  /** Errors the run provoked on purpose (flagd: the flag it switched while flagd was away), not outage errors. */
  deliberate?: RegExp;
  /** True when the shop must keep taking orders through this outage (Kafka, collector, flagd). */
  ordersMustSucceed: boolean;
  /** Accounting's record count per order id accepted during the window (0 = lost). */
  recordedOrders: Record<string, number>;
}

export interface Verdict {
  dependency: string;
  requests: number;
  errors: number;
  /** A few distinct error messages seen, for the table. */
  errorExamples: string[];
  maxLatencyMs: number;
  recoverySeconds: number | null;
  ordersAccepted: number;
  ordersLost: number;
  ordersDuplicated: number;
  violations: string[];
}

export const LATENCY_MARGIN_MS = 1000;
export const RECOVERY_LIMIT_S = 10;

/** Samples that ran while the dependency was away or recovering (started in [stoppedAt, recoveredAt or backAt]). */
function inWindow(m: OutageMeasure, s: Sample): boolean {
  const end = Math.max(m.backAt, m.recoveredAt ?? m.backAt);
  return s.startedAt >= m.stoppedAt && s.startedAt <= end;
}

export function evaluate(m: OutageMeasure): Verdict {
  const violations: string[] = [];
  const window = m.samples.filter((s) => inWindow(m, s));
  if (window.length === 0) violations.push('no requests measured during the outage');

  // 1. Nobody waits past their deadline: measured on every request, not just failures.
  let maxLatencyMs = 0;
  for (const s of m.samples) {
    const ms = s.endedAt - s.startedAt;
    maxLatencyMs = Math.max(maxLatencyMs, ms);
    const limit = m.deadlineMs(s.probe) + LATENCY_MARGIN_MS;
    if (ms > limit)
      violations.push(`${s.probe} took ${Math.round(ms)} ms, over its ${limit} ms deadline + margin`);
  }

  // 2. Errors name the dependency (a network error or a vague 500 does not).
  const failed = window.filter((s) => !s.ok && !m.deliberate?.test(s.error ?? ''));
  for (const s of failed) {
    if (!m.namesDependency.test(s.error ?? ''))
      violations.push(
        `${s.probe} → ${s.status}: "${(s.error ?? 'no message').slice(0, 160)}" does not name ${m.dependency}`,
      );
  }
  const errorExamples = [...new Set(failed.map((s) => `${s.status} ${(s.error ?? '').slice(0, 100)}`))].slice(
    0,
    3,
  );

  // 3. No restart of anything but the dependency itself.
  for (const [name, before] of Object.entries(m.restartsBefore)) {
    if (name === m.dependency) continue;
    const after = m.restartsAfter[name];
    if (after === undefined) violations.push(`${name}: missing from the state after the outage`);
    else if (after > before)
      violations.push(`${name} restarted ${after - before}× during the ${m.dependency} outage`);
  }
  for (const name of m.notRunningAfter) violations.push(`${name} is not running after the outage`);

  // 4. Nothing accepted is lost, nothing recorded twice.
  const accepted = [...new Set(window.filter((s) => s.ok && s.orderId).map((s) => s.orderId as string))];
  let lost = 0;
  let duplicated = 0;
  for (const id of accepted) {
    const count = m.recordedOrders[id] ?? 0;
    if (count === 0) lost++;
    if (count > 1) duplicated++;
  }
  if (m.ordersMustSucceed && accepted.length === 0)
    violations.push(`no order was accepted during the ${m.dependency} outage`);
  if (lost) violations.push(`${lost} of ${accepted.length} accepted orders never reached accounting`);
  if (duplicated) violations.push(`${duplicated} accepted orders were recorded more than once`);

  // 5. The feature is back within RECOVERY_LIMIT_S of the dependency's return.
  const recoverySeconds = m.recoveredAt === null ? null : Math.max(0, (m.recoveredAt - m.backAt) / 1000);
  if (recoverySeconds === null) violations.push(`never recovered after ${m.dependency} came back`);
  else if (recoverySeconds > RECOVERY_LIMIT_S)
    violations.push(
      `recovered ${recoverySeconds.toFixed(1)} s after ${m.dependency} came back (limit ${RECOVERY_LIMIT_S} s)`,
    );

  return {
    dependency: m.dependency,
    requests: window.length,
    errors: failed.length,
    errorExamples,
    maxLatencyMs: Math.round(maxLatencyMs),
    recoverySeconds,
    ordersAccepted: accepted.length,
    ordersLost: lost,
    ordersDuplicated: duplicated,
    violations,
  };
}

/**
 * When the feature worked again: the end of the first successful `probe`
 * sample started after `backAt` that no later failure of the same probe
 * follows. Null when the last sample failed (or there is none).
 */
export function recoveredAt(samples: Sample[], probe: string, backAt: number): number | null {
  const after = samples
    .filter((s) => s.probe === probe && s.startedAt >= backAt)
    .sort((a, b) => a.startedAt - b.startedAt);
  let candidate: number | null = null;
  for (const s of after) {
    if (!s.ok) candidate = null;
    else if (candidate === null) candidate = s.endedAt;
  }
  return candidate;
}

/** The markdown table the run prints and the README shows. */
export function table(verdicts: Verdict[], outageSeconds: number): string {
  const rows = [
    `| Dependency stopped ${outageSeconds} s | Requests / errors | Errors seen (examples) | Max latency | Recovery | Orders accepted / lost / duplicated | Result |`,
    '|---|---|---|---|---|---|---|',
  ];
  for (const v of verdicts) {
    rows.push(
      `| ${v.dependency} | ${v.requests} / ${v.errors} | ${v.errorExamples.map((e) => `\`${e.replaceAll('|', '\\|')}\``).join('<br>') || '—'} | ${v.maxLatencyMs} ms | ${v.recoverySeconds === null ? 'never' : `${v.recoverySeconds.toFixed(1)} s`} | ${v.ordersAccepted} / ${v.ordersLost} / ${v.ordersDuplicated} | ${v.violations.length ? 'FAIL' : 'PASS'} |`,
    );
  }
  return rows.join('\n');
}
