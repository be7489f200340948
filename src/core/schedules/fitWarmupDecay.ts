// Fitting "optional linear warmup, then a smooth decay": constant, linear, polynomial,
// cosine (clamped or periodic), exponential, inverse square root, warmup-stable-decay.
//
// Given the warmup length W and the decay's step-valued parameters θ (decay length,
// power, rate, timescale, stable length), the curve is linear in (warmup start, peak,
// end), solved exactly by weighted least squares; W and θ are searched (grid + golden
// section + integer polish, coordinate-wise). Search ranges come from the data: the
// logged peak bounds W, and the span after it (uL) scales the decay parameters.
import { allowedOutliers, type LrData, type Sample } from './fitData';
import { minimizeInteger, minimizeReal, patternSearch, weightedLeastSquares } from './fitSearch';
import type { ScheduleSpec } from './families';

/** A fitted curve offered to the selection in fit.ts. */
export interface Candidate {
  spec: ScheduleSpec;
  /** Free parameters: the simplest exact candidate wins. */
  complexity: number;
}

/** Where a linear warmup may end, from the rising part before the logged peak. */
export interface WarmupRange {
  lo: number;
  hi: number;
  guess: number;
}

/** Index of the first point within noise of the peak. */
export function peakIndex(data: LrData): number {
  const tol = 2 * data.noise(data.peak);
  const v = data.values;
  for (let i = 0; i < v.length; i++) if (v[i]! >= data.peak - tol) return i;
  return 0;
}

/**
 * The warmup hypothesis, when the LR rises to its peak over at least two logged points
 * from clearly below it (under 90% of the peak): W lies between the last rising point
 * and the point after the peak; the line through the rising points puts it where that
 * line meets the peak.
 */
export function warmupRange(data: LrData): WarmupRange | undefined {
  const { steps, values, peak } = data;
  const ip = peakIndex(data);
  if (ip === 0 || values[0]! > 0.9 * peak) return undefined;
  // The rise must be (nearly) monotone.
  for (let i = 1; i <= ip; i++) if (values[i]! < values[i - 1]! - 2 * data.noise(values[i - 1]!)) return undefined;
  const lo = steps[ip - 1]! + 1;
  const hi = steps[Math.min(ip + 1, steps.length - 1)]!;
  let guess = steps[ip]!;
  if (ip >= 2) {
    // Least-squares line through the rising points (excluding the peak point).
    let sx = 0;
    let sy = 0;
    let sxx = 0;
    let sxy = 0;
    const k = ip;
    for (let i = 0; i < k; i++) {
      sx += steps[i]!;
      sy += values[i]!;
      sxx += steps[i]! * steps[i]!;
      sxy += steps[i]! * values[i]!;
    }
    const den = k * sxx - sx * sx;
    if (den > 0) {
      const a = (k * sxy - sx * sy) / den;
      const b = (sy - a * sx) / k;
      if (a > 0) guess = (peak - b) / a;
    }
  }
  guess = Math.min(Math.max(Math.round(guess), lo), Math.max(lo, hi));
  return { lo: Math.max(1, lo), hi: Math.max(lo, hi), guess };
}

/** Decay shapes: g(u) from 1 at u = 0 towards 0. */
type Shape = (u: number) => number;

interface Model {
  shape: Shape;
  /** Whether an end LR is fitted (coefficient of 1 - g); otherwise the decay tends to 0. */
  endFree: boolean;
}

interface Solution {
  sse: number;
  start: number;
  peak: number;
  end: number;
}

