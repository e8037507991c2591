// Runs plans (groups of inputs) and, after each group, the alive oracle: the
// processes the suite watches are still the same pids with the same restart
// counts, and the group's targets answer the next request. Used by run.ts
// against the stack and by the negative-control test against broken fakes.
import { isSameProcess } from '../../scripts/devstack/src/state.ts';
import { answers, compare, type Marks, mark } from './alive.ts';
import type { Tally } from './oracle.ts';
import type { Target } from './targets.ts';

export interface Plan {
  group: string;
  targets: Target[];
  slow?: boolean;
  run: (tally: Tally) => Promise<void>;
}

export interface SuiteOptions {
  runDir: string;
  host: string;
  /** Components whose pid/restarts must not move (the targets and everything behind them). */
  watch: string[];
  /** How long to wait for a crashed process to be back before the next group (so one crash is counted once). */
  recoverMs?: number;
  log?: (line: string) => void;
}

export async function runSuite(plans: Plan[], tally: Tally, options: SuiteOptions): Promise<void> {
  const log = options.log ?? (() => {});
  const start = mark(options.runDir, options.watch);
  for (const problem of start.problems) tally.fail('before the suite', 'missing-data', 'state.json', problem);
  let marks: Marks = start.marks;
  // Each target must answer before we start, or its failures would be blamed on our inputs.
  const allTargets = uniqueTargets(plans.flatMap((p) => p.targets));
  for (const target of allTargets) {
    const error = await answers(options.host, target);
    if (error)
      tally.fail(
        'before the suite',
        'missing-data',
        target.component,
        `not answering before the suite started: ${error}`,
      );
  }

  const check = async (group: string, targets: Target[]) => {
    const changes = compare(marks, options.runDir);
    const changed = new Set<string>();
    for (const change of changes) {
      tally.fail(group, change.kind, change.component, `after "${group}": ${change.text}`);
      changed.add(change.component);
    }
    for (const target of uniqueTargets(targets)) {
      const error = await answers(options.host, target);
      if (error) {
        tally.fail(group, 'crash', target.component, `after "${group}": ${error}`);
        changed.add(target.component);
      }
    }
    if (changed.size > 0) {
      // Wait for the supervisor to bring it back, then re-mark: the next group is judged on its own.
      await recover([...changed], allTargets, options, log);
      const again = mark(options.runDir, options.watch);
      marks = again.marks;
    }
  };

  const slow = plans.filter((p) => p.slow);
  const fast = plans.filter((p) => !p.slow);
  const started = Date.now();
  const slowRuns = slow.map(async (plan) => {
    const t0 = Date.now();
    await plan.run(tally);
    tally.timed(plan.group, Date.now() - t0);
  });
  for (const plan of fast) {
    const t0 = Date.now();
    await plan.run(tally);
    tally.timed(plan.group, Date.now() - t0);
    await check(plan.group, plan.targets);
    log(
      `  ${plan.group}: ${tally.groups.get(plan.group)?.inputs ?? 0} inputs, ${tally.groups.get(plan.group)?.failures ?? 0} failures (${Date.now() - t0} ms)`,
    );
  }
  if (slow.length) {
    log(`  waiting for the slow-client cases (${Math.round((Date.now() - started) / 1000)} s in)`);
    await Promise.all(slowRuns);
    await check(
      'slow clients',
      slow.flatMap((p) => p.targets),
    );
    for (const plan of slow)
      log(
        `  ${plan.group}: ${tally.groups.get(plan.group)?.inputs ?? 0} inputs, ${tally.groups.get(plan.group)?.failures ?? 0} failures`,
      );
  }
}

function uniqueTargets(targets: Target[]): Target[] {
  return [...new Map(targets.map((t) => [`${t.component}:${t.port}`, t])).values()];
}

async function recover(
  components: string[],
  targets: Target[],
  options: SuiteOptions,
  log: (line: string) => void,
) {
  const deadline = Date.now() + (options.recoverMs ?? 45_000);
  const waiting = targets.filter((t) => components.includes(t.component));
  for (const target of waiting) {
    while (Date.now() < deadline && (await answers(options.host, target, 2000)))
      await new Promise((r) => setTimeout(r, 500));
  }
  // The supervisor writes the new pid a moment after the restart: wait for it too.
  while (Date.now() < deadline) {
    const { marks } = mark(options.runDir, components);
    if (
      components.every(
        (c) => marks.has(c) && isSameProcess(marks.get(c)?.pid ?? null, marks.get(c)?.startTicks ?? null),
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 500));
  }
  log(`  (waited for ${components.join(', ')} to come back)`);
}
