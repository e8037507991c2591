// Diff of the telemetry names the shop emits against the original's
// (upstream.json), with the accepted differences (explained.json). Pure: the
// stack is read by collect.ts; the unit test feeds this made-up names.
import { z } from 'zod';

export const KINDS = ['service', 'span', 'attribute', 'metric'] as const;
export type Kind = (typeof KINDS)[number];
export type Side = 'ours-only' | 'upstream-only';

const nameList = z.array(z.string().min(1));
export const UpstreamSchema = z.object({
  services: nameList,
  spanNames: nameList,
  attributes: nameList,
  metrics: nameList,
  /** Families the original's receivers emit, by prefix (e.g. every `nginx_*`). */
  metricPrefixes: nameList.default([]),
});
export type Upstream = z.infer<typeof UpstreamSchema>;

export const ExplanationSchema = z
  .object({
    kind: z.enum(KINDS),
    side: z.enum(['ours-only', 'upstream-only']),
    /** Exactly one name ... */
    name: z.string().min(1).optional(),
    /** ... or a regular expression that must match the whole name. */
    pattern: z.string().min(1).optional(),
    reason: z.string().min(10),
  })
  .refine((e) => (e.name === undefined) !== (e.pattern === undefined), 'give exactly one of name, pattern');
export type Explanation = z.infer<typeof ExplanationSchema>;
export const ExplanationsSchema = z.array(ExplanationSchema);

/** What the running shop emitted. */
export interface Emitted {
  services: string[];
  spanNames: string[];
  attributes: string[];
  metrics: string[];
}

export interface Row {
  kind: Kind;
  side: Side;
  name: string;
  /** Undefined: an unexplained difference. */
  reason?: string;
}

export interface NamesDiff {
  rows: Row[];
  unexplained: Row[];
  /** Explanations no difference needed (stale once the shop changed). */
  unused: Explanation[];
}

const lists: Record<Kind, { upstream: keyof Upstream; emitted: keyof Emitted }> = {
  service: { upstream: 'services', emitted: 'services' },
  span: { upstream: 'spanNames', emitted: 'spanNames' },
  attribute: { upstream: 'attributes', emitted: 'attributes' },
  metric: { upstream: 'metrics', emitted: 'metrics' },
};

export function diffNames(upstream: Upstream, emitted: Emitted, explanations: Explanation[]): NamesDiff {
  const matchers = explanations.map((e) => ({
    e,
    test: e.pattern ? (n: string) => new RegExp(`^(?:${e.pattern})$`).test(n) : (n: string) => n === e.name,
  }));
  const used = new Set<Explanation>();
  const explain = (kind: Kind, side: Side, name: string): string | undefined => {
    const hit = matchers.find((m) => m.e.kind === kind && m.e.side === side && m.test(name));
    if (hit) used.add(hit.e);
    return hit?.e.reason;
  };
  const rows: Row[] = [];
  for (const kind of KINDS) {
    const theirs = new Set(upstream[lists[kind].upstream] as string[]);
    const ours = new Set(emitted[lists[kind].emitted]);
    const prefixes = kind === 'metric' ? upstream.metricPrefixes : [];
    for (const name of [...ours].sort()) {
      if (theirs.has(name) || prefixes.some((p) => name.startsWith(p))) continue;
      rows.push({ kind, side: 'ours-only', name, reason: explain(kind, 'ours-only', name) });
    }
    for (const name of [...theirs].sort()) {
      if (ours.has(name)) continue;
      rows.push({ kind, side: 'upstream-only', name, reason: explain(kind, 'upstream-only', name) });
    }
    for (const prefix of prefixes) {
      if ([...ours].some((n) => n.startsWith(prefix))) continue;
      const name = `${prefix}*`;
      rows.push({ kind, side: 'upstream-only', name, reason: explain(kind, 'upstream-only', name) });
    }
  }
  return {
    rows,
    unexplained: rows.filter((r) => r.reason === undefined),
    unused: explanations.filter((e) => !used.has(e)),
  };
}

/** The diff as a Markdown table: one row per difference, unexplained ones marked. */
export function formatTable(diff: NamesDiff): string {
  const lines = ['| kind | name | only in | reason |', '|---|---|---|---|'];
  for (const r of diff.rows) {
    const where = r.side === 'ours-only' ? 'ours' : 'original';
    lines.push(`| ${r.kind} | \`${r.name}\` | ${where} | ${r.reason ?? '**UNEXPLAINED**'} |`);
  }
  return lines.join('\n');
}

/** Compact view: one line per (kind, side, reason) with its names, unexplained ones one by one. */
export function formatSummary(diff: NamesDiff): string {
  const groups = new Map<string, Row[]>();
  for (const r of diff.rows) {
    const key = `${r.kind}|${r.side}|${r.reason ?? `UNEXPLAINED ${r.name}`}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const lines = ['| kind | only in | names | reason |', '|---|---|---|---|'];
  for (const rows of groups.values()) {
    const [first] = rows as [Row];
    const names = rows.map((r) => `\`${r.name}\``);
    const shown = names.length > 6 ? `${names.slice(0, 6).join(', ')} … (${names.length})` : names.join(', ');
    const where = first.side === 'ours-only' ? 'ours' : 'original';
    lines.push(`| ${first.kind} | ${where} | ${shown} | ${first.reason ?? '**UNEXPLAINED**'} |`);
  }
  return lines.join('\n');
}
