/** Markdown and number formatting for the quality report (pure; unit-tested in test/bench/). */

/** Escapes the characters that would break a Markdown table cell. */
export function escapeCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * A GitHub-flavoured Markdown table. `align` per column: 'l' (default) or 'r'. Every row must have as many
 * cells as the header.
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly ('l' | 'r')[] = []): string {
  for (const [i, r] of rows.entries()) {
    if (r.length !== header.length) throw new RangeError(`row ${i} has ${r.length} cells, the header ${header.length}`);
  }
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  const rule = `|${header.map((_, i) => (align[i] === 'r' ? '---:' : '---')).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** A query count: 12,345; `null` → '—' (not reached). */
export function formatQueries(q: number | null): string {
  if (q === null) return '—';
  if (Number.isNaN(q)) return 'n/a';
  return Math.round(q).toLocaleString('en-US');
}

/** A suboptimality in compact scientific form: 1.2e-4; 0 → '0'. */
export function formatSubopt(v: number | null): string {
  if (v === null || Number.isNaN(v)) return 'n/a';
  if (v === 0) return '0';
  if (v >= 0.01 && v < 100) return v.toPrecision(2);
  return v.toExponential(1).replace('e+', 'e');
}

/** Milliseconds as '850 ms', '12.3 s' or '4.1 min'. */
export function formatMs(ms: number | null): string {
  if (ms === null || Number.isNaN(ms)) return 'n/a';
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** Bytes as '0 B', '800 B', '3.9 KiB', '1.2 MiB'. */
export function formatBytes(b: number): string {
  if (b < 1024) return `${Math.round(b)} B`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KiB`;
  return `${(b / 1024 / 1024).toFixed(1)} MiB`;
}

/** A hyperparameter value: 0.05, 3.3e-5. */
export function formatValue(v: number): string {
  return v >= 1e-2 && v < 1e3 ? String(+v.toPrecision(3)) : v.toExponential(2).replace('e+', 'e');
}
