// Fitting staircases: StepLR, MultiStepLR, ReduceLROnPlateau, ExponentialLR stepped per
// epoch, Keras PiecewiseConstantDecay / optax piecewise_constant_schedule.
//
// One O(n) pass groups the points after the warmup into plateaus of equal values
// (1e-9 relative: a staircase repeats the very same float). The series is a staircase
// when it has at least two plateaus, every change between them is a real drop (more
// than 1% and more than 5 sigma: the one-digit flickers of a printed smooth decay are
// not) and the plateaus average two points or more (sparse logs of smooth curves have
// all-distinct points and are left to the smooth fitters).
//
// A drop logged between steps a and b happened at some step in (a, b]. Then:
//
// - StepLR: drop k at W + k * P for every k, and no drop missing before the last step.
//   The feasible P form an interval (the intersection of ((a_k - W) / k, (b_k - W) / k]);
//   a multiple of the epoch length is preferred, then the roundest integer. When P is
//   the epoch length this is ExponentialLR stepped once per epoch (family `exponential`,
//   variant `staircase`).
// - Equal ratios at irregular drops: MultiStepLR or ReduceLROnPlateau. The LR alone cannot
//   tell them apart; a heuristic decides, documented at `looksScheduled`.
// - Unequal ratios: a piecewise-constant schedule (family `multistep` with `levels`).
import type { RunMeta } from '../model/run';
import type { LrData } from './fitData';
import type { Candidate, WarmupRange } from './fitWarmupDecay';
import type { ScheduleSpec } from './families';

interface Plateau {
  first: number;
  last: number;
  value: number;
}

/** Plateaus of (nearly) identical values among points with index >= i0; undefined past `limit` plateaus. */
function plateaus(values: Float64Array, i0: number, limit: number): Plateau[] | undefined {
  const out: Plateau[] = [];
  let start = i0;
  for (let i = i0 + 1; i <= values.length; i++) {
    const same = i < values.length && Math.abs(values[i]! - values[start]!) <= 1e-9 * Math.max(values[i]!, values[start]!);
    if (!same) {
      if (out.length >= limit) return undefined;
      out.push({ first: start, last: i - 1, value: values[start]! });
      start = i;
    }
  }
  return out;
}

/** The number of trailing zeros of a positive integer in base 10 (roundness). */
function roundness(x: number): number {
  let k = 0;
  while (x > 0 && x % 10 === 0 && k < 12) {
    x /= 10;
    k++;
  }
  return k;
}

/** The preferred integer in (lo, hi]: a multiple of `unit` when one fits, else the roundest, else the smallest. */
function pickInteger(lo: number, hi: number, unit: number | undefined): number {
  const a = Math.floor(lo) + 1;
  const b = Math.floor(hi);
  if (b < a) return Math.round(hi);
  if (unit && unit > 1) {
    const m = Math.ceil(a / unit) * unit;
    if (m <= b) return m;
  }
  let best = a;
  if (b - a <= 10_000) for (let x = a; x <= b; x++) if (roundness(x) > roundness(best)) best = x;
  return best;
}

/**
 * MultiStepLR or ReduceLROnPlateau? ReduceLROnPlateau acts at epoch (or evaluation) ends
 * on whatever epoch the metric stalls; MultiStepLR milestones are chosen by people, who
 * pick round numbers. So drops all at round positions count as scheduled (MultiStepLR):
 * multiples of 5 epochs when the epoch length is known and the drops are on epoch
 * boundaries, otherwise multiples of 5 * 10^(digits of the span - 3) steps, at least 5
 * (5 for a 50-step span, 50 for 1200, 500 for 10 000). Drops inside an epoch cannot be
 * ReduceLROnPlateau stepped per epoch, so they count as scheduled too.
 */
function looksScheduled(milestones: number[], w: number, last: number, spe: number | undefined): boolean {
  if (spe && spe > 1) {
    const aligned = milestones.every((m) => (m - w) % spe === 0);
    if (!aligned) return true;
    return milestones.every((m) => ((m - w) / spe) % 5 === 0);
  }
  const span = Math.max(1, last - w);
  const unit = Math.max(5, 5 * 10 ** (Math.floor(Math.log10(span)) - 2));
  return milestones.every((m) => (m - w) % unit === 0);
}

