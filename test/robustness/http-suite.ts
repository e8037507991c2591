// Runs the HTTP table (http-cases.ts): samples per row, one request each,
// judged by the oracle (never 5xx, always answered within the bound).
import fc from 'fast-check';
import { httpCall } from './http-call.ts';
import { type HttpCase, OTHER_METHODS } from './http-cases.ts';
import { judgeHttp, REPLY_BOUND_MS, show, type Tally } from './oracle.ts';
import type { Target } from './targets.ts';

export interface HttpPlan {
  group: string;
  target: Target;
  run: (tally: Tally) => Promise<void>;
}

export function httpPlans(
  cases: HttpCase[],
  options: { seed: number; runs: number; host: string; targets: Record<string, Target> },
): HttpPlan[] {
  const plans: HttpPlan[] = cases.map((c, index) => {
    const target = options.targets[c.target] as Target;
    const group = `${c.target} ${c.method} ${c.route}`;
    const samples = fc.sample(c.request, {
      seed: options.seed + 104_729 + index * 7919,
      numRuns: options.runs,
    });
    return {
      group,
      target,
      run: async (tally: Tally) => {
        for (const s of samples) {
          const input = { method: c.method, path: `${s.path}${s.query}`, headers: s.headers, body: s.body };
          await send(tally, group, options.host, target, input);
        }
      },
    };
  });
  // Wrong methods on every route of the table, once each.
  const routes = new Map<string, { target: Target; path: string; name: string }>();
  for (const c of cases) {
    const sample = fc.sample(c.request, { seed: options.seed, numRuns: 1 })[0];
    if (sample)
      routes.set(`${c.target} ${c.route}`, {
        target: options.targets[c.target] as Target,
        path: sample.path,
        name: c.target,
      });
  }
  plans.push({
    group: 'wrong methods',
    target: options.targets.frontend as Target,
    run: async (tally) => {
      for (const { target, path } of routes.values()) {
        for (const method of OTHER_METHODS)
          await send(tally, 'wrong methods', options.host, target, {
            method,
            path,
            body: method === 'HEAD' ? undefined : '{}',
          });
      }
    },
  });
  return plans;
}

async function send(
  tally: Tally,
  group: string,
  host: string,
  target: Target,
  input: { method: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<void> {
  const out = await httpCall(host, target.port, input, REPLY_BOUND_MS);
  if (out.unsent) return;
  tally.input(group);
  tally.outcome(group, String(out.status ?? 'none'));
  const kind = judgeHttp(out.status, out.error);
  if (kind) {
    tally.fail(
      group,
      kind,
      `${target.component}: ${input.method} ${show(input.path, 120)}${input.body ? ` body ${show(input.body, 120)}` : ''}`,
      out.status ? `${out.status} ${show(out.body, 200)}` : (out.error ?? 'no status'),
    );
  }
}

/** Frontend routes (template + method) that have no row in the table, and rows the frontend no longer has. */
export function uncoveredFrontendRoutes(
  frontendRoutes: { template: string; methods: Record<string, unknown> }[],
  cases: HttpCase[],
): string[] {
  const declared = new Set(cases.filter((c) => c.target === 'frontend').map((c) => `${c.method} ${c.route}`));
  const actual = new Set(
    frontendRoutes.flatMap((r) => Object.keys(r.methods).map((m) => `${m} ${r.template}`)),
  );
  const problems: string[] = [];
  for (const a of actual)
    if (!declared.has(a)) problems.push(`frontend route ${a} has no row in test/robustness/http-cases.ts`);
  for (const d of declared)
    if (!actual.has(d)) problems.push(`http-cases.ts row ${d} is not a frontend route any more`);
  return problems;
}
