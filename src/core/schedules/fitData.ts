// An observed LR series prepared for fitting: cleaned, sampled, with a noise model.
//
// Noise model. Logged LRs are exact values of a closed form, damaged only by storage and
// printing: float32 in event files (6e-8 relative), printed precision in text logs
// (`3.00e-04` is good to half a unit of its last digit), or float64 arithmetic when a
// recurrence is replayed (1e-13 after a few hundred thousand steps). So each point gets a
// standard error
//
//     sigma = q + r * |lr| + 1e-12 * peak
//
// where q is half a unit in the last printed digit (see `precisionOf`: 0 for values stored
// rather than printed), r is 1e-6 for values stored as float32 or printed (float32 with
// margin; printing dominates anyway) and 1e-9 for values stored as float64 (a Hugging
// Face trainer_state.json, a CSV of Python floats: far above float64 drift, and tight
// enough to tell a decay over 2 411 050 steps from one over 2 411 000), and the last term
// keeps exact zeros comparable. A fit is "exact" when the curve passes within one sigma
// of (nearly) every point.
//
// Sampling. Fitting evaluates many candidate curves, so searches run on at most ~1000
// points and fits are verified on at most ~4000: all points when there are few, otherwise
// an even spread plus the neighbourhood of every large jump (drops, restarts), which
// carry the information. Everything else here is one O(n) pass.
import type { ScheduleFn } from './types';

/**
 * Printed precision of a series. A value printed with d significant digits is good to
 * half a unit of its last digit; but a value may look short by chance (the LR 5e-5 stored
 * at full precision, or 1e-3 printed as `1.000e-03`). So a series whose distinct values
 * mostly need 10 or more digits is taken as stored, not printed (quantum 0); otherwise
 * the digits of a decade are the most any of its values shows when the decade has at
 * least 3 distinct values (Keras prints `%.4f` above 1e-3 and `%.4e` below: the two
 * regimes differ), else the most any value of the series shows.
 */
export interface Precision {
  /** Half a unit in the last printed digit of a value of this series (0 when stored at full precision). */
  quantum(v: number): number;
  /** Relative error floor: 1e-9 for values stored as float64, 1e-6 otherwise (float32, printed). */
  relative: number;
}

/** Significant digits needed to print `v` exactly, 10 meaning "10 or more" (stored, not printed). */
function digitsOf(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 10;
  for (let d = 1; d <= 9; d++) if (Number(v.toPrecision(d)) === v) return d;
  return 10;
}

const decadeOf = (v: number): number => Number(v.toExponential().split('e')[1]);

/** The precision model of a series, from (a sample of) its values. */
export function precisionOf(values: ArrayLike<number>): Precision {
  const byDecade = new Map<number, { digits: number; count: number }>();
  const all: number[] = [];
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v > 0) || seen.has(v)) continue;
    seen.add(v);
    if (seen.size > 5000) break;
    const d = digitsOf(v);
    all.push(d);
    const e = decadeOf(v);
    const cur = byDecade.get(e) ?? { digits: 0, count: 0 };
    byDecade.set(e, { digits: Math.max(cur.digits, d), count: cur.count + 1 });
  }
  all.sort((a, b) => a - b);
  const stored = all.length > 0 && all[Math.floor(0.5 * (all.length - 1))]! >= 10;
  if (stored) {
    // Stored as float32 (event files) or as float64 (JSON, CSV of Python floats)?
    let f32 = 0;
    for (const v of seen) if (Math.fround(v) === v) f32++;
    return { quantum: () => 0, relative: f32 >= 0.5 * seen.size ? 1e-6 : 1e-9 };
  }
  const seriesDigits = all[all.length - 1] ?? 10;
  // A printed 0 is as coarse as the smallest printed nonzero value (`lr:0.000000` after
  // `lr:0.000001` in a fixed-decimal log).
  let minPositive = Infinity;
  for (const v of seen) minPositive = Math.min(minPositive, v);
  const quantum = (v: number): number => {
    if (v === 0 && Number.isFinite(minPositive)) return quantum(minPositive);
    if (!(v > 0) || !Number.isFinite(v)) return 0;
    const e = decadeOf(v);
    const dec = byDecade.get(e);
    const d = Math.max(digitsOf(v), dec && dec.count >= 3 ? dec.digits : seriesDigits);
    return d >= 10 ? 0 : 0.5 * 10 ** (e - d + 1);
  };
  return { quantum, relative: 1e-6 };
}

