// What the learning rate did over a run: peak, warmup, restarts, decay events, collapse.
//
// Read straight from the logged LR series (never smoothed: an LR is set, not measured),
// so the detectors can tell a planned decay from a collapse and a cyclic schedule from
// an unstable loss even before (or without) a fitted schedule family.
import type { Series } from '../model/series';
import { median } from './stats';

/**
 * A swing counts as a turn of the LR when it moves by this factor from the last turning
 * point. 1.5× ignores the wiggle of adaptive or noisy LR logs and still catches every
 * cyclic schedule in practice (CyclicLR and warm restarts move by 10×–1000×).
 */
const TURN_FACTOR = 1.5;

export interface LrProfile {
  series: Series;
  firstStep: number;
  lastStep: number;
  initial: number;
  final: number;
  peak: number;
  peakStep: number;
  /** Lowest LR (0 when the schedule starts or ends at zero). */
  min: number;
  /** Max / min ≤ 1.05: the LR never moved. */
  constant: boolean;
  /**
   * A warmup: the LR started at ≤ 50% of the first peak and reached ≥ 95% of it at
   * `endStep`. Absent when the run starts at its peak.
   */
  warmup?: { startLr: number; endStep: number };
  /** The LR rose (by ≥ 1.5×) all the way to its last point: a ramp that never ended. */
  risingAtEnd: boolean;
  /**
   * Rises of ≥ 1.5× after the LR had already come down from a peak: warm restarts,
   * cyclic schedules, or a schedule reset on resume. Each has the step where the rise
   * started, the LR before and the LR it reached.
   */
  restarts: { step: number; from: number; to: number }[];
  /**
   * Steps at which a piecewise-constant LR dropped (StepLR, MultiStepLR, per-epoch
   * exponential decay, ReduceLROnPlateau). Empty when the LR changes at most points
   * (a smooth schedule).
   */
  drops: number[];
  /** Whether the LR changes at only a few points (step-wise), as opposed to smoothly. */
  stepwise: boolean;
}

/**
 * The profile of an LR series (negative and non-finite values skipped), or undefined
 * without a positive value. O(n): one pass for the extremes, one for the turning points
 * and drops, and a scan of the warmup alone.
 */
