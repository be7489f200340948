// Reader for metric tables: Lightning `metrics.csv`, Keras `CSVLogger`, Ultralytics
// `results.csv`, Stable-Baselines3 `progress.csv`, TensorBoard's CSV download
// (`Wall time,Step,Value`), W&B exports, and any CSV/TSV with a header row.
//
// - The x column is the first present of `step`, `_step`, `global_step`,
//   `trainer/global_step`, `time/total_timesteps`, `total_timesteps`, `iteration`,
//   `iter`, `epoch` (case-insensitive); without one, the data row index.
// - Every other column is a series over the rows where its cell holds a number
//   (Lightning writes train rows and validation rows with different columns filled).
//   `nan`, `inf`, `-inf` are values; text cells are skipped.
// - Header names are trimmed (YOLO pads them); a row made only of names is a new header
//   (files concatenated or a logger that rewrote its header).
// - A step lower than the previous one is a restart (Keras `CSVLogger(append=True)`
//   across several `fit()` calls starts again at epoch 0): see RunBuilder.add.
// - Errors: a row with more fields than the header, an x cell that is not a number,
//   a quote never closed (`parse`, with the row's line). The rest is read.
import type { Run } from '../../model/run';
import type { RoleRules } from '../../model/roles';
import { RunBuilder } from '../../model/runBuilder';
import type { RunReader } from '../source';
import { LineSplitter } from '../text/lineSplitter';
import { parseNumber } from '../text/numbers';
import { detectDelimiter, hasOpenQuote, splitRecord } from './csvFields';

const X_COLUMNS = ['step', '_step', 'global_step', 'trainer/global_step', 'time/total_timesteps', 'total_timesteps', 'iteration', 'iter', 'epoch'];
/** A quoted field spanning lines longer than this is given up (bounded memory). */
const MAX_RECORD_CHARS = 1 << 20;

export class CsvReader implements RunReader {
  private readonly splitter = new LineSplitter();
  private readonly run: RunBuilder;
  private delim = 44;
  /** Series tag per column (undefined: the x column, the wall-time column or unnamed). */
  private tags: (string | undefined)[] = [];
  private width = 0;
  private xCol = -1;
  private wallCol = -1;
  private header = false;
  private rows = 0;
  private lastX = NaN;
  private pending = '';
  private pendingLine = 0;
  private readonly fields: string[] = [];

  constructor(
    source: string,
    private readonly name: string,
    roleRules?: RoleRules,
  ) {
    this.run = new RunBuilder(source, 'csv', name, roleRules);
  }

  get consumed(): number {
    return this.splitter.consumed;
  }

  push(chunk: Uint8Array): void {
    this.splitter.push(chunk, this.onLine);
  }

  end(): void {
    this.splitter.end(this.onLine);
    if (this.pending) {
      this.run.error({ kind: 'parse', line: this.pendingLine, message: 'a quoted field is never closed' });
      this.pending = '';
    }
  }

  snapshot(): Run {
    return this.run.build();
  }

  private readonly onLine = (text: string, start: number, end: number, no: number): void => {
    let line = text.slice(start, end);
    let lineNo = no;
    if (this.pending) {
      line = `${this.pending}\n${line}`;
      lineNo = this.pendingLine;
      this.pending = '';
    }
    if (line.indexOf('"') >= 0 && hasOpenQuote(line)) {
      if (line.length > MAX_RECORD_CHARS) {
        this.run.error({ kind: 'parse', line: lineNo, message: 'a quoted field runs past 1 MB; skipped' });
        return;
      }
      this.pending = line;
      this.pendingLine = lineNo;
      return;
    }
    this.record(line, lineNo);
  };

  private record(line: string, no: number): void {
    if (!this.header) {
      if (line.trim() === '') return;
      this.delim = detectDelimiter(line);
      splitRecord(line, this.delim, this.fields);
      this.setHeader(this.fields);
      return;
    }
    if (line.length === 0 || (line.trim() === '' && this.width > 1)) return;
    const cells = this.fields;
    splitRecord(line, this.delim, cells);
    if (cells.length > 1 && cells.every((c) => c.trim() === '' || parseNumber(c) === undefined) && cells.some((c) => c.trim() !== '')) {
      // Only names: a new header.
      this.setHeader(cells);
      return;
    }
    if (cells.length > this.width && cells.slice(this.width).some((c) => c.trim() !== ''))
      this.run.error({ kind: 'parse', line: no, message: `${cells.length} fields where the header has ${this.width}; the extra ones are ignored` });
    let x: number;
    if (this.xCol >= 0) {
      const cell = cells[this.xCol]?.trim() ?? '';
      const v = cell === '' ? undefined : parseNumber(cell);
      if (v === undefined || !Number.isFinite(v)) {
        if (cell !== '') this.run.error({ kind: 'parse', line: no, message: `step "${cell.slice(0, 40)}" is not a number; row skipped` });
        if (this.lastX !== this.lastX) return;
        x = this.lastX;
      } else x = v;
    } else x = this.rows;
    this.rows++;
    this.lastX = x;
    let wall: number | undefined;
    if (this.wallCol >= 0) {
      const w = parseNumber(cells[this.wallCol] ?? '');
      if (w !== undefined && Number.isFinite(w)) wall = w;
    }
    const n = Math.min(cells.length, this.width);
    for (let c = 0; c < n; c++) {
      const tag = this.tags[c];
      if (tag === undefined) continue;
      const cell = cells[c]!;
      if (cell.length === 0) continue;
      const v = parseNumber(cell);
      if (v === undefined) continue;
      this.run.set(tag, x, v, wall === undefined ? { line: no } : { line: no, wallTime: wall });
    }
  }

  private setHeader(cells: string[]): void {
    const names = cells.map((c, i) => (i === 0 ? c.replace(/^\ufeff/, '') : c).trim());
    if (names.every((n) => n === '')) return;
    this.header = true;
    this.width = names.length;
    const lower = names.map((n) => n.toLowerCase());
    // TensorBoard's "Download CSV": one scalar tag per file, named by the file.
    const tb = lower.length === 3 && lower[0] === 'wall time' && lower[1] === 'step' && lower[2] === 'value';
    this.xCol = -1;
    for (const x of X_COLUMNS) {
      const i = lower.indexOf(x);
      if (i >= 0) {
        this.xCol = i;
        break;
      }
    }
    this.wallCol = tb ? 0 : -1;
    this.tags = names.map((n, i) => (i === this.xCol || i === this.wallCol || n === '' ? undefined : tb ? tagFromExportName(this.name) : n));
    this.run.meta.family ??= familyOf(lower, tb);
  }
}

/** `run-exp1-tag-train_loss.csv` → `train_loss`; other names lose their extension. */
function tagFromExportName(name: string): string {
  const base = name.replace(/\.(csv|tsv)$/i, '');
  const i = base.indexOf('-tag-');
  return i >= 0 ? base.slice(i + 5) : base;
}

function familyOf(cols: string[], tb: boolean): string | undefined {
  if (tb) return 'tensorboard-csv';
  if (cols.includes('time/total_timesteps')) return 'stable-baselines3';
  if (cols.some((c) => c.startsWith('train/box_loss') || c.startsWith('metrics/map'))) return 'ultralytics';
  if (cols.includes('step') && cols.includes('epoch')) return 'lightning';
  if (cols[0] === 'epoch' && cols.includes('loss')) return 'keras';
  if (cols.includes('_step')) return 'wandb';
  return undefined;
}
