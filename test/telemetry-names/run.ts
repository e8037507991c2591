// `make test` step (scripts/test.sh, after the stack tests, so the load
// generator and the tests have driven every path): lists every service name,
// span name, attribute key and metric family the running shop emits and diffs
// them against the original's (upstream.json). Exits 1 on any difference that
// explained.json does not account for, or when the backends hold no data.
//   node test/telemetry-names/run.ts [--lookback-min 30] [--table out.md]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { collectEmitted } from './collect.ts';
import { diffNames, ExplanationsSchema, formatSummary, formatTable, UpstreamSchema } from './diff.ts';

const here = import.meta.dirname;
const { values } = parseArgs({
  options: { 'lookback-min': { type: 'string', default: '30' }, table: { type: 'string' } },
});
const lookbackMin = Number(values['lookback-min']);
if (!Number.isFinite(lookbackMin) || lookbackMin <= 0)
  throw new Error('--lookback-min must be a positive number');

const upstream = UpstreamSchema.parse(JSON.parse(readFileSync(join(here, 'upstream.json'), 'utf8')));
const explanations = ExplanationsSchema.parse(JSON.parse(readFileSync(join(here, 'explained.json'), 'utf8')));

const emitted = await collectEmitted(lookbackMin * 60_000);
console.log(
  `emitted: ${emitted.services.length} services, ${emitted.spanNames.length} span names, ` +
    `${emitted.attributes.length} attribute keys, ${emitted.metrics.length} metric families`,
);
const diff = diffNames(upstream, emitted, explanations);
const table = formatTable(diff);
if (values.table) writeFileSync(values.table, `${table}\n`);
console.log(`\n${formatSummary(diff)}\n`);
for (const e of diff.unused)
  console.log(`note: explanation not needed this run: ${e.kind} ${e.name ?? e.pattern}`);
if (diff.unexplained.length > 0) {
  console.log(
    `\nUNEXPLAINED differences (${diff.unexplained.length}): add the name, fix the shop, or explain it in explained.json`,
  );
  for (const r of diff.unexplained) console.log(`  ${r.side}  ${r.kind}  ${r.name}`);
  process.exit(1);
}
console.log(`telemetry names: ${diff.rows.length} differences, all explained`);
