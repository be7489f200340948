// The readable `--format text` report: per run, an aligned table of its series, the
// schedule its LR followed, then its findings with their fixes and its read errors, each
// with the file and line (or byte offset) it is about; and the `--sweep` ranking.
import type { SweepResult } from '../core/advice/sweep';
import type { Finding, Suggestion } from '../core/analysis/finding';
import { formatLr, formatValue } from '../core/analysis/format';
import type { ReadError, Restart } from '../core/model/run';
import type { SeriesSummary } from '../core/model/summary';
import type { ScheduleFit } from '../core/schedules/types';

export interface RunReport {
  source: string;
  /** Display name; differs from the file name when one file holds several runs. */
  name: string;
  format: string;
  series: SeriesSummary[];
  /** The schedule the LR followed, when it could be identified. */
  schedule?: ScheduleFit;
  findings: Finding[];
  errors: ReadError[];
  /** Where the run started again (steps went back), once per place; absent when none. */
  restarts?: RestartReport[];
}

export interface RestartReport {
  step: number;
  line?: number;
  /** Points dropped over all series. */
  dropped: number;
}

/** The run's restarts, merged across series (each series records its own). */
export function restartReports(restarts: readonly Restart[]): RestartReport[] {
  const byPlace = new Map<string, RestartReport>();
  for (const r of restarts) {
    const key = `${r.step}:${r.line ?? ''}`;
    const seen = byPlace.get(key);
    if (seen) seen.dropped += r.dropped;
    else byPlace.set(key, { step: r.step, ...(r.line !== undefined ? { line: r.line } : {}), dropped: r.dropped });
  }
  return [...byPlace.values()];
}

/** A number as a person reads it: integers whole, others to 4 significant digits. */
export function formatNumber(x: number | null): string {
  if (x === null) return '-';
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(4)));
}

const RIGHT = [false, false, true, true, true, true, true];

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  return rows.map((row) => '  ' + row.map((cell, c) => (RIGHT[c] ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
}

/** Where a read error is: `file:line`, `file, byte N`, or the file. */
export function errorPlace(source: string, e: ReadError): string {
  const file = e.file ?? source;
  if (e.line !== undefined) return `${file}:${e.line}`;
  if (e.offset !== undefined) return `${file}, byte ${e.offset}`;
  return file;
}

export function renderText(runs: RunReport[]): string {
  const out: string[] = [];
  for (const r of runs) {
    const base = r.source.split('/').filter(Boolean).pop() ?? r.source;
    const label = r.name.startsWith(base) ? r.name.slice(base.length).trim().replace(/^\((.*)\)$/, '$1') : r.name;
    out.push(`${r.source}${label ? ` [${label}]` : ''}  (${r.format})`);
    if (r.series.length === 0) out.push('  no series');
    else {
      const rows = [['tag', 'role', 'count', 'steps', 'min', 'max', 'non-finite']];
      for (const s of r.series)
        rows.push([s.tag, s.role, String(s.count), `${formatNumber(s.firstStep)}..${formatNumber(s.lastStep)}`, formatNumber(s.min), formatNumber(s.max), String(s.nonFinite)]);
      out.push(...table(rows));
    }
    if (r.schedule) out.push(`  schedule: ${describeSchedule(r.schedule)}`);
    if (r.findings.length === 0) out.push('  no findings');
    for (const f of r.findings) {
      const where = f.line !== undefined ? `${r.source}:${f.line}` : `step ${f.step}`;
      out.push(`  ${f.severity.padEnd(7)} ${f.rule.padEnd(16)} ${where}  ${f.message}`);
      for (const s of f.suggestions) out.push(`  ${' '.repeat(25)}fix: ${describeSuggestion(s)}`);
    }
    for (const x of r.restarts ?? [])
      out.push(`  restart  at step ${formatNumber(x.step)}${x.line !== undefined ? ` (${r.source}:${x.line})` : ''}: ${x.dropped} earlier point${x.dropped === 1 ? '' : 's'} replaced`);
    for (const e of r.errors) out.push(`  read error (${e.kind}) ${errorPlace(r.source, e)}: ${e.message}`);
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
