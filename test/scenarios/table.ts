/** A plain text table, columns as wide as their content (at most `max` characters). */
export function printTable(header: string[], rows: string[][], max = 90): void {
  const widths = header.map((h, i) =>
    Math.min(max, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))),
  );
  const line = (cells: string[]) =>
    cells.map((c, i) => c.slice(0, widths[i]).padEnd(widths[i] ?? 0)).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-+-'));
  for (const r of rows) console.log(line(r));
}
