// The component table as markdown, for docs/engineering.md (ARCHITECTURE).
// `node scripts/devstack/src/components/markdown.ts --write` rewrites the block
// between the markers; test/static/deploy-parity.test.ts fails when it is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEPLOYABLES } from './index.ts';
import type { Deployable } from './types.ts';

export const BEGIN =
  '<!-- components:begin (generated: node scripts/devstack/src/components/markdown.ts --write) -->';
export const END = '<!-- components:end -->';

const probe = (d: Deployable) =>
  d.probe.kind === 'grpc'
    ? 'gRPC health'
    : d.probe.kind === 'http'
      ? `GET ${d.probe.path}`
      : 'consumer (:9464/health)';

export function componentTable(rows: readonly Deployable[] = DEPLOYABLES): string {
  const lines = [
    '| component | source | port | probe | criticality | depends on | memory MiB: native / compose / chart (peak native / container) |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((d) => {
      const m = d.memory;
      const port = d.port ? `${d.port.env}=${d.port.default}` : '-';
      const deps = d.dependsOn.filter((x) => x !== 'otel-collector').join(', ') || '-';
      return `| ${d.name} | \`${d.dir}\` | ${port} | ${probe(d)} | ${d.criticality} | ${deps} | ${m.native} / ${m.compose} / ${m.chart} (${m.peak.native} / ${m.peak.container}) |`;
    }),
  ];
  return `${BEGIN}\n${lines.join('\n')}\n${END}`;
}

/** `doc` with its generated block replaced by the current table. */
export function withTable(doc: string): string {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error('docs/engineering.md has no components:begin/end markers');
  return doc.slice(0, start) + componentTable() + doc.slice(end + END.length);
}

if (import.meta.main && process.argv.includes('--write')) {
  const path = join(import.meta.dirname, '../../../../docs/engineering.md');
  writeFileSync(path, withTable(readFileSync(path, 'utf8')));
} else if (import.meta.main) console.log(componentTable());
