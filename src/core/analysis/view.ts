// A series prepared for the detectors: log scale where possible, binned along the run.
//
// Detectors compare a curve with itself (its start, its best, its end, its own noise), so
// every figure they use must mean the same whether the run logged every step, every 25
// steps, interval means or one value per epoch. The view gives them that common ground:
//
// - Values are on a log scale when every finite value is positive (losses almost always
//   are): ratios like "2× its best" become differences, and the figures do not depend on
//   the loss's units. Otherwise (negative losses, rewards) the scale is linear.
// - The run's step range is cut into at most `MAX_BINS` equal bins; each bin's level is
//   the median of its points, so one spike does not move it and a per-step log and a
//   log of 10-step means give nearly the same bin levels.
// - `levelNoise` is the noise of those bin levels (from second differences, so the
//   trend cancels); `pointNoise` is the spread of single points around their bin level.
import type { Series } from '../model/series';
import { MAD_TO_SIGMA, median, noiseSigma, quantileInPlace } from './stats';

/**
 * At most this many bins per series. 40 bins resolve features that last 2.5% of the run
 * and still average ~25 points per bin on a 1000-step per-step log; coarse logs (20
 * epoch means) simply get one point per bin.
 */
export const MAX_BINS = 40;

export interface Bin {
  /** A logged step in the middle of the bin (the step of its middle point). */
  step: number;
  /** Median of the (transformed) values in the bin. */
  level: number;
  /** Largest (transformed) value in the bin. */
  max: number;
  /** Finite points in the bin. */
  n: number;
  /** Index range of the bin's points in the series: [first, last]. */
  first: number;
  last: number;
}

export interface SeriesView {
  series: Series;
  /** Values are natural logs of the series' values. */
  log: boolean;
  /** Finite points. */
  finite: number;
  /** Non-finite points. */
  nonFinite: number;
  firstStep: number;
  lastStep: number;
  bins: Bin[];
  /** Transformed first finite value. */
  initial: number;
  /** Index of the first finite value. */
  initialIndex: number;
  /** Lowest bin level and its bin. */
  best: number;
  bestBin: number;
  /**
   * The best level the series held for more than one bin, and its bin: the lowest bin
   * level that a neighbouring bin comes at least as close to (for each bin, the larger
   * of its level and its lower neighbour's), unless a single bin dips ≥ 6 level-noise
   * sigmas below both neighbours (on a coarse log, one point can be a real dip). One
   * lucky bin of a noisy curve does not count. Equals `best` with fewer than 3 bins.
   */
  bestSmooth: number;
  bestSmoothBin: number;
  /** Level of the end of the run: median of the points in its last 10% of steps (≥ 3 points). */
  final: number;
  /** Noise sigma of bin levels (second differences, MAD-based); 0 when too few bins. */
  levelNoise: number;
  /** Robust sigma of single points around their bin level; NaN with one point per bin. */
  pointNoise: number;
  /**
   * The printing resolution of the values: the smallest gap between distinct values
   * (e.g. 1e-4 for losses rounded to 4 decimals), 0 when the values look continuous.
   * Near a loss of 1e-4 such a log shows only 1e-4, 2e-4, 3e-4: steps of 2× that are
   * rounding, not swings or spikes.
   */
  quantum: number;
  /** The transformed value of point i (NaN for a non-finite value). */
  y(i: number): number;
  /** Back from the transformed scale to the series' units. */
  value(level: number): number;
}

/**
 * Medians of bins, of the run's tail and of the point spread are taken over at most this
 * many evenly spaced points each: exact for every bin of a run up to ~40k points, and
 * within a hair of exact beyond (the median of an even subsample of thousands of points
 * is as robust as the full one), which keeps the view O(n) with a tiny constant.
 */
const MEDIAN_SAMPLE = 1024;
/** Points sampled for the spread of single points around their bin level. */
const SPREAD_SAMPLE = 100_000;

/**
 * Builds the view of a series. O(n) with a small constant: one pass over the values
 * (finite count, sign, per-bin count and maximum) plus medians over bounded samples. No
 * per-point logarithm is taken: the log of a median is the median of the logs, so levels
 * are medians of raw values, logged once.
 */
