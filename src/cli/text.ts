// The readable `--format text` report.
import type { Finding } from '../core/analysis/finding';
import type { ReadError } from '../core/model/run';
import type { SeriesSummary } from '../core/model/summary';

export interface RunReport {
  source: string;
  format: string;
  series: SeriesSummary[];
  findings: Finding[];
  errors: ReadError[];
}

const num = (x: number | null): string => (x === null ? '-' : Number.isInteger(x) ? String(x) : x.toPrecision(4));

export function renderText(runs: RunReport[]): string {
  const out: string[] = [];
  for (const r of runs) {
    out.push(`${r.source}  (${r.format})`);
    const rows = [['tag', 'role', 'count', 'steps', 'min', 'max', 'non-finite']];
    for (const s of r.series)
      rows.push([s.tag, s.role, String(s.count), `${num(s.firstStep)}..${num(s.lastStep)}`, num(s.min), num(s.max), String(s.nonFinite)]);
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
    for (const row of rows) out.push('  ' + row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
    if (r.findings.length === 0) out.push('  no findings');
    for (const f of r.findings) {
      const where = f.line !== undefined ? `${r.source}:${f.line}` : `step ${f.step}`;
      out.push(`  ${f.severity.padEnd(7)} ${f.rule.padEnd(16)} ${where}  ${f.message}`);
    }
    for (const e of r.errors) {
      const at = e.line !== undefined ? `line ${e.line}` : e.offset !== undefined ? `byte ${e.offset}` : '';
      out.push(`  read error ${e.kind}${at ? ` at ${at}` : ''}: ${e.message}`);
    }
    out.push('');
  }
  return out.join('\n');
}
