// Runs the raw-socket table (raw-cases.ts): each row against each of its
// targets (targets in parallel, repeats in sequence), judged by one oracle.

import { REPLY_BOUND_MS, show, type Tally } from './oracle.ts';
import { type RawResult, runRaw } from './raw.ts';
import { type Expect, type RawCase, SLOW_BOUND_MS } from './raw-cases.ts';
import type { Target } from './targets.ts';

export interface RawPlan {
  group: string;
  targets: Target[];
  /** Slow cases run alongside the others (their bound is long); the runner awaits them last. */
  slow: boolean;
  run: (tally: Tally) => Promise<void>;
}

/** What a result means for a case's expectation; null = fine. */
export function judgeRaw(
  expect: Expect,
  result: RawResult,
): { kind: '5xx' | 'unbounded' | 'crash'; detail: string } | null {
  const fault = result.statuses.find((s) => s >= 500);
  if (fault) return { kind: '5xx', detail: `answered ${fault} (statuses ${result.statuses.join(',')})` };
  if (result.endedBy === 'connect-error') return { kind: 'crash', detail: `cannot connect: ${result.error}` };
  if (expect === 'survive') return null;
  const answered = result.statuses.length > 0 || result.closedByServer;
  if (!answered) {
    return {
      kind: 'unbounded',
      detail:
        expect === 'cut-off'
          ? `never-finished request not cut off within ${SLOW_BOUND_MS / 1000} s (set the server's request/headers timeout)`
          : `no answer and no close within ${REPLY_BOUND_MS / 1000} s`,
    };
  }
  return null;
}

export function rawPlans(
  cases: RawCase[],
  options: { host: string; targets: Record<string, Target> },
): RawPlan[] {
  return cases.map((c) => {
    const expect = c.expect ?? 'reply';
    const targets = c.targets.map((name) => options.targets[name] as Target);
    return {
      group: `raw: ${c.name}`,
      targets,
      slow: expect === 'cut-off',
      run: async (tally: Tally) => {
        const group = `raw: ${c.name}`;
        await Promise.all(
          c.targets.map(async (name) => {
            const target = options.targets[name] as Target;
            const steps = typeof c.steps === 'function' ? c.steps(name) : c.steps;
            const bound = expect === 'cut-off' ? SLOW_BOUND_MS + 5000 : REPLY_BOUND_MS;
            for (let i = 0; i < (c.repeat ?? 1); i++) {
              const result = await runRaw(options.host, target.port, steps, bound);
              tally.input(group);
              tally.outcome(group, result.statuses.length ? result.statuses.join('+') : result.endedBy);
              const verdict = judgeRaw(expect, result);
              if (verdict) {
                tally.fail(
                  group,
                  verdict.kind,
                  `${target.component} :${target.port} ${show(
                    steps
                      .filter((s) => typeof s === 'string')
                      .join('')
                      .slice(0, 100),
                  )}`,
                  verdict.detail,
                );
                break; // one failure per target and row is enough
              }
            }
          }),
        );
      },
    };
  });
}
