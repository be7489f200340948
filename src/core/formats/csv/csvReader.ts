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
import type { SeriesBuilder } from '../../model/series';
import type { RunReader } from '../source';
import { LineRunReader } from '../text/lineSplitter';
import { parseNumber, parseNumberIn } from '../text/numbers';
import { detectDelimiter, hasOpenQuote, splitRecord } from './csvFields';

const X_COLUMNS = ['step', '_step', 'global_step', 'trainer/global_step', 'time/total_timesteps', 'total_timesteps', 'iteration', 'iter', 'epoch'];
/** Columns beyond this many are ignored. */
const MAX_COLUMNS = 4096;
const EMPTY = 0;
const NUMBER = 1;
const TEXT = 2;

function isBlankIn(s: string, a: number, b: number): boolean {
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

const isBlank = (s: string): boolean => isBlankIn(s, 0, s.length);

/** A quoted field spanning lines longer than this is given up (bounded memory). */
const MAX_RECORD_CHARS = 1 << 20;

export class CsvReader extends LineRunReader implements RunReader {
  private readonly run: RunBuilder;
  private delim = 44;
  private delimChar = ',';
  /** Series tag per column (undefined: the x column, the wall-time column or unnamed). */
  private tags: (string | undefined)[] = [];
  private builders: (SeriesBuilder | undefined)[] = [];
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
    super();
    this.run = new RunBuilder(source, 'csv', name, roleRules);
  }

  protected override onEnd(): void {
    if (this.pending) {
      this.run.error({ kind: 'parse', line: this.pendingLine, message: 'a quoted field is never closed' });
      this.pending = '';
    }
  }

  snapshot(): Run {
    return this.run.build();
  }

  protected line(text: string, start: number, end: number, no: number): void {
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
  }

  private record(line: string, no: number): void {
    if (!this.header) {
      if (isBlank(line)) return;
      this.delim = detectDelimiter(line);
      this.delimChar = String.fromCharCode(this.delim);
      splitRecord(line, this.delim, this.fields);
      this.setHeader(this.fields);
      return;
    }
    if (line.length === 0 || (this.width > 1 && isBlank(line))) return;
    // Each cell once: a number, empty, or text. Quoted lines are split properly; the
    // rest (nearly every metrics table) is read in place without making cell strings.
    const n = this.cellValues(line);
    if (n < 0) {
      // Only names: a new header.
      this.setHeader(this.fields);
      return;
    }
    if (n > this.width) {
      for (let c = this.width; c < n; c++)
        if (this.kinds[c] !== EMPTY) {
          this.run.error({ kind: 'parse', line: no, message: `${n} fields where the header has ${this.width}; the extra ones are ignored` });
          break;
        }
    }
    let x: number;
    if (this.xCol >= 0) {
      const k = this.xCol < n ? this.kinds[this.xCol]! : EMPTY;
      const v = this.nums[this.xCol]!;
      if (k !== NUMBER || !Number.isFinite(v)) {
        if (k !== EMPTY) this.run.error({ kind: 'parse', line: no, message: `step "${this.cellText(line, this.xCol).slice(0, 40)}" is not a number; row skipped` });
        if (this.lastX !== this.lastX) return;
        x = this.lastX;
      } else x = v;
    } else x = this.rows;
    this.rows++;
    this.lastX = x;
    let wall = NaN;
    if (this.wallCol >= 0 && this.wallCol < n && this.kinds[this.wallCol] === NUMBER) wall = this.nums[this.wallCol]!;
    const m = Math.min(n, this.width);
    for (let c = 0; c < m; c++) {
      if (this.kinds[c] !== NUMBER) continue;
      const b = this.builders[c];
      if (b === undefined) continue;
      const v = this.nums[c]!;
      if (x < b.lastStep) this.run.restartAt(x, no);
      if (wall === wall) b.set(x, v, { line: no, wallTime: wall });
      else b.setLine(x, v, no);
    }
  }

  private readonly nums = new Float64Array(MAX_COLUMNS);
  private readonly kinds = new Uint8Array(MAX_COLUMNS);
  private readonly starts = new Int32Array(MAX_COLUMNS);
  private readonly ends = new Int32Array(MAX_COLUMNS);
  private quoted = false;

  /**
   * Reads the cells of a data row into `nums`/`kinds`; returns their count, or -1 when
   * the row holds only names (a header).
   */
  private cellValues(line: string): number {
    let n = 0;
    let numbers = 0;
    let texts = 0;
    this.quoted = line.indexOf('"') >= 0;
    if (this.quoted) {
      splitRecord(line, this.delim, this.fields);
      for (const cell of this.fields) {
        if (n >= MAX_COLUMNS) break;
        const v = cell.length === 0 ? undefined : parseNumber(cell);
        this.kinds[n] = v !== undefined ? NUMBER : cell.trim() === '' ? EMPTY : TEXT;
        this.nums[n++] = v ?? NaN;
      }
    } else {
      let a = 0;
      for (;;) {
        let b = line.indexOf(this.delimChar, a);
        const last = b < 0;
        if (last) b = line.length;
        if (n < MAX_COLUMNS) {
          this.starts[n] = a;
          this.ends[n] = b;
          const v = b > a ? parseNumberIn(line, a, b) : undefined;
          this.kinds[n] = v !== undefined ? NUMBER : isBlankIn(line, a, b) ? EMPTY : TEXT;
          this.nums[n++] = v ?? NaN;
        }
        if (last) break;
        a = b + 1;
      }
    }
    for (let c = 0; c < n; c++) {
      if (this.kinds[c] === NUMBER) numbers++;
      else if (this.kinds[c] === TEXT) texts++;
    }
    if (n > 1 && numbers === 0 && texts > 0) {
      if (!this.quoted) splitRecord(line, this.delim, this.fields);
      return -1;
    }
    return n;
  }

  private cellText(line: string, c: number): string {
    return this.quoted ? (this.fields[c] ?? '').trim() : line.slice(this.starts[c], this.ends[c]).trim();
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
    this.builders = this.tags.map((t) => (t === undefined ? undefined : this.run.builder(t)));
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