/** Staircase candidates, or none when the series is not piecewise constant. */
export function fitPiecewise(data: LrData, warm: WarmupRange | undefined, meta: RunMeta | undefined): Candidate[] {
  const { steps, values } = data;
  const spe = meta?.stepsPerEpoch;
  let w = 0;
  let i0 = 0;
  if (warm) {
    w = warm.guess;
    while (i0 < steps.length && steps[i0]! < w) i0++;
  }
  const n = steps.length - i0;
  const plats = plateaus(values, i0, n / 2);
  if (!plats || plats.length < 2) return [];
  for (let k = 1; k < plats.length; k++) {
    const a = plats[k - 1]!.value;
    const b = plats[k]!.value;
    if (!(b < a)) return [];
    const big = a - b > 0.01 * a && a - b > 5 * (data.noise(a) + data.noise(b));
    if (!big) return [];
  }
  const levels = plats.map((p) => p.value);
  const drops = plats.slice(1).map((p, k) => ({ a: steps[plats[k]!.last]!, b: steps[p.first]! }));
  const last = steps[steps.length - 1]!;
  const ratios = levels.slice(1).map((l, k) => l / levels[k]!);
  const sortedRatios = [...ratios].sort((x, y) => x - y);
  const median = sortedRatios[sortedRatios.length >> 1]!;
  const relTol = (k: number): number => 2 * (data.noise(levels[k]!) / levels[k]! + data.noise(levels[k + 1]!) / levels[k + 1]!) + 1e-9;
  const equal = ratios.map((r, k) => Math.abs(r / median - 1) <= relTol(k));
  // ReduceLROnPlateau (and optax's end_value) may clip the last drop at a floor.
  const floored = equal.length >= 3 && equal.slice(0, -1).every(Boolean) && !equal[equal.length - 1] && ratios[ratios.length - 1]! > median;
  const constantRatio = equal.every(Boolean) || floored;

  const warmParams = (lvl0: number): Record<string, number> => {
    if (!(w > 0)) return { warmupSteps: 0 };
    // Least-squares start of the ramp that ends at the first level at W.
    let num = 0;
    let den = 0;
    for (let i = 0; i < i0; i++) {
      const x = 1 - steps[i]! / w;
      num += x * (values[i]! - (lvl0 * steps[i]!) / w);
      den += x * x;
    }
    return { warmupSteps: w, warmupStartLr: den > 0 ? Math.max(0, num / den) : 0 };
  };
  const warmCost = w > 0 ? 2 : 0;
  const out: Candidate[] = [];

  if (constantRatio && !floored) {
    // StepLR: drop k (1-based) at W + k * P.
    let lo = (last - w) / plats.length; // no drop missing before the end: K * P > last - W
    let hi = Infinity;
    drops.forEach((d, k) => {
      lo = Math.max(lo, (d.a - w) / (k + 1));
      hi = Math.min(hi, (d.b - w) / (k + 1));
    });
    if (hi > lo && Number.isFinite(hi)) {
      const period = pickInteger(lo, hi, spe);
      const gamma = geometricRatio(levels);
      const params = { ...warmParams(levels[0]!), lr: levels[0]! };
      if (spe && period === spe && drops.length >= 2) {
        out.push({ spec: { family: 'exponential', variant: 'staircase', params: { ...params, gamma, decaySteps: period } }, complexity: 3 + warmCost });
      } else {
        out.push({ spec: { family: 'step', params: { ...params, gamma, stepSize: period } }, complexity: 3 + warmCost });
      }
      return out;
    }
  }

  const milestones = drops.map((d) => pickInteger(d.a, d.b, spe));
  const base: ScheduleSpec = { family: 'multistep', params: { ...warmParams(levels[0]!), lr: levels[0]! }, milestones, levels };
  if (constantRatio) {
    const gamma = floored ? geometricRatio(levels.slice(0, -1)) : geometricRatio(levels);
    if (looksScheduled(milestones, w, last, spe)) {
      out.push({ spec: { ...base, params: { ...base.params, gamma } }, complexity: 2 + drops.length + warmCost });
    } else {
      const params: Record<string, number> = { ...base.params, factor: gamma, drops: drops.length };
      if (floored) params.minLr = levels[levels.length - 1]!;
      out.push({ spec: { ...base, family: 'reduce_on_plateau', params }, complexity: 2 + drops.length + warmCost });
    }
  } else {
    out.push({ spec: base, complexity: 1 + 2 * drops.length + warmCost });
  }
  return out;
}

/** The per-level ratio of a geometric staircase, from a least-squares line through log(levels). */
function geometricRatio(levels: readonly number[]): number {
  const n = levels.length;
  if (n < 2) return NaN;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  levels.forEach((l, k) => {
    const ly = Math.log(l);
    sx += k;
    sy += ly;
    sxx += k * k;
    sxy += k * ly;
  });
  return Math.exp((n * sxy - sx * sy) / (n * sxx - sx * sx));
}
