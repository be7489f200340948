// Identifies which schedule an observed LR series followed: family, parameters, fit error.
//
// Method. Every family is fitted (fitWarmupDecay.ts, fitPiecewise.ts, fitCycles.ts,
// lrRangeTest.ts), each curve is scored against the points' noise model (fitData.ts),
// and the simplest family whose curve passes within the printed precision of (nearly)
// every point wins: fewest free parameters, then the smaller residual. So a constant LR
// is "constant", never a cosine with a huge period, and a warmup is only reported when
// the data shows one. When nothing is exact (a hand-written schedule, a noisy log), the
// best trade-off of residual against parameters is kept (a BIC-style score on relative
// residuals) if its mean relative error is at most MAX_APPROX_ERROR, otherwise there is
// no answer rather than a misleading one.
//
// Two modifiers apply to any family:
//
// - stepped: the scheduler was stepped every P optimizer steps (once per epoch) while the
//   LR was logged more often. Recognised when every change of the LR falls on a multiple
//   of P (the epoch length first); the series is then resampled at multiples of P, fitted,
//   and reported with `stepInterval` P.
// - restarts: the whole schedule started again from its first value (a resumed run whose
//   scheduler state was lost). Tried last, when nothing else is exact: the first segment
//   is fitted and every later segment must follow the same curve from its own start.
//
// Cost: O(n) passes over the series (cleaning, plateaus, jumps, the final error) plus a
// search whose cost depends on the fitting sample (at most ~4000 points), not on n.
import type { RunMeta } from '../model/run';
import type { Series } from '../model/series';
import { assess, bigChanges, prepareLr, type Assessment, type LrData } from './fitData';
import { fitCyclic, fitOneCycle, fitWarmRestarts, upJumps } from './fitCycles';
import { fitPiecewise } from './fitPiecewise';
import { fitWarmupDecay, warmupRange, type Candidate } from './fitWarmupDecay';
import { scheduleFn, type ScheduleSpec } from './families';
import { describeSchedule } from './describe';
import { recognizeRangeTest } from './lrRangeTest';
import type { ScheduleFit } from './types';

/** A fit with a mean relative error above this (10%) is not reported. */
export const MAX_APPROX_ERROR = 0.1;

interface Scored extends Candidate {
  a: Assessment;
}

interface Passes {
  stepped: boolean;
  restarts: boolean;
}

/** Fits the schedule an LR series followed; undefined when it has under 2 usable points or nothing fits. */
export function fitSchedule(lr: Pick<Series, 'steps' | 'values'>, meta?: RunMeta): ScheduleFit | undefined {
  const data = prepareLr(lr.steps, lr.values);
  if (!data) return undefined;
  const best = fitData(data, meta, { stepped: true, restarts: true });
  if (!best) return undefined;
  const final = assess(scheduleFn(best.spec), data, true);
  if (!final.exact && final.fitError > MAX_APPROX_ERROR) return undefined;
  return report(best.spec, final, data, meta);
}

function score(c: Candidate, data: LrData): Scored {
  return { ...c, a: assess(scheduleFn(c.spec), data, false) };
}

/** Simplest exact candidate, else the best BIC-style trade-off. */
function select(cands: Scored[], m: number): Scored | undefined {
  const exact = cands.filter((c) => c.a.exact);
  if (exact.length > 0) return exact.reduce((b, c) => (c.complexity < b.complexity || (c.complexity === b.complexity && c.a.meanSquaredRel < b.a.meanSquaredRel) ? c : b));
  const bic = (c: Scored): number => m * Math.log(c.a.meanSquaredRel + 1e-12) + c.complexity * Math.log(Math.max(2, m));
  return cands.reduce<Scored | undefined>((b, c) => (!b || bic(c) < bic(b) ? c : b), undefined);
}

/** The simplest exact complexity found so far (Infinity when none). */
const bestExact = (cands: Scored[]): number => cands.reduce((m, c) => (c.a.exact ? Math.min(m, c.complexity) : m), Infinity);