/** Points with their standard errors and weights (1 / sigma^2). */
export interface Sample {
  readonly t: Float64Array;
  readonly y: Float64Array;
  readonly sigma: Float64Array;
  readonly w: Float64Array;
}

export interface LrData extends Sample {
  /** All finite, non-negative points, steps strictly increasing (the last of duplicates kept). */
  readonly steps: Float64Array;
  readonly values: Float64Array;
  /** Largest value. */
  readonly peak: number;
  /**
   * A smaller sample (at most SEARCH_SAMPLE points plus jumps) with tempered weights, for
   * parameter searches; `t`, `y`, `sigma`, `w` are the verification sample.
   */
  readonly search: Sample;
  /** Median step between consecutive logged points (the logging interval). */
  readonly interval: number;
  readonly precision: Precision;
  /** Standard error of a value of this series: printed quantum + relative floor + 1e-12 of the peak. */
  noise(v: number): number;
}

/** Points kept for verifying a fit at most (plus jump neighbourhoods). */
export const MAX_SAMPLE = 4000;

/** Points kept for parameter searches at most (plus jump neighbourhoods). */
export const SEARCH_SAMPLE = 1000;

/** Fraction of points allowed outside one sigma for a fit to count as exact. */
export const EXACT_OUTLIER_FRACTION = 0.01;

/** Cleans a series into strictly increasing steps with finite, non-negative values. */
export function cleanSeries(steps: ArrayLike<number>, values: ArrayLike<number>): { steps: Float64Array; values: Float64Array } {
  const n = Math.min(steps.length, values.length);
  const s = new Float64Array(n);
  const v = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const st = steps[i]!;
    const val = values[i]!;
    if (!Number.isFinite(st) || !Number.isFinite(val) || val < 0) continue;
    if (k > 0 && st <= s[k - 1]!) {
      if (st === s[k - 1]!) {
        v[k - 1] = val; // a repeated step: the later value wins
        continue;
      }
      // A step going backwards: readers already resolve restarts; keep the order given.
      continue;
    }
    s[k] = st;
    v[k] = val;
    k++;
  }
  return { steps: s.slice(0, k), values: v.slice(0, k) };
}

/** Indices of intervals (i, i+1) where the LR changes by more than `rel` relative. */
export function bigChanges(values: Float64Array, rel: number, limit = Infinity): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < values.length && out.length < limit; i++) {
    const a = values[i]!;
    const b = values[i + 1]!;
    if (Math.abs(b - a) > rel * Math.max(a, b)) out.push(i);
  }
  return out;
}

/** Prepares a series for fitting; undefined when fewer than 2 usable points remain. */
export function prepareLr(steps: ArrayLike<number>, values: ArrayLike<number>, maxSample = MAX_SAMPLE): LrData | undefined {
  const clean = cleanSeries(steps, values);
  const n = clean.steps.length;
  if (n < 2) return undefined;
  let peak = 0;
  for (let i = 0; i < n; i++) peak = Math.max(peak, clean.values[i]!);
  if (!(peak > 0)) return undefined;

  const jumps = n > SEARCH_SAMPLE ? bigChanges(clean.values, 0.02) : [];
  const idx = sampleIndices(n, maxSample, jumps);
  const precision = precisionOf(idx.map((i) => clean.values[i]!));
  const noise = (v: number): number => precision.quantum(v) + precision.relative * v + 1e-12 * peak;
  const fine = sampleAt(clean.steps, clean.values, idx, noise);
  // Searches see every point with at least 0.1% relative error: with exact weights a
  // printed curve's objective is rugged at the scale of one quantum, and grids and golden
  // sections fall into its pits; tempered, it is smooth, and fits are then polished and
  // judged on the verification sample with the true noise.
  const tempered = (v: number): number => Math.hypot(noise(v), 1e-3 * v);
  const search = sampleAt(clean.steps, clean.values, n > SEARCH_SAMPLE ? sampleIndices(n, SEARCH_SAMPLE, jumps) : idx, tempered);
  const gaps: number[] = [];
  const gstride = Math.max(1, Math.floor(n / 2000));
  for (let i = 0; i + 1 < n; i += gstride) gaps.push(clean.steps[i + 1]! - clean.steps[i]!);
  gaps.sort((a, b) => a - b);
  const interval = gaps[gaps.length >> 1] ?? 1;
  return { steps: clean.steps, values: clean.values, peak, ...fine, search, interval, precision, noise };
}