/** Solves warmup W + decay `model` on one sample by weighted least squares (buffers reused). */
class Solver {
  private readonly a: Float64Array;
  private readonly b: Float64Array;
  private readonly c: Float64Array;
  /** `startFree`: the warmup's starting LR is fitted; otherwise it is 0 (Hugging Face, timm, ...). */
  constructor(
    readonly sample: Sample,
    readonly startFree = true,
  ) {
    const m = sample.t.length;
    this.a = new Float64Array(m);
    this.b = new Float64Array(m);
    this.c = new Float64Array(m);
  }
  solve(w: number, model: Model, hold = 0): Solution {
    const { t, y } = this.sample;
    const { a: A, b: B, c: C } = this;
    for (let k = 0; k < t.length; k++) {
      const tk = t[k]!;
      if (w > 0 && tk < w) {
        A[k] = 1 - tk / w;
        B[k] = tk / w;
        C[k] = 0;
      } else {
        const g = model.shape(Math.max(0, tk - w - hold));
        A[k] = 0;
        B[k] = g;
        C[k] = 1 - g;
      }
    }
    // LRs are not negative: a start or end that comes out below 0 is fixed at 0 and the
    // rest solved again (a one-step active set), so the SSE judged is the curve reported.
    let withStart = w > 0 && this.startFree;
    let withEnd = model.endFree;
    for (;;) {
      const cols: Float64Array[] = [];
      if (withStart) cols.push(A);
      cols.push(B);
      if (withEnd) cols.push(C);
      const fit = weightedLeastSquares(cols, y, this.sample.w);
      let i = 0;
      const start = withStart ? fit.coef[i++]! : 0;
      const peak = fit.coef[i++]!;
      const end = withEnd ? fit.coef[i]! : 0;
      if (withStart && start < 0) withStart = false;
      else if (withEnd && end < 0) withEnd = false;
      else return { sse: fit.sse, start, peak, end };
    }
  }
  sse(w: number, model: Model, hold = 0): number {
    return this.solve(w, model, hold).sse;
  }
  /** Normalised residuals |f - y| / sigma of a solution. */
  private residuals(sol: Solution, w: number, model: Model, hold: number): Float64Array {
    const { t, y, sigma } = this.sample;
    const out = new Float64Array(t.length);
    for (let k = 0; k < t.length; k++) {
      const tk = t[k]!;
      let f: number;
      if (w > 0 && tk < w) f = sol.start + ((sol.peak - sol.start) * tk) / w;
      else {
        const g = model.shape(Math.max(0, tk - w - hold));
        f = sol.peak * g + (model.endFree ? sol.end * (1 - g) : 0);
      }
      out[k] = Math.abs(f - y[k]!) / sigma[k]!;
    }
    return out;
  }
  /** Points outside one sigma for the least-squares fit (the exactness criterion), SSE as a tie-break. */
  outside(w: number, model: Model, hold = 0): number {
    const sol = this.solve(w, model, hold);
    let count = 0;
    for (const r of this.residuals(sol, w, model, hold)) if (r > 1) count++;
    return count + sol.sse / (sol.sse + 1);
  }
  /**
   * The fit with the `drop` worst points left out (weight 0) when they lie outside one
   * sigma: an exact fit may miss a stray point (an LR logged before the scheduler's first
   * step), and least squares would otherwise bend the whole curve towards it.
   */
  solveRobust(w: number, model: Model, hold: number, drop: number): Solution {
    const sol = this.solve(w, model, hold);
    if (drop <= 0) return sol;
    const r = this.residuals(sol, w, model, hold);
    const worst = Array.from(r.keys())
      .filter((k) => r[k]! > 1)
      .sort((a, b) => r[b]! - r[a]!)
      .slice(0, drop);
    if (worst.length === 0) return sol;
    const weights = this.sample.w;
    const saved = worst.map((k) => weights[k]!);
    for (const k of worst) weights[k] = 0;
    let trimmed: Solution;
    try {
      trimmed = this.solve(w, model, hold);
    } finally {
      worst.forEach((k, i) => (weights[k] = saved[i]!));
    }
    // Only worth it when it makes the fit exact; an inexact fit keeps plain least squares.
    let outside = 0;
    for (const x of this.residuals(trimmed, w, model, hold)) if (x > 1) outside++;
    return outside <= drop ? trimmed : sol;
  }
}