function fitData(data: LrData, meta: RunMeta | undefined, passes: Passes): Scored | undefined {
  const rt = recognizeRangeTest(data.steps, data.values);
  if (rt) {
    const spec: ScheduleSpec = {
      family: 'lr_range_test',
      params: { warmupSteps: 0, startLr: rt.startLr, endLr: rt.endLr, startStep: rt.startStep, numSteps: rt.numSteps, growthPerStep: rt.growthPerStep, decades: rt.decades },
    };
    return score({ spec, complexity: 2 }, data);
  }
  const warm = warmupRange(data);
  const cands: Scored[] = [];
  const add = (cs: Candidate[]): void => {
    for (const c of cs) cands.push(score(c, data));
  };
  // Fitters in order of the simplest complexity they can return (a visible warmup adds 2
  // to all but the cyclic shapes); stop once an exact fit is at least as simple as
  // anything the remaining fitters could offer (ties go to the earlier fitter).
  const wc = warm ? 2 : 0;
  const fitters: { min: number; run: () => Candidate[] }[] = [
    { min: 1 + wc, run: () => fitWarmupDecay(data, 'constant', warm) },
    { min: 2 + wc, run: () => fitWarmupDecay(data, 'exponential', warm) },
    { min: 2 + wc, run: () => fitWarmupDecay(data, 'linear', warm) },
    { min: 2 + wc, run: () => fitWarmupDecay(data, 'inverse_sqrt', warm) },
    { min: 3 + wc, run: () => fitPiecewise(data, warm, meta) },
    { min: 3 + wc, run: () => fitWarmupDecay(data, 'cosine', warm) },
    { min: 3, run: () => (passes.stepped ? steppedCandidates(data, meta) : []) },
    { min: 3 + wc, run: () => fitWarmupDecay(data, 'polynomial', warm) },
    { min: 4 + wc, run: () => fitWarmRestarts(data, warm) },
    { min: 5, run: () => fitCyclic(data) },
    { min: 5, run: () => fitOneCycle(data) },
    { min: 5 + wc, run: () => fitWarmupDecay(data, 'warmup_stable_decay', warm) },
  ];
  for (const f of fitters) {
    if (bestExact(cands) <= f.min) break;
    add(f.run());
  }
  let best = select(cands, data.t.length);
  if ((!best || !best.a.exact) && passes.restarts) {
    const r = withRestarts(data, meta);
    if (r && (r.a.exact || !best || r.a.meanSquaredRel < best.a.meanSquaredRel)) best = r;
  }
  return best;
}

/**
 * The period P of a scheduler stepped every P steps: every change of the LR falls on a
 * multiple of P, and P is at least twice the logging interval (otherwise the steps are
 * not visible). Tries the epoch length, then the gcd of exactly located changes, then the
 * smallest gap between changes.
 */
export function stepInterval(data: LrData, meta: RunMeta | undefined): number | undefined {
  const { steps, values } = data;
  const n = steps.length;
  const changed = (i: number): boolean => Math.abs(values[i + 1]! - values[i]!) > 1e-9 * Math.max(values[i]!, values[i + 1]!);
  let count = 0;
  for (let i = 0; i + 1 < n; i++) if (changed(i) && ++count > n / 2) return undefined;
  const changes: { a: number; b: number }[] = [];
  for (let i = 0; i + 1 < n; i++) if (changed(i)) changes.push({ a: steps[i]!, b: steps[i + 1]! });
  if (changes.length < 2) return undefined;
  const valid = (p: number): boolean =>
    Number.isInteger(p) && p >= 2 && p >= 2 * data.interval && changes.every((c) => Math.floor(c.b / p) * p > c.a);
  const cand: number[] = [];
  if (meta?.stepsPerEpoch && meta.stepsPerEpoch > 1) cand.push(meta.stepsPerEpoch);
  const exactAt = changes.filter((c) => c.b - c.a === 1).map((c) => c.b);
  if (exactAt.length === changes.length) cand.push(exactAt.reduce(gcd));
  let gap = Infinity;
  for (let k = 1; k < changes.length; k++) gap = Math.min(gap, changes[k]!.b - changes[k - 1]!.b);
  if (Number.isFinite(gap)) cand.push(gap);
  return cand.find(valid);
}

