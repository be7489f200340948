// Fitting "optional linear warmup, then a smooth decay": constant, linear, polynomial,
// cosine (clamped or periodic), exponential, inverse square root, warmup-stable-decay.
//
// Given the warmup length W and the decay's step-valued parameters θ (decay length,
// power, rate, timescale, stable length), the curve is linear in (warmup start, peak,
// end), solved exactly by weighted least squares; W and θ are searched (grid + golden
// section + integer polish, coordinate-wise). Search ranges come from the data: the
// logged peak bounds W, and the span after it (uL) scales the decay parameters.
import type { LrData, Sample } from './fitData';
import { minimizeInteger, minimizeReal, weightedLeastSquares } from './fitSearch';
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
  constructor(readonly sample: Sample) {
    const m = sample.t.length;
    this.a = new Float64Array(m);
    this.b = new Float64Array(m);
    this.c = new Float64Array(m);
  }
  solve(w: number, model: Model): Solution {
    const { t, y } = this.sample;
    const { a: A, b: B, c: C } = this;
    for (let k = 0; k < t.length; k++) {
      const tk = t[k]!;
      if (w > 0 && tk < w) {
        A[k] = 1 - tk / w;
        B[k] = tk / w;
        C[k] = 0;
      } else {
        const g = model.shape(tk - w);
        A[k] = 0;
        B[k] = g;
        C[k] = 1 - g;
      }
    }
    const cols: Float64Array[] = [];
    if (w > 0) cols.push(A);
    cols.push(B);
    if (model.endFree) cols.push(C);
    const fit = weightedLeastSquares(cols, y, this.sample.w);
    let i = 0;
    const start = w > 0 ? fit.coef[i++]! : 0;
    const peak = fit.coef[i++]!;
    const end = model.endFree ? fit.coef[i]! : 0;
    return { sse: fit.sse, start, peak, end };
  }
  sse(w: number, model: Model): number {
    return this.solve(w, model).sse;
  }
}

/** The decay families fitted here, each with the search over its step-valued parameters. */
export type DecayKind = 'constant' | 'linear' | 'polynomial' | 'cosine' | 'exponential' | 'inverse_sqrt' | 'warmup_stable_decay';

interface Theta {
  /** The step-valued parameters found. */
  values: Record<string, number>;
  model: Model;
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
            return { theta: { values: { decaySteps: r.x }, model: lin(r.x, false) }, sse: r.value };
          },
        },
        {
          // Reaches an end LR within the run (or exactly at its end) and holds it.
          complexity: 3,
          search: (w) => {
            const r = minimizeInteger((d) => sse(w, lin(d, true)), 1, uL(w) + 1, { seeds: [decaySeeds(data, w).tail ?? NaN] });
            return { theta: { values: { decaySteps: r.x }, model: lin(r.x, true) }, sse: r.value };
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
            return { theta: { values: { decaySteps: r.x, power: p }, model: poly(r.x, p, false) }, sse: r.value };
          },
        },
        {
          // To an end LR reached within the run (or at its end): D and the power searched.
          complexity: 4,
          search: (w) => {
            const seeds = [decaySeeds(data, w).tail ?? NaN];
            const bestD = (p: number) => minimizeInteger((d) => sse(w, poly(d, p, true)), 1, uL(w) + 1, { log: true, grid: 20, seeds });
            const pr = minimizeReal((lp) => bestD(Math.exp(lp)).value, Math.log(0.2), Math.log(6), { grid: 9, tol: 1e-3 });
            let p = Math.exp(pr.x);
            const d = bestD(p).x;
            p = Math.exp(minimizeReal((lp) => sse(w, poly(d, Math.exp(lp), true)), pr.x - 0.05, pr.x + 0.05, { grid: 5, tol: 1e-12 }).x);
            return { theta: { values: { decaySteps: d, power: p }, model: poly(d, p, true) }, sse: sse(w, poly(d, p, true)) };
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
            return { theta: { values: { decaySteps: r.x }, model: cos(r.x, false) }, sse: r.value };
          },
        },
        {
          // PyTorch's CosineAnnealingLR stepped past T_max climbs back up.
          complexity: 3,
          search: (w) => {
            if (uL(w) < 4) return undefined;
            const r = minimizeInteger((d) => sse(w, cos(d, true)), 2, uL(w), { log: true, seeds: [decaySeeds(data, w).argmin ?? NaN] });
            return { theta: { values: { decaySteps: r.x }, model: cos(r.x, true), variant: 'periodic' }, sse: r.value };
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
            const r = minimizeReal((lg) => sse(w, exp(lg)), lg0 * 1.5, lg0 / 1.5, { grid: 9, tol: 1e-13 });
            return { theta: { values: { logGamma: r.x }, model: exp(r.x) }, sse: r.value };
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
            return { theta: { values: { timescale: r.x }, model: inv(r.x) }, sse: r.value };
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
            if (!best || r.value < best.sse) best = { theta: { values: { stableSteps: st, decaySteps: r.x }, model: wsd(st, r.x, type), variant: type }, sse: r.value };
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

/** Weighted line fit of log(lr) against log(1 - u / D) after W: the power of a polynomial decay to 0. */
function logPower(s: Sample, w: number, d: number): number {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let k = 0; k < s.t.length; k++) {
    const u = s.t[k]! - w;
    if (u < 0 || u >= d || !(s.y[k]! > 0)) continue;
    const rel = s.sigma[k]! / s.y[k]!;
    const wk = 1 / (rel * rel);
    const x = Math.log(1 - u / d);
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

/** Slope of log(lr) against steps after W (weighted by 1 / relative error), for the exponential's rate. */
function logSlope(s: Sample, w: number): number {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (let k = 0; k < s.t.length; k++) {
    if (s.t[k]! < w || !(s.y[k]! > 0)) continue;
    const rel = s.sigma[k]! / s.y[k]!;
    const wk = 1 / (rel * rel);
    const x = s.t[k]! - w;
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
  const searchSolver = new Solver(data.search);
  const fineSolver = new Solver(data);
  const out: Candidate[] = [];
  for (const { search, complexity } of thetaSearches(data, kind, searchSolver)) {
    for (const useWarmup of warm ? [false, true] : [false]) {
      let w = useWarmup && warm ? warm.guess : 0;
      let found = search(w);
      if (!found) continue;
      if (useWarmup && warm) {
        for (let round = 0; round < 2 && found; round++) {
          const model = found.theta.model;
          w = minimizeInteger((wv) => searchSolver.sse(wv, model), warm.lo, warm.hi).x;
          found = search(w);
        }
        if (!found) continue;
      }
      const sol = fineSolver.solve(w, found.theta.model);
      const spec = toSpec(kind, found.theta, w, sol);
      if (spec) out.push({ spec, complexity: complexity + (w > 0 ? 2 : 0) });
    }
  }
  return out;
}

function toSpec(kind: DecayKind, theta: Theta, w: number, solution: Solution): ScheduleSpec | undefined {
  let sol = solution;
  if (!(sol.peak > 0)) return undefined;
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