export function viewOf(series: Series, maxBins = MAX_BINS): SeriesView {
  const { steps, values } = series;
  const n = values.length;
  let finite = 0;
  let positive = true;
  let initialIndex = -1;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    finite++;
    if (initialIndex < 0) initialIndex = i;
    if (v <= 0) positive = false;
  }
  const log = positive && finite > 0;
  const y = log
    ? (i: number): number => {
        const v = values[i]!;
        return Number.isFinite(v) ? Math.log(v) : NaN;
      }
    : (i: number): number => {
        const v = values[i]!;
        return Number.isFinite(v) ? v : NaN;
      };
  const toLevel = log ? (v: number): number => Math.log(v) : (v: number): number => v;
  const value = log ? (l: number): number => Math.exp(l) : (l: number): number => l;
  const firstStep = n ? steps[0]! : NaN;
  const lastStep = n ? steps[n - 1]! : NaN;

  const bins = makeBins(steps, values, Math.min(maxBins, finite), toLevel);
  let best = Infinity;
  let bestBin = -1;
  for (let b = 0; b < bins.length; b++)
    if (bins[b]!.level < best) {
      best = bins[b]!.level;
      bestBin = b;
    }

  // The end of the run: its last 10% of steps, widened to at least 3 finite points.
  const tailFrom = lastStep - 0.1 * (lastStep - firstStep);
  let tailStart = n;
  let inTail = 0;
  while (tailStart > 0 && (steps[tailStart - 1]! >= tailFrom || inTail < 3)) {
    tailStart--;
    if (Number.isFinite(values[tailStart]!)) inTail++;
  }
  const final = toLevel(sampledMedian(values, tailStart, n));

  const levels = bins.map((b) => b.level);
  const levelNoise = bins.length >= 5 ? noiseSigma(levels) : 0;

  let bestSmooth = best;
  let bestSmoothBin = bestBin;
  if (bins.length >= 3) {
    bestSmooth = Infinity;
    for (let b = 0; b < bins.length; b++) {
      const a = b > 0 ? bins[b - 1]!.level : Infinity;
      const c = b + 1 < bins.length ? bins[b + 1]!.level : Infinity;
      const level = bins[b]!.level;
      const neighbour = Math.min(a, c);
      // A single-bin dip counts only when it is far (6 sigmas) beyond the level noise.
      const m = neighbour - level >= 6 * levelNoise ? level : Math.max(level, neighbour);
      if (m < bestSmooth) {
        bestSmooth = m;
        bestSmoothBin = b;
      }
    }
  }

  // Spread of points around their bin level, only where bins hold several points.
  let pointNoise = NaN;
  const dense = bins.filter((b) => b.n >= 3);
  if (dense.length > 0) {
    const total = dense.reduce((k, b) => k + (b.last - b.first + 1), 0);
    const stride = Math.max(1, Math.floor(total / SPREAD_SAMPLE));
    const dev: number[] = [];
    for (const b of dense)
      for (let i = b.first; i <= b.last; i += stride) {
        const yi = y(i);
        if (!Number.isNaN(yi)) dev.push(Math.abs(yi - b.level));
      }
    pointNoise = MAD_TO_SIGMA * median(dev);
  }

  return {
    series,
    quantum: quantumOf(values),
    log,
    finite,
    nonFinite: n - finite,
    firstStep,
    lastStep,
    bins,
    initial: initialIndex >= 0 ? y(initialIndex) : NaN,
    initialIndex,
    best: bestBin >= 0 ? best : NaN,
    bestBin,
    bestSmooth: bestBin >= 0 ? bestSmooth : NaN,
    bestSmoothBin,
    final,
    levelNoise,
    pointNoise,
    y,
    value,
  };
}

/** Median of the finite values of a[from..to), over at most MEDIAN_SAMPLE evenly spaced points. */
export function sampledMedian(a: ArrayLike<number>, from: number, to: number): number {
  const stride = Math.max(1, Math.ceil((to - from) / MEDIAN_SAMPLE));
  const buf = new Float64Array(Math.ceil((to - from) / stride));
  let k = 0;
  for (let i = from; i < to; i += stride) {
    const v = a[i]!;
    if (Number.isFinite(v)) buf[k++] = v;
  }
  return quantileInPlace(buf.subarray(0, k), 0.5);
}

