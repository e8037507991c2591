// The robustness suite against the running stack (make test-robustness):
// property-based inputs for every gRPC method of the contract and every HTTP
// route in the table, the raw-socket cases, and after each group the alive
// oracle. Prints "N inputs, C crashes, F 5xx for client errors"; exits 1 on
// any failure (or if it could not check). SEED= and RUNS= make a run repeatable.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, credentials, Metadata } from '@grpc/grpc-js';
import { apiRoutes } from '../../services/frontend/src/server/handlers.ts';
import { crashReport } from '../lib/crash-report.ts';
import { grpcPlans } from './grpc-suite.ts';
import { httpCases } from './http-cases.ts';
import { httpPlans, uncoveredFrontendRoutes } from './http-suite.ts';
import { show, Tally } from './oracle.ts';
import { type Hints, InputBuilder, loadContract } from './proto-inputs.ts';
import { RAW_CASES } from './raw-cases.ts';
import { rawPlans } from './raw-suite.ts';
import { type Plan, runSuite } from './suite.ts';
import { HOST, REPO_ROOT, RUN_DIR, TARGETS, type Target } from './targets.ts';

const seed = Number(process.env.SEED ?? 20_261_130);
const runs = Number(process.env.RUNS ?? 30);
const only = process.env.ONLY; // a substring of group names, to rerun one failing group
if (!Number.isInteger(seed) || !Number.isInteger(runs) || runs < 1) {
  console.error('SEED and RUNS must be integers (RUNS >= 1)');
  process.exit(2);
}
const started = Date.now();
console.log(
  `robustness suite: seed ${seed} (SEED=${seed} to repeat), ${runs} runs per method/route, run dir ${RUN_DIR}`,
);

const tally = new Tally();
const contract = loadContract();
const hints = await shopHints();
console.log(
  `contract: ${contract.methods.length} methods; hints: ${hints.productIds.length} products, ${hints.currencyCodes.length} currencies`,
);
warnAboutFaultFlags();

const targets = TARGETS as Record<string, Target>;
const grpc = grpcPlans(contract, hints, { seed, runs, host: HOST });
for (const problem of grpc.problems) tally.fail('coverage', 'missing-data', 'contract', problem);
const cases = httpCases(new InputBuilder(contract.definition, 'json', hints), hints);
for (const problem of uncoveredFrontendRoutes(apiRoutes({ imageSlowLoad: async () => 0 }), cases))
  tally.fail('coverage', 'missing-data', 'frontend routes', problem);

let plans: Plan[] = [
  ...grpc.plans.map((p) => ({ group: p.group, targets: [p.target], run: p.run })),
  ...httpPlans(cases, { seed, runs, host: HOST, targets }).map((p) => ({
    group: p.group,
    targets: [p.target],
    run: p.run,
  })),
  ...rawPlans(RAW_CASES, { host: HOST, targets }),
];
if (only) plans = plans.filter((p) => p.group.includes(only));

// Watch every process the stack runs (a neighbour crashing because of our input counts too).
const watch = stackComponents();
await runSuite(plans, tally, { runDir: RUN_DIR, host: HOST, watch, log: (line) => console.log(line) });

report();
process.exit(tally.ok ? 0 : 1);

function report() {
  // Failing groups always; every group (with what its inputs got back) with VERBOSE=1.
  console.log(
    '\ngroup                                                     inputs  failures  seconds  answers',
  );
  for (const [group, g] of tally.groups) {
    if (!g.failures && !process.env.VERBOSE) continue;
    const answers = [...(tally.outcomes.get(group) ?? [])].map(([k, n]) => `${k}:${n}`).join(' ');
    console.log(
      `${group.slice(0, 56).padEnd(56)} ${String(g.inputs).padStart(7)} ${String(g.failures).padStart(9)} ${(g.ms / 1000).toFixed(1).padStart(8)}  ${answers}`,
    );
  }
  if (tally.failures.length) {
    console.log('\nfailures (first of each group and kind; SEED/ONLY= to rerun):');
    const seen = new Map<string, number>();
    for (const f of tally.failures) {
      const key = `${f.group}|${f.kind}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      if (seen.get(key) === 1) console.log(`  [${f.kind}] ${f.group}: ${f.what}\n      -> ${f.detail}`);
    }
    for (const [key, n] of seen) if (n > 1) console.log(`  (${key.replace('|', ' ')}: ${n} in all)`);
    // Why each crashed component ended: its exit reason and last log lines (stack included).
    const crashed = new Set(tally.failures.filter((f) => f.kind === 'crash').map((f) => f.what));
    for (const name of crashed)
      if (watch.includes(name)) for (const line of crashReport(RUN_DIR, name)) console.log(line);
  }
  console.log(`\n${tally.summary()}  (${Math.round((Date.now() - started) / 1000)} s, seed ${seed})`);
}

function stackComponents(): string[] {
  try {
    const state = JSON.parse(readFileSync(join(RUN_DIR, 'state.json'), 'utf8')) as {
      components: { name: string; pid: number | null }[];
    };
    const running = state.components.filter((c) => c.pid).map((c) => c.name);
    return [...new Set([...Object.values(TARGETS).map((t) => t.component), ...running])];
  } catch {
    // runSuite reports the missing state file as missing data.
    return Object.values(TARGETS).map((t) => t.component);
  }
}

/** Real product ids and currency codes from the shop, so inputs get past the first validation. */
async function shopHints(): Promise<Hints> {
  const hints: Hints = { productIds: [], currencyCodes: [] };
  const { ListProductsResponse, GetSupportedCurrenciesResponse } = await import('@astroshop/proto');
  const call = (port: number, path: string) =>
    new Promise<Buffer | null>((resolve) => {
      const client = new Client(`${HOST}:${port}`, credentials.createInsecure());
      client.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.alloc(0),
        new Metadata(),
        { deadline: Date.now() + 5000 },
        (error, value) => {
          client.close();
          resolve(error ? null : (value as Buffer));
        },
      );
    });
  const products = await call(
    TARGETS['product-catalog'].port,
    '/oteldemo.ProductCatalogService/ListProducts',
  );
  if (products) hints.productIds = ListProductsResponse.decode(products).products.map((p) => p.id);
  const currencies = await call(TARGETS.currency.port, '/oteldemo.CurrencyService/GetSupportedCurrencies');
  if (currencies) hints.currencyCodes = GetSupportedCurrenciesResponse.decode(currencies).currencyCodes;
  if (!products || !currencies)
    console.log('warning: could not read products/currencies from the shop; inputs stay shallower');
  return hints;
}

/** Fault flags make services fail on purpose; the oracle cannot tell those from bugs, so say so. */
function warnAboutFaultFlags() {
  try {
    const file = JSON.parse(readFileSync(join(REPO_ROOT, 'flagd/demo.flagd.json'), 'utf8')) as {
      flags: Record<string, { defaultVariant: string; variants: Record<string, unknown> }>;
    };
    const on = Object.entries(file.flags)
      // loadGenerator* flags drive load, not faults.
      .filter(
        ([k, f]) =>
          !k.startsWith('loadGenerator') && f.defaultVariant !== 'off' && f.variants.off !== undefined,
      )
      .map(([k, f]) => `${k}=${show(f.variants[f.defaultVariant])}`);
    if (on.length) console.log(`warning: fault flags on (their failures will count): ${on.join(', ')}`);
  } catch {
    // no flag file: nothing to warn about
  }
}