/** Indices of an even spread of `max` points plus the neighbourhood of every jump and both ends. */
function sampleIndices(n: number, max: number, jumps: number[]): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const keep = new Uint8Array(n);
  const stride = (n - 1) / (max - 1);
  for (let k = 0; k < max; k++) keep[Math.round(k * stride)] = 1;
  const every = Math.max(1, Math.ceil(jumps.length / (max / 2)));
  for (let j = 0; j < jumps.length; j += every) {
    const i = jumps[j]!;
    for (let d = -2; d <= 3; d++) if (i + d >= 0 && i + d < n) keep[i + d] = 1;
  }
  const ends = Math.min(50, max >> 3);
  for (let i = 0; i < Math.min(ends, n); i++) keep[i] = 1;
  for (let i = Math.max(0, n - ends); i < n; i++) keep[i] = 1;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) idx.push(i);
  return idx;
}

function sampleAt(steps: Float64Array, values: Float64Array, idx: number[], noise: (v: number) => number): Sample {
  const m = idx.length;
  const t = new Float64Array(m);
  const y = new Float64Array(m);
  const sigma = new Float64Array(m);
  const w = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const i = idx[k]!;
    const v = values[i]!;
    t[k] = steps[i]!;
    y[k] = v;
    const sg = noise(v);
    sigma[k] = sg;
    w[k] = 1 / (sg * sg);
  }
  return { t, y, sigma, w };
}

/** How well a curve matches the data. */
export interface Assessment {
  /** Within one sigma at all but EXACT_OUTLIER_FRACTION of the sample points. */
  exact: boolean;
  /** Mean of |f - y| / max(|f|, |y|) over all points (0 = exact). */
  fitError: number;
  /** Weighted sum of squared residuals over the sample. */
  objective: number;
  /** Mean squared relative residual over the sample. */
  meanSquaredRel: number;
}

/**
 * Points of a sample of m that may fall outside one sigma in an exact fit: one stray point
 * (an LR logged before the scheduler's first step, say) is forgiven in series of 20
 * points or more, 1% in long ones; short series must match everywhere.
 */
export function allowedOutliers(m: number): number {
  return m >= 20 ? Math.max(1, Math.floor(EXACT_OUTLIER_FRACTION * m)) : 0;
}

/** Relative error of one point, bounded by 1; exact zeros on both sides count as 0. */
export function relError(f: number, y: number, floor: number): number {
  if (!Number.isFinite(f)) return 1;
  const d = Math.abs(f - y);
  return d === 0 ? 0 : Math.min(1, d / Math.max(Math.abs(f), Math.abs(y), floor));
}

/** Scores a curve on the sample (exactness, objective) and on all points (fitError, O(n)). */
export function assess(fn: ScheduleFn, data: LrData, full = true): Assessment {
  const { t, y, sigma, w } = data;
  const floor = 1e-12 * data.peak;
  let outside = 0;
  let objective = 0;
  let rel2 = 0;
  for (let k = 0; k < t.length; k++) {
    const f = fn(t[k]!);
    const r = Number.isFinite(f) ? f - y[k]! : Infinity;
    if (!(Math.abs(r) <= sigma[k]!)) outside++;
    objective += Number.isFinite(r) ? r * r * w[k]! : 1e300;
    const e = relError(f, y[k]!, floor);
    rel2 += e * e;
  }
  const allowed = allowedOutliers(t.length);
  let fitError: number;
  if (full) {
    let sum = 0;
    const { steps, values } = data;
    for (let i = 0; i < steps.length; i++) sum += relError(fn(steps[i]!), values[i]!, floor);
    fitError = sum / steps.length;
  } else {
    let sum = 0;
    for (let k = 0; k < t.length; k++) sum += relError(fn(t[k]!), y[k]!, floor);
    fitError = sum / t.length;
  }
  return { exact: outside <= allowed, fitError, objective, meanSquaredRel: rel2 / t.length };
}