/** The decay families fitted here, each with the search over its step-valued parameters. */
export type DecayKind = 'constant' | 'linear' | 'polynomial' | 'cosine' | 'exponential' | 'inverse_sqrt' | 'warmup_stable_decay';

interface Theta {
  /** The step-valued parameters found. */
  values: Record<string, number>;
  model: Model;
  /** The model for other parameter values, for the final refinement on the verification sample. */
  make?: (v: Record<string, number>) => Model;
  variant?: string;
}

/** One decay hypothesis: searches θ for a fixed W, returning the best θ and its SSE. */
type ThetaSearch = (w: number) => { theta: Theta; sse: number } | undefined;

const clampMin = (u: number, d: number): number => Math.min(u, d) / d;

function thetaSearches(data: LrData, kind: DecayKind, solver: Solver): { search: ThetaSearch; complexity: number }[] {
  const last = data.steps[data.steps.length - 1]!;
  const uL = (w: number): number => Math.max(1, last - w);
  const sse = (w: number, model: Model): number => solver.sse(w, model);
  switch (kind) {
    case 'constant': {
      const model: Model = { shape: () => 1, endFree: false };
      return [{ complexity: 1, search: (w) => ({ theta: { values: {}, model }, sse: sse(w, model) }) }];
    }
    case 'linear': {
      const lin = (d: number, endFree: boolean): Model => ({ shape: (u) => 1 - clampMin(u, d), endFree });
      return [
        {
          // Decays to 0 at decaySteps (Hugging Face, PolynomialLR, LinearLR end_factor 0).
          complexity: 2,
          search: (w) => {
            const r = minimizeInteger((d) => sse(w, lin(d, false)), Math.max(1, 0.3 * uL(w)), 200 * uL(w), { log: true });
            return { theta: { values: { decaySteps: r.x }, model: lin(r.x, false), make: (v) => lin(v.decaySteps!, false) }, sse: r.value };
          },
        },
        {
          // Reaches an end LR within the run (or exactly at its end) and holds it.
          complexity: 3,
          search: (w) => {
            const r = minimizeInteger((d) => sse(w, lin(d, true)), 1, uL(w) + 1, { seeds: [decaySeeds(data, w).tail ?? NaN] });
            return { theta: { values: { decaySteps: r.x }, model: lin(r.x, true), make: (v) => lin(v.decaySteps!, true) }, sse: r.value };
          },
        },
      ];
    }
    case 'polynomial': {
      const poly = (d: number, p: number, endFree: boolean): Model => ({ shape: (u) => (1 - clampMin(u, d)) ** p, endFree });
      return [
        {
          // To 0 at D: log(lr) = log(peak) + p * log(1 - u / D), so p comes from a line fit per D.
          complexity: 3,
          search: (w) => {
            const powerAt = (d: number): number => logPower(solver.sample, w, d);
            const r = minimizeInteger(
              (d) => {
                const p = powerAt(d);
                return p > 0 ? sse(w, poly(d, p, false)) : Infinity;
              },
              Math.max(1, 0.5 * uL(w)),
              200 * uL(w),
              { log: true },
            );
            const p = powerAt(r.x);
            if (!(p > 0)) return undefined;
            return { theta: { values: { decaySteps: r.x, power: p }, model: poly(r.x, p, false), make: (v) => poly(v.decaySteps!, v.power!, false) }, sse: r.value };
          },
        },
        {
          // To an end LR reached within the run: where the final flat stretch starts, or at
          // the run's end (Hugging Face's lr_end at num_training_steps). The power is searched
          // for each of those few decay lengths.
          complexity: 4,
          search: (w) => {
            const tail = decaySeeds(data, w).tail;
            const around = tail ?? uL(w);
            const span = Math.max(2, 2 * data.interval);
            let best: { theta: Theta; sse: number } | undefined;
            for (let d = Math.max(1, Math.round(around - span)); d <= around + span + 1; d += Math.max(1, Math.round(span / 4))) {
              const r = minimizeReal((lp) => sse(w, poly(d, Math.exp(lp), true)), Math.log(0.2), Math.log(6), { grid: 9, tol: 1e-9 });
              if (!best || r.value < best.sse)
                best = { theta: { values: { decaySteps: d, power: Math.exp(r.x) }, model: poly(d, Math.exp(r.x), true), make: (v) => poly(v.decaySteps!, v.power!, true) }, sse: r.value };
            }
            return best;
          },
        },
      ];
    }
    case 'cosine': {
      const cos = (d: number, periodic: boolean): Model => ({
        shape: (u) => (1 + Math.cos((Math.PI * (periodic ? u : Math.min(u, d))) / d)) / 2,
        endFree: true,
      });
      return [
        {
          complexity: 3,
          search: (w) => {
            const r = minimizeInteger((d) => sse(w, cos(d, false)), Math.max(2, 0.05 * uL(w)), 50 * uL(w), { log: true, seeds: [decaySeeds(data, w).tail ?? NaN] });
            return { theta: { values: { decaySteps: r.x }, model: cos(r.x, false), make: (v) => cos(v.decaySteps!, false) }, sse: r.value };
          },
        },
        {
          // PyTorch's CosineAnnealingLR stepped past T_max climbs back up.
          complexity: 3,
          search: (w) => {
            if (uL(w) < 4) return undefined;
            const r = minimizeInteger((d) => sse(w, cos(d, true)), 2, uL(w), { log: true, seeds: [decaySeeds(data, w).argmin ?? NaN] });
            return { theta: { values: { decaySteps: r.x }, model: cos(r.x, true), make: (v) => cos(v.decaySteps!, true), variant: 'periodic' }, sse: r.value };
          },
        },
      ];
    }
    case 'exponential': {
      const exp = (lg: number): Model => ({ shape: (u) => Math.exp(lg * u), endFree: false });
      return [
        {
          complexity: 2,
          search: (w) => {
            const lg0 = logSlope(solver.sample, w);
            if (!(lg0 < 0)) return undefined;
            const r = minimizeReal((lg) => sse(w, exp(lg)), lg0 * 1.5, lg0 / 1.5, { grid: 9, tol: 1e-11 });
            return { theta: { values: { logGamma: r.x }, model: exp(r.x), make: (v) => exp(v.logGamma!) }, sse: r.value };
          },
        },
      ];
    }
    case 'inverse_sqrt': {
      const inv = (tau: number): Model => ({ shape: (u) => Math.sqrt(tau / (u + tau)), endFree: false });
      return [
        {
          complexity: 2,
          search: (w) => {
            const r = minimizeInteger((tau) => sse(w, inv(tau)), 1, 1000 * uL(w), { log: true, grid: 48 });
            return { theta: { values: { timescale: r.x }, model: inv(r.x), make: (v) => inv(v.timescale!) }, sse: r.value };
          },
        },
      ];
    }
    case 'warmup_stable_decay': {
      const types = ['linear', 'cosine', '1-sqrt'] as const;
      const wsd = (st: number, d: number, type: (typeof types)[number]): Model => {
        const f = type === 'linear' ? (x: number) => 1 - x : type === 'cosine' ? (x: number) => 0.5 * (1 + Math.cos(Math.PI * x)) : (x: number) => 1 - Math.sqrt(x);
        return { shape: (u) => (u < st ? 1 : u < st + d ? f((u - st) / d) : 0), endFree: true };
      };
      return types.map((type) => ({
        complexity: 5,
        search: (w: number) => {
          const s0 = stableGuess(data, w);
          if (s0 === undefined) return undefined;
          // The stable end S and the decay length D are coupled; search D for each S near
          // the last point at the peak.
          const span = Math.max(2, 2 * data.interval);
          const step = Math.max(1, Math.round(span / 4));
          const tail = decaySeeds(data, w).tail;
          let best: { theta: Theta; sse: number } | undefined;
          for (let st = Math.max(1, s0 - span); st <= s0 + span; st += step) {
            const sNow = st;
            const r = minimizeInteger((x) => sse(w, wsd(sNow, x, type)), 1, Math.max(2, uL(w) - sNow + 1), { log: true, seeds: tail !== undefined ? [tail - sNow] : [] });
            if (!best || r.value < best.sse)
              best = { theta: { values: { stableSteps: st, decaySteps: r.x }, model: wsd(st, r.x, type), make: (v) => wsd(v.stableSteps!, v.decaySteps!, type), variant: type }, sse: r.value };
          }
          return best;
        },
      }));
    }
  }
}

