// The readable `--format text` report.
import type { SweepResult } from '../core/advice/sweep';
import type { Finding, Suggestion } from '../core/analysis/finding';
import { formatLr, formatValue } from '../core/analysis/format';
import type { ReadError } from '../core/model/run';
import type { SeriesSummary } from '../core/model/summary';
import type { ScheduleFit } from '../core/schedules/types';

export interface RunReport {
  source: string;
  format: string;
  series: SeriesSummary[];
  /** The schedule the LR followed, when it could be identified. */
  schedule?: ScheduleFit;
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
    if (r.schedule) out.push(`  schedule: ${describeSchedule(r.schedule)}`);
    if (r.findings.length === 0) out.push('  no findings');
    for (const f of r.findings) {
      const where = f.line !== undefined ? `${r.source}:${f.line}` : `step ${f.step}`;
      out.push(`  ${f.severity.padEnd(7)} ${f.rule.padEnd(16)} ${where}  ${f.message}`);
      for (const s of f.suggestions) out.push(`  ${' '.repeat(25)}fix: ${describeSuggestion(s)}`);
    }
    for (const e of r.errors) {
      const at = e.line !== undefined ? `line ${e.line}` : e.offset !== undefined ? `byte ${e.offset}` : '';
      out.push(`  read error ${e.kind}${at ? ` at ${at}` : ''}: ${e.message}`);
    }
    out.push('');
  }
  return out.join('\n');
}

function describeSchedule(s: ScheduleFit): string {
  if (s.summary) return s.summary;
  const params = Object.entries(s.params)
    .map(([k, v]) => `${k}=${/lr/i.test(k) ? formatLr(v) : formatValue(v)}`)
    .join(', ');
  return `${s.family}${params ? ` (${params})` : ''}`;
}

/** One suggestion as a short imperative line with its numbers and reason. */
export function describeSuggestion(s: Suggestion): string {
  const what = ((): string => {
    switch (s.fix) {
      case 'scale_lr':
        return `scale the LR by ${s.factor}${s.lr !== undefined ? ` (to ${formatLr(s.lr)})` : ''}`;
      case 'add_warmup':
        return `add ${s.steps} warmup steps`;
      case 'add_schedule':
        return `use a ${s.family} schedule (${Object.entries(s.params)
          .map(([k, v]) => `${k}=${/lr/i.test(k) ? formatLr(v) : String(v)}`)
          .join(', ')})`;
      case 'add_reduce_on_plateau':
        return `add ReduceLROnPlateau on ${s.monitor ?? 'val_loss'} (patience=${s.patience}, factor=${s.factor})`;
      case 'clip_grad_norm':
        return `clip the gradient norm at ${s.maxNorm}`;
      case 'switch_optimizer':
        return `switch to ${s.optimizer} at LR ${formatLr(s.lr)}`;
      case 'step_per_epoch':
        return `step the LR scheduler once per epoch${s.stepsPerEpoch !== undefined ? ` (every ${s.stepsPerEpoch} steps)` : ''}, not per batch`;
      case 'early_stop':
        return `stop at (or keep the checkpoint from) step ${s.step}`;
    }
  })();
  return s.why ? `${what} — ${s.why}` : what;
}

/** The `--sweep` ranking: one table per optimizer group, best first, then the verdict. */
export function renderSweepText(sweep: SweepResult): string {
  const out: string[] = ['sweep'];
  for (const g of sweep.groups) {
    if (!g.best && g.entries.length === 1) {
      out.push(`  ${g.entries[0]!.name}: not compared (${g.entries[0]!.note})`);
      continue;
    }
    if (g.optimizer) out.push(`  optimizer ${g.optimizer}`);
    const rows = [['rank', 'run', 'lr', 'loss', 'status', 'note']];
    g.entries.forEach((e, i) =>
      rows.push([
        e.status === 'not_compared' ? '-' : String(i + 1),
        e.name,
        e.lr !== undefined ? formatLr(e.lr) : '?',
        e.score !== undefined ? formatValue(e.score) : '-',
        e.status.replace('_', ' '),
        e.note,
      ]),
    );
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
    for (const row of rows) out.push('  ' + row.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
    out.push(`  ${g.summary}`);
  }
  out.push('');
  return out.join('\n');
}
