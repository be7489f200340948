// Series: one scalar tag as parallel typed arrays, and the growable builder readers fill.
import type { Restart } from './run';
import type { SeriesRole } from './roles';

/**
 * One scalar tag. Arrays are parallel and sorted by step (non-decreasing).
 * NaN and ±Inf are values, never parse errors.
 */
export interface Series {
  readonly tag: string;
  readonly role: SeriesRole;
  readonly steps: Float64Array;
  readonly values: Float64Array;
  /** Seconds since the Unix epoch, when the source records it. */
  readonly wallTimes?: Float64Array;
  /** Text formats: the 1-based line each point came from. */
  readonly lines?: Int32Array;
}

export interface PointExtras {
  wallTime?: number;
  line?: number;
}

/**
 * Accumulates points for one tag in amortised O(1) per point. A step lower than the
 * last one (a resumed run) drops every earlier point at or after that step, as
 * TensorBoard does, and records a {@link Restart}.
 */
export class SeriesBuilder {
  private n = 0;
  private steps: Float64Array = new Float64Array(64);
  private values: Float64Array = new Float64Array(64);
  private wall: Float64Array | undefined;
  private lines: Int32Array | undefined;
  readonly restarts: Restart[] = [];

  constructor(
    readonly tag: string,
    public role: SeriesRole,
  ) {}

  get length(): number {
    return this.n;
  }

  get lastStep(): number {
    return this.n ? this.steps[this.n - 1]! : -Infinity;
  }

  push(step: number, value: number, extras?: PointExtras): void {
    if (this.n > 0 && step < this.steps[this.n - 1]!) this.rewind(step, extras?.line);
    if (this.n === this.steps.length) this.grow();
    const i = this.n++;
    this.steps[i] = step;
    this.values[i] = value;
    if (extras?.wallTime !== undefined) {
      this.wall ??= new Float64Array(this.steps.length).fill(NaN);
      this.wall[i] = extras.wallTime;
    } else if (this.wall) this.wall[i] = NaN;
    if (extras?.line !== undefined) {
      this.lines ??= new Int32Array(this.steps.length);
      this.lines[i] = extras.line;
    } else if (this.lines) this.lines[i] = 0;
  }

  /**
   * Appends the points at indices [from, to) of parallel arrays, exactly as that many
   * `push` calls would. Points in non-decreasing step order, none below the last step,
   * are copied in bulk; otherwise they go one by one (so a resumed run is purged and
   * recorded the same way).
   */
  pushMany(steps: Float64Array, values: Float64Array, wallTimes: Float64Array | undefined, from: number, to: number): void {
    if (to <= from) return;
    let sorted = this.n === 0 || steps[from]! >= this.steps[this.n - 1]!;
    for (let i = from + 1; sorted && i < to; i++) sorted = steps[i]! >= steps[i - 1]!;
    if (!sorted) {
      for (let i = from; i < to; i++) this.push(steps[i]!, values[i]!, wallTimes ? { wallTime: wallTimes[i]! } : undefined);
      return;
    }
    const n = this.n;
    const end = n + to - from;
    while (end > this.steps.length) this.grow();
    this.steps.set(steps.subarray(from, to), n);
    this.values.set(values.subarray(from, to), n);
    if (wallTimes) {
      this.wall ??= new Float64Array(this.steps.length).fill(NaN);
      this.wall.set(wallTimes.subarray(from, to), n);
    } else this.wall?.fill(NaN, n, end);
    this.lines?.fill(0, n, end);
    this.n = end;
  }

  /**
   * Like `push`, but a point at the same step as the last one replaces it: the final
   * value per step wins (a progress bar redrawn at one step, a re-logged step).
   */
  set(step: number, value: number, extras?: PointExtras): void {
    const i = this.n - 1;
    if (i >= 0 && this.steps[i] === step) {
      this.values[i] = value;
      if (this.wall) this.wall[i] = extras?.wallTime ?? NaN;
      if (this.lines) this.lines[i] = extras?.line ?? 0;
      else if (extras?.line !== undefined) {
        this.lines = new Int32Array(this.steps.length);
        this.lines[i] = extras.line;
      }
      return;
    }
    this.push(step, value, extras);
  }

  /**
   * `set` for text readers, without an extras object per point: the final value per
   * step wins and the point keeps its source line. The caller has ordered the steps
   * (a lower step than the last is handled like `push`).
   */
  setLine(step: number, value: number, line: number): void {
    let i = this.n - 1;
    if (i < 0 || this.steps[i] !== step) {
      if (i >= 0 && step < this.steps[i]!) this.rewind(step, line);
      if (this.n === this.steps.length) this.grow();
      i = this.n++;
      this.steps[i] = step;
      if (this.wall) this.wall[i] = NaN;
    }
    this.values[i] = value;
    this.lines ??= new Int32Array(this.steps.length);
    this.lines[i] = line;
  }

  /** A copy of the points so far; later pushes never change it. */
  build(): Series {
    const n = this.n;
    return {
      tag: this.tag,
      role: this.role,
      steps: this.steps.slice(0, n),
      values: this.values.slice(0, n),
      ...(this.wall ? { wallTimes: this.wall.slice(0, n) } : {}),
      ...(this.lines ? { lines: this.lines.slice(0, n) } : {}),
    };
  }

  /**
   * Drops every point at or after `step` (another series of the run restarted there)
   * and records a {@link Restart} when any were dropped.
   */
  dropFrom(step: number, line?: number): void {
    if (this.n > 0 && this.steps[this.n - 1]! >= step) this.rewind(step, line);
  }

  private rewind(step: number, line: number | undefined): void {
    // First index whose step is >= `step` (steps are sorted).
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.steps[mid]! < step) lo = mid + 1;
      else hi = mid;
    }
    if (this.n - lo > 0) this.restarts.push({ tag: this.tag, step, dropped: this.n - lo, ...(line !== undefined ? { line } : {}) });
    this.n = lo;
  }

  private grow(): void {
    const cap = this.steps.length * 2;
    const grow64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.steps = grow64(this.steps);
    this.values = grow64(this.values);
    if (this.wall) this.wall = grow64(this.wall);
    if (this.lines) {
      const b = new Int32Array(cap);
      b.set(this.lines);
      this.lines = b;
    }
  }
}