export function lrProfileOf(series: Series): LrProfile | undefined {
  const { steps, values } = series;
  const n = values.length;
  let first = -1;
  let last = -1;
  let peak = -Infinity;
  let peakStep = NaN;
  let min = Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!(Number.isFinite(v) && v >= 0)) continue;
    if (first < 0) first = i;
    last = i;
    if (v > peak) {
      peak = v;
      peakStep = steps[i]!;
    }
    if (v < min) min = v;
  }
  if (first < 0 || !(peak > 0)) return undefined;
  const initial = values[first]!;
  const final = values[last]!;

  // Turning points with hysteresis (a zig-zag filter on the LR), and the drops of a
  // piecewise-constant schedule, in one pass. A restart is a rise that starts after the
  // LR has already come down from an earlier peak.
  const restarts: LrProfile['restarts'] = [];
  let dir = 0; // +1 rising, -1 falling, 0 not yet known
  let hi = initial;
  let lo = initial;
  let loStep = steps[first]!;
  let peaks = 0;
  let firstPeak = NaN;
  let riseFrom = initial;
  let riseStep = steps[first]!;
  let changes = 0;
  const drops: number[] = [];
  let prev = initial;
  for (let i = first + 1; i <= last; i++) {
    const v = values[i]!;
    if (!(Number.isFinite(v) && v >= 0)) continue;
    const s = steps[i]!;
    if (v !== prev && Math.abs(v - prev) > 1e-6 * prev) {
      changes++;
      if (v < prev * 0.99) drops.push(s);
    }
    prev = v;
    if (dir === 0) {
      if (v > hi) hi = v;
      if (v < lo) {
        lo = v;
        loStep = s;
      }
      if (v * TURN_FACTOR < hi) {
        dir = -1;
        peaks = 1;
        firstPeak = hi;
        lo = v;
        loStep = s;
      } else if (v > lo * TURN_FACTOR) {
        dir = 1;
        riseFrom = lo;
        riseStep = loStep;
        hi = v;
      }
    } else if (dir === 1) {
      if (v > hi) hi = v;
      if (v * TURN_FACTOR < hi) {
        if (peaks > 0) restarts.push({ step: riseStep, from: riseFrom, to: hi });
        else firstPeak = hi;
        peaks++;
        dir = -1;
        lo = v;
        loStep = s;
      }
    } else {
      if (v < lo) {
        lo = v;
        loStep = s;
      }
      if (v > lo * TURN_FACTOR) {
        dir = 1;
        riseFrom = lo;
        riseStep = loStep;
        hi = v;
      }
    }
  }
  // A rise still under way at the end.
  if (dir === 1 && peaks > 0) restarts.push({ step: riseStep, from: riseFrom, to: hi });
  // Still rising at the end: no peak yet, the last value is the highest, and the LR grew
  // over the last 10% of the logged steps (a ramp that reached its plateau has ended).
  const tailStep = steps[last]! - 0.1 * (steps[last]! - steps[first]!);
  let tailLr = initial;
  for (let i = last; i >= first; i--)
    if (steps[i]! <= tailStep && Number.isFinite(values[i]!) && values[i]! >= 0) {
      tailLr = values[i]!;
      break;
    }
  const risingAtEnd = dir === 1 && peaks === 0 && final >= hi / 1.01 && final > tailLr * 1.01;
  if (Number.isNaN(firstPeak)) firstPeak = peak;

  // Warmup: the first rise from the start to (near) the first peak.
  let warmup: LrProfile['warmup'];
  if (initial <= 0.5 * firstPeak) {
    for (let i = first; i <= last; i++)
      if (values[i]! >= 0.95 * firstPeak) {
        warmup = { startLr: initial, endStep: steps[i]! };
        break;
      }
  }

  const points = last - first + 1;
  const stepwise = changes > 0 && changes <= Math.max(2, 0.2 * points);

  return {
    series,
    firstStep: steps[first]!,
    lastStep: steps[last]!,
    initial,
    final,
    peak,
    peakStep,
    min,
    constant: peak <= min * 1.05,
    ...(warmup ? { warmup } : {}),
    risingAtEnd,
    restarts,
    drops: stepwise ? drops : [],
    stepwise,
  };
}

/** The LR in effect at `step` (the last logged value at or before it; the first one before that). */
export function lrAt(p: LrProfile, step: number): number {
  const { steps, values } = p.series;
  let lo = 0;
  let hi = steps.length - 1;
  if (hi < 0) return NaN;
  if (steps[0]! > step) return values[0]!;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (steps[mid]! <= step) lo = mid;
    else hi = mid - 1;
  }
  return values[lo]!;
}

/**
 * The first step after the peak from which the LR stays at or below `fraction × peak`
 * until the end; undefined when it never does.
 */
export function stepStayingBelow(p: LrProfile, fraction: number): number | undefined {
  const { steps, values } = p.series;
  const limit = fraction * p.peak;
  let i = values.length - 1;
  while (i >= 0 && !(values[i]! > limit)) i--;
  // values[i] is the last one above the limit (or i = -1); the next finite point starts the stretch.
  for (let j = i + 1; j < values.length; j++) if (Number.isFinite(values[j]!) && steps[j]! >= p.peakStep) return steps[j]!;
  return undefined;
}

/** Median interval between the drops of a step-wise schedule (NaN with fewer than 2 drops). */
export function dropPeriod(p: LrProfile): number {
  if (p.drops.length < 2) return NaN;
  const gaps: number[] = [];
  for (let i = 1; i < p.drops.length; i++) gaps.push(p.drops[i]! - p.drops[i - 1]!);
  return median(gaps);
}