/**
 * Decay-length estimates from the shape of the data after W: where the final flat stretch
 * starts (a decay that reached its end and held it) and where the minimum is (a periodic
 * cosine turning back up).
 */
function decaySeeds(data: LrData, w: number): { tail?: number; argmin?: number } {
  // On the search sample: it keeps both ends and every jump, and costs O(1000), not O(n).
  const { t: steps, y: values } = data.search;
  const n = steps.length;
  let i0 = 0;
  while (i0 < n && steps[i0]! < w) i0++;
  if (n - i0 < 3) return {};
  const lastV = values[n - 1]!;
  let j = n - 1;
  while (j > i0 && Math.abs(values[j - 1]! - lastV) <= 2 * data.noise(lastV)) j--;
  const out: { tail?: number; argmin?: number } = {};
  if (j < n - 2 && j > i0) out.tail = steps[j]! - w;
  let im = i0;
  for (let i = i0; i < n; i++) if (values[i]! < values[im]! - data.noise(values[im]!)) im = i;
  if (im < n - 2 && im > i0) out.argmin = steps[im]! - w;
  return out;
}

/** Logged steps strictly between a and b (steps sorted). */
function pointsBetween(steps: Float64Array, a: number, b: number): number {
  const first = (x: number): number => {
    let lo = 0;
    let hi = steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (steps[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let k = first(a);
  let n = 0;
  while (k < steps.length && steps[k]! < b && n < 2) {
    n++;
    k++;
  }
  return n;
}

/** Weighted line fit of log(lr) against log(1 - u / D) after W: the power of a polynomial decay to 0. */
function logPower(s: Sample, w: number, d: number): number {
  return logSlopeAgainst(s, (t) => {
    const u = t - w;
    return u < 0 || u >= d ? NaN : Math.log(1 - u / d);
  });
}

/** Slope of log(lr) against steps after W, for the exponential's rate. */
function logSlope(s: Sample, w: number): number {
  return logSlopeAgainst(s, (t) => (t < w ? NaN : t - w));
}

/**
 * Weighted least-squares slope of log(lr) against x(t), over the sample points where x is
 * a number (NaN skips a point) and the LR is positive; weights 1 / relative error².
 */
function logSlopeAgainst(s: Sample, xOf: (t: number) => number): number {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let k = 0; k < s.t.length; k++) {
    const x = xOf(s.t[k]!);
    if (Number.isNaN(x) || !(s.y[k]! > 0)) continue;
    const rel = s.sigma[k]! / s.y[k]!;
    const wk = 1 / (rel * rel);
    const ly = Math.log(s.y[k]!);
    sw += wk;
    sx += wk * x;
    sy += wk * ly;
    sxx += wk * x * x;
    sxy += wk * x * ly;
  }
  const den = sw * sxx - sx * sx;
  return den > 0 ? (sw * sxy - sx * sy) / den : NaN;
}

/** Where the stable (peak) phase ends after W: the last point within noise of the peak, if it holds a while. */
function stableGuess(data: LrData, w: number): number | undefined {
  const { steps, values, peak } = data;
  const tol = 2 * data.noise(peak);
  let first = -1;
  let lastAt = -1;
  for (let i = 0; i < steps.length; i++) {
    if (steps[i]! < w) continue;
    if (values[i]! >= peak - tol) {
      if (first < 0) first = i;
      lastAt = i;
    } else if (first >= 0) break;
  }
  if (first < 0 || lastAt - first < 2 || lastAt === steps.length - 1) return undefined;
  return Math.round(steps[lastAt]! - w);
}

/**
 * Fits one decay kind, with and without the warmup hypothesis, and returns the
 * candidates (one per variant of the kind). Searches run on the search sample; the LR
 * values are then solved on the verification sample.
 */
export function fitWarmupDecay(data: LrData, kind: DecayKind, warm: WarmupRange | undefined): Candidate[] {
  const out: Candidate[] = [];
  // Without warmup; with a warmup from 0 (one parameter: its length); with a warmup from a
  // fitted LR (two). A single logged point on the ramp only pins W when the start is 0.
  const variants = warm
    ? [
        { useWarmup: false, startFree: false },
        { useWarmup: true, startFree: false },
        { useWarmup: true, startFree: true },
      ]
    : [{ useWarmup: false, startFree: false }];
  // Searches (by index) whose warmup-from-0 fit is already exact: a fitted start adds nothing.
  const exactFromZero = new Set<number>();
  const allowed = allowedOutliers(data.t.length);
  for (const { useWarmup, startFree } of variants) {
    const searchSolver = new Solver(data.search, startFree);
    const fineSolver = new Solver(data, startFree);
    for (const [index, { search, complexity }] of thetaSearches(data, kind, searchSolver).entries()) {
      if (startFree && exactFromZero.has(index)) continue;
      let w = useWarmup && warm ? warm.guess : 0;
      let found = search(w);
      if (!found) continue;
      if (useWarmup && warm) {
        for (let round = 0; round < 2 && found; round++) {
          const model = found.theta.model;
          w = minimizeInteger((wv) => searchSolver.sse(wv, model), warm.lo, warm.hi, { exhaustive: 256 }).x;
          found = search(w);
        }
        if (!found) continue;
      }
      // After a warmup, the peak may be held one step before the decay starts: refine both ways.
      // A shape that misses by more than 1% rms on the (tempered) search sample is the wrong
      // family: it is reported as found, without the costly polish.
      const warmNow = useWarmup && warm ? warm : undefined;
      const promising = found.sse <= 100 * searchSolver.sample.t.length;
      let theta = promising ? refine(found.theta, w, fineSolver, warmNow, 0) : { theta: found.theta, w };
      let hold = 0;
      if (promising && w > 0 && kind !== 'constant') {
        const held = refine(found.theta, w, fineSolver, warmNow, 1);
        if (fineSolver.sse(held.w, held.theta.model, 1) < fineSolver.sse(theta.w, theta.theta.model, 0)) {
          theta = held;
          hold = 1;
        }
      }
      // Least squares cannot tell apart fits whose residuals sit just inside or just outside
      // a printed quantum; among the neighbours of the L2 optimum, keep the one with the
      // fewest points outside one sigma.
      if (promising) ({ theta, hold } = polishOutside(theta, hold, fineSolver, warmNow));
      const sol = fineSolver.solveRobust(theta.w, theta.theta.model, hold, allowedOutliers(data.t.length));
      const spec = toSpec(kind, theta.theta, theta.w, sol);
      // A decay with fewer than two logged points inside it is a jump, not a shape the data shows.
      if (spec && spec.params.decaySteps !== undefined && kind !== 'exponential') {
        const from = theta.w + hold + (spec.params.stableSteps ?? 0);
        if (pointsBetween(data.steps, from, from + spec.params.decaySteps) < 2) continue;
      }
      if (spec && hold) spec.params.holdSteps = hold;
      if (spec) out.push({ spec, complexity: complexity + (theta.w > 0 ? (startFree ? 2 : 1) : 0) });
      if (spec && useWarmup && !startFree && Math.floor(fineSolver.outside(theta.w, theta.theta.model, hold)) <= allowed) exactFromZero.add(index);
    }
  }
  return out;
}

/**
 * Polishes a search result on the verification sample, whose weights are the points' true
 * noise (the search sample's are tempered, see fitData.ts): each parameter in a small
 * window around its value, coordinate-wise, twice; the warmup end within its range.
 */
function refine(theta: Theta, w0: number, solver: Solver, warm: WarmupRange | undefined, hold: number): { theta: Theta; w: number } {
  const make = theta.make;
  if (!make) return { theta, w: w0 };
  let v = { ...theta.values };
  let w = w0;
  const isReal = (k: string): boolean => k === 'power' || k === 'logGamma';
  const realKeys = Object.keys(v).filter(isReal);
  const intKeys = Object.keys(v).filter((k) => !isReal(k));
  for (let round = 0; round < 2; round++) {
    for (const key of realKeys) {
      const x = v[key]!;
      const span = 0.02 * Math.abs(x) + 1e-12;
      const at = (z: number): number => solver.sse(w, make({ ...v, [key]: z }), hold);
      v = { ...v, [key]: minimizeReal(at, x - span, x + span, { grid: 7, tol: 1e-10 }).x };
    }
    // The warmup end and the step lengths are coupled (a longer warmup shortens the decay):
    // a joint pattern search, from steps of about half a percent down to one.
    const keys = warm ? [...intKeys, 'w'] : intKeys;
    if (keys.length === 0) break;
    const at = (x: number[]): number => {
      const vv = { ...v };
      let ww = w;
      keys.forEach((k, i) => (k === 'w' ? (ww = x[i]!) : (vv[k] = x[i]!)));
      if (warm && (ww < warm.lo || ww > warm.hi)) return Infinity;
      if (intKeys.some((k) => !(vv[k]! >= 1))) return Infinity;
      return solver.sse(ww, make(vv), hold);
    };
    const x0 = keys.map((k) => (k === 'w' ? w : v[k]!));
    const steps = keys.map((k) => (k === 'w' ? Math.max(1, Math.round((warm!.hi - warm!.lo) / 8)) : Math.max(1, Math.round(0.005 * v[k]!))));
    const r = patternSearch(at, x0, steps, 400);
    keys.forEach((k, i) => (k === 'w' ? (w = r.x[i]!) : (v = { ...v, [k]: r.x[i]! })));
  }
  return { theta: { ...theta, values: v, model: make(v) }, w };
}

/** Trailing zeros of the integer parameters: people write round numbers. */
function roundnessOf(v: Record<string, number>, keys: string[], w: number): number {
  let r = 0;
  for (const x of [...keys.map((k) => v[k]!), w]) for (let y = Math.round(x); y > 0 && y % 10 === 0 && r < 30; y /= 10) r++;
  return r;
}

/**
 * Neighbours of a refined fit (each integer parameter ±3 or rounded to 10, 100, 1000,
 * with the hold 0/1 and W ±1),
 * judged by points outside one sigma, then by roundness (when several fit within the
 * printed precision, the data cannot tell them apart and the round one is what was
 * written), then by SSE; fits that are not exact by SSE alone.
 */
function polishOutside(
  fit: { theta: Theta; w: number },
  hold0: number,
  solver: Solver,
  warm: WarmupRange | undefined,
): { theta: { theta: Theta; w: number }; hold: number } {
  const make = fit.theta.make;
  if (!make) return { theta: fit, hold: hold0 };
  const intKeys = Object.keys(fit.theta.values).filter((k) => k !== 'power' && k !== 'logGamma');
  type Try = { v: Record<string, number>; w: number; hold: number };
  const allowed = allowedOutliers(solver.sample.t.length);
  // Exact candidates first, by roundness then SSE; the rest by SSE alone.
  const scoreOf = (c: Try): [number, number, number] => {
    const o = solver.outside(c.w, make(c.v), c.hold);
    const count = Math.floor(o);
    const sse = solver.sse(c.w, make(c.v), c.hold);
    return count <= allowed ? [count, -roundnessOf(c.v, intKeys, c.w), sse] : [Infinity, 0, sse];
  };
  const better = (a: [number, number, number], b: [number, number, number]): boolean => a[0] < b[0] || (a[0] === b[0] && (a[1] < b[1] || (a[1] === b[1] && a[2] < b[2])));
  let best: Try = { v: fit.theta.values, w: fit.w, hold: hold0 };
  let bestScore = scoreOf(best);
  for (let round = 0; round < 2; round++) {
    const base = best;
    const holds = base.w > 0 ? [0, 1] : [0];
    const ws = base.w > 0 ? [base.w - 1, base.w, base.w + 1].filter((w) => w > 0 && (!warm || (w >= warm.lo && w <= warm.hi))) : [0];
    const vs = [base.v];
    for (const key of intKeys) {
      const x = base.v[key]!;
      for (let d = -3; d <= 3; d++) if (d) vs.push({ ...base.v, [key]: x + d });
      for (const unit of [10, 100, 1000]) if (Math.abs(Math.round(x / unit) * unit - x) > 3) vs.push({ ...base.v, [key]: Math.round(x / unit) * unit });
    }
    for (const hold of holds)
      for (const w of ws)
        for (const v of vs) {
          if (Object.values(v).some((x) => !(x >= 1))) continue;
          const c = { v, w, hold };
          const sc = scoreOf(c);
          if (better(sc, bestScore)) {
            bestScore = sc;
            best = c;
          }
        }
    if (best === base) break;
  }
  return { theta: { theta: { ...fit.theta, values: best.v, model: make(best.v) }, w: best.w }, hold: best.hold };
}

function toSpec(kind: DecayKind, theta: Theta, w: number, solution: Solution): ScheduleSpec | undefined {
  let sol = solution;
  // A decay ends below where it starts; one that "decays" upwards is not this family.
  if (!(sol.peak > 0) || sol.end > sol.peak * (1 + 1e-9)) return undefined;
  const params: Record<string, number> = { warmupSteps: w, lr: sol.peak };
  // LR-valued coefficients within float noise of 0 are 0 (a decay to 0 fits 1e-23).
  const clean = (x: number): number => (x > 1e-9 * sol.peak ? x : 0);
  sol = { ...sol, start: clean(sol.start), end: clean(sol.end) };
  if (w > 0) params.warmupStartLr = sol.start;
  const v = theta.values;
  switch (kind) {
    case 'constant':
      return { family: 'constant', params };
    case 'linear':
    case 'polynomial':
    case 'cosine': {
      params.endLr = theta.model.endFree ? Math.max(0, sol.end) : 0;
      params.decaySteps = v.decaySteps!;
      if (kind === 'polynomial') params.power = v.power!;
      params.totalSteps = w + v.decaySteps!;
      return { family: kind, params, ...(theta.variant ? { variant: theta.variant } : {}) };
    }
    case 'exponential':
      params.gamma = Math.exp(v.logGamma!);
      params.decaySteps = 1;
      return { family: 'exponential', params };
    case 'inverse_sqrt':
      params.timescale = v.timescale!;
      return { family: 'inverse_sqrt', params };
    case 'warmup_stable_decay':
      params.endLr = Math.max(0, sol.end);
      params.stableSteps = v.stableSteps!;
      params.decaySteps = v.decaySteps!;
      params.totalSteps = w + v.stableSteps! + v.decaySteps!;
      return { family: 'warmup_stable_decay', params, variant: theta.variant ?? 'cosine' };
  }
}