function gcd(a: number, b: number): number {
  a = Math.abs(Math.round(a));
  b = Math.abs(Math.round(b));
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The LR resampled at multiples of P (the first logged value in each period), fitted, and marked as stepped. */
function steppedCandidates(data: LrData, meta: RunMeta | undefined): Candidate[] {
  const p = stepInterval(data, meta);
  if (!p) return [];
  const { steps, values } = data;
  const ts: number[] = [];
  const ys: number[] = [];
  const last = steps[steps.length - 1]!;
  let i = 0;
  for (let j = Math.ceil(steps[0]! / p); j * p <= last; j++) {
    while (i < steps.length && steps[i]! < j * p) i++;
    if (i < steps.length && steps[i]! < (j + 1) * p) {
      ts.push(j * p);
      ys.push(values[i]!);
    }
  }
  if (ts.length < 3) return [];
  const reduced = prepareLr(ts, ys);
  if (!reduced) return [];
  const inner = fitData(reduced, meta, { stepped: false, restarts: false });
  if (!inner || !inner.a.exact || inner.spec.family === 'constant') return [];
  const spec = inner.spec;
  const w = spec.params.warmupSteps ?? 0;
  if (spec.family === 'exponential' && spec.variant !== 'staircase' && w === 0) {
    // A continuous exponential held for P steps is a staircase: StepLR, or ExponentialLR per epoch.
    const gamma = (spec.params.gamma ?? NaN) ** (p / (spec.params.decaySteps ?? 1));
    const lr = spec.params.lr ?? NaN;
    if (meta?.stepsPerEpoch === p) return [{ spec: { family: 'exponential', variant: 'staircase', params: { warmupSteps: 0, lr, gamma, decaySteps: p } }, complexity: 3 }];
    return [{ spec: { family: 'step', params: { warmupSteps: 0, lr, gamma, stepSize: p } }, complexity: 3 }];
  }
  return [{ spec: { ...spec, params: { ...spec.params, stepInterval: p } }, complexity: inner.complexity + 1 }];
}

/** Restarted runs: segments split at upward jumps, all following the first segment's curve. */
function withRestarts(data: LrData, meta: RunMeta | undefined): Scored | undefined {
  const jumps = upJumps(data);
  if (jumps.length === 0 || jumps.length > 8) return undefined;
  const { steps, values } = data;
  const first = jumps[0]!;
  const seg = prepareLr(steps.subarray(0, first.i), values.subarray(0, first.i));
  if (!seg || seg.steps.length < 3) return undefined;
  const inner = fitData(seg, meta, { stepped: true, restarts: false });
  if (!inner || !inner.a.exact) return undefined;
  // Each restart lies in its jump's interval (a, b]: pick the step that fits best.
  const restarts: number[] = [];
  for (const j of jumps) {
    let bestR = j.b;
    let bestV = Infinity;
    const lo = Math.max(j.a + 1, j.b - 200);
    for (let r = lo; r <= j.b; r++) {
      const spec: ScheduleSpec = { ...inner.spec, restarts: [...restarts, r] };
      const v = assess(scheduleFn(spec), data, false).objective;
      if (v < bestV) {
        bestV = v;
        bestR = r;
      }
    }
    restarts.push(bestR);
  }
  return score({ spec: { ...inner.spec, restarts }, complexity: inner.complexity + jumps.length }, data);
}

/** Names of step-count parameters and their epoch twins. */
const STEP_PARAMS = ['warmupSteps', 'decaySteps', 'stepSize', 'T_0', 'stepSizeUp', 'stepSizeDown', 'totalSteps', 'stableSteps', 'timescale', 'peakStep', 'numSteps', 'stepInterval'];
const epochName = (k: string): string => (k.endsWith('Steps') ? `${k.slice(0, -'Steps'.length)}Epochs` : `${k}Epochs`);

function report(spec: ScheduleSpec, a: Assessment, data: LrData, meta: RunMeta | undefined): ScheduleFit {
  const params: Record<string, number> = { warmupSteps: 0, ...spec.params };
  const last = data.steps[data.steps.length - 1]!;
  if ((params.warmupSteps ?? 0) > 0 && spec.family === 'constant' && params.warmupSteps! >= last) params.warmupUnfinished = 1;
  const spe = meta?.stepsPerEpoch;
  if (spec.family === 'exponential' && spe && spe > 0) {
    const perStep = (params.gamma ?? NaN) ** (1 / (params.decaySteps ?? 1));
    params.gammaPerEpoch = perStep ** spe;
  }
  if (spe && spe > 0) {
    for (const k of STEP_PARAMS) if (params[k] !== undefined && !(k === 'warmupSteps' && params[k] === 0)) params[epochName(k)] = round6(params[k] / spe);
  }
  const finalSpec: ScheduleSpec = { ...spec, params };
  const fit: ScheduleFit = {
    family: spec.family,
    params,
    fitError: round6(a.fitError),
    exact: a.exact,
    summary: describeSchedule(finalSpec, spe),
  };
  if (spec.variant) fit.variant = spec.variant;
  if (spec.milestones) fit.milestones = [...spec.milestones];
  if (spec.levels) fit.levels = [...spec.levels];
  if (spec.restarts && spec.restarts.length > 0) fit.restarts = [...spec.restarts];
  return fit;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/** The curve of a reported fit, for overlays and previews. */
export function fitCurve(fit: ScheduleFit): (step: number) => number {
  const spec: ScheduleSpec = { family: fit.family, params: fit.params };
  if (fit.variant) spec.variant = fit.variant;
  if (fit.milestones) spec.milestones = fit.milestones;
  if (fit.levels) spec.levels = fit.levels;
  if (fit.restarts) spec.restarts = fit.restarts;
  return scheduleFn(spec);
}

/** True when the LR changes by more than 1% somewhere (it is scheduled, not constant). Linear in points. */
export function lrVaries(values: Float64Array): boolean {
  return bigChanges(values, 0.01, 1).length > 0;
}