/**
 * Cuts [first step, last step] into `count` equal step ranges (found by binary search,
 * the steps being sorted) and describes each non-empty one: its median level, its
 * largest value, its finite point count, its middle step.
 */
function makeBins(steps: Float64Array, values: Float64Array, count: number, toLevel: (v: number) => number): Bin[] {
  const n = values.length;
  if (count <= 0 || n === 0) return [];
  const s0 = steps[0]!;
  const span = steps[n - 1]! - s0;
  const bins: Bin[] = [];
  let first = 0;
  for (let b = 0; b < count && first < n; b++) {
    let end: number;
    if (b === count - 1 || span === 0) end = n;
    else {
      const limit = s0 + ((b + 1) * span) / count;
      let lo = first;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (steps[mid]! < limit) lo = mid + 1;
        else hi = mid;
      }
      end = lo;
    }
    if (end <= first) continue;
    let k = 0;
    let max = -Infinity;
    for (let i = first; i < end; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) continue;
      k++;
      if (v > max) max = v;
    }
    if (k > 0) bins.push({ step: steps[(first + end - 1) >> 1]!, level: toLevel(sampledMedian(values, first, end)), max: toLevel(max), n: k, first, last: end - 1 });
    first = end;
  }
  return bins;
}

/** Values sampled to find the printing resolution (bounded work on huge series). */
const QUANTUM_SAMPLE = 20_000;

/**
 * The printing resolution of a series, from an evenly spaced sample: the smallest gap
 * between distinct values, when it is larger than 1e-5 of the values (float32 and better
 * have far finer gaps) and ≥ 90% of all gaps (≥ 5) are whole multiples of it, which is
 * what rounding to a fixed number of decimals produces. Else 0.
 */
function quantumOf(values: Float64Array): number {
  const n = values.length;
  const stride = Math.max(1, Math.floor(n / QUANTUM_SAMPLE));
  const sample: number[] = [];
  for (let i = 0; i < n; i += stride) if (Number.isFinite(values[i]!)) sample.push(values[i]!);
  if (sample.length < 3) return 0;
  sample.sort((a, b) => a - b);
  let gap = Infinity;
  let scale = 0;
  for (let i = 1; i < sample.length; i++) {
    const d = sample[i]! - sample[i - 1]!;
    if (d > 0 && d < gap) gap = d;
    scale = Math.max(scale, Math.abs(sample[i]!));
  }
  if (!(Number.isFinite(gap) && gap > 1e-5 * scale)) return 0;
  // A printing resolution makes every gap a whole multiple of it; sparse continuous
  // values only have large gaps by chance, and those are not multiples.
  let gaps = 0;
  let multiples = 0;
  for (let i = 1; i < sample.length; i++) {
    const d = sample[i]! - sample[i - 1]!;
    if (d <= 0) continue;
    gaps++;
    const k = d / gap;
    if (Math.abs(k - Math.round(k)) <= 0.05) multiples++;
  }
  return gaps >= 5 && multiples >= 0.9 * gaps ? gap : 0;
}

/** The smallest log-ratio a view can resolve at `level` (its own scale): one printing quantum. */
export function resolution(view: SeriesView, level: number): number {
  if (view.quantum <= 0) return 0;
  if (!view.log) return view.quantum;
  const v = Math.exp(level);
  return Math.log((v + view.quantum) / v);
}

/** The bin whose step range contains `step` (the last bin at or before it). */
export function binAt(view: SeriesView, step: number): number {
  const { bins } = view;
  let b = 0;
  while (b + 1 < bins.length && view.series.steps[bins[b + 1]!.first]! <= step) b++;
  return b;
}

/** Fraction of the run's step range that `step` lies at (0 = first step, 1 = last). */
export function fractionOf(view: { firstStep: number; lastStep: number }, step: number): number {
  const span = view.lastStep - view.firstStep;
  return span > 0 ? (step - view.firstStep) / span : 1;
}
