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
// no answer rather than a misleading one. A family with k parameters needs k + 2 points.
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
import { assess, cleanSeries, prepareLr, type Assessment, type LrData } from './fitData';
import { fitCyclic, fitOneCycle, fitWarmRestarts, turningPoints, upJumps } from './fitCycles';
import { fitPiecewise } from './fitPiecewise';
import { fitWarmupDecay, warmupRange, type Candidate } from './fitWarmupDecay';
import { scheduleBreakpoints, scheduleFn, type ScheduleSpec } from './families';
import { describeSchedule } from './describe';
import { recognizeRangeTest } from './lrRangeTest';
import type { ScheduleFit } from './types';

/** A fit that is not exact is only reported when its mean relative error is at most 3%. */
export const MAX_APPROX_ERROR = 0.03;

interface Scored extends Candidate {
  a: Assessment;
}

interface Passes {
  stepped: boolean;
  restarts: boolean;
}

/**
 * Logged step minus scheduler step. Loggers disagree by one about which step an LR
 * belongs to (tensorboardX examples log `global_step + 1` next to the LR the scheduler
 * set after `global_step` steps; Hugging Face logs the LR at the step it counts, but
 * resumed or accelerate-wrapped runs can be two apart), and a staircase, a restart or a
 * warmup from 0 only fits exactly at the right offset. 0 is tried first and kept when its
 * fit is exact with round lengths; otherwise ±1 and ±2 are tried too, and among exact
 * fits the simplest, then the one with the roundest lengths (whole epochs, multiples of
 * ten: what people write in configs) wins.
 */
export const STEP_OFFSETS: readonly number[] = [0, 1, -1, 2, -2];

/** Fits the schedule an LR series followed; undefined when it has under 2 usable points or nothing fits. */
export function fitSchedule(lr: Pick<Series, 'steps' | 'values'>, meta?: RunMeta): ScheduleFit | undefined {
  // An LR of exactly 0 throughout (a frozen model, a broken config) is still a schedule.
  const clean = cleanSeries(lr.steps, lr.values);
  if (clean.values.length >= 2 && clean.values.every((v) => v === 0)) {
    const spec: ScheduleSpec = { family: 'constant', params: { warmupSteps: 0, lr: 0 } };
    return { family: 'constant', params: spec.params, fitError: 0, exact: true, summary: describeSchedule(spec, meta?.stepsPerEpoch) };
  }
  type Tried = { best: Scored; final: Assessment; data: LrData; offset: number; round: number; allRound: boolean };
  const tried: Tried[] = [];
  for (const offset of STEP_OFFSETS) {
    const steps = offset === 0 ? lr.steps : Float64Array.from(lr.steps, (s) => s - offset);
    const data = prepareLr(steps, lr.values);
    if (!data) return undefined;
    const best = fitData(data, meta, { stepped: true, restarts: true });
    if (!best) continue;
    const final = assess(scheduleFn(best.spec), described(best.spec, data), true);
    const r = roundness(best.spec, meta?.stepsPerEpoch);
    tried.push({ best, final, data, offset, round: r.score, allRound: r.allRound });
    if (offset === 0 && final.exact && r.allRound) break;
    // ±2 only when neither 0 nor ±1 gave an exact fit with round lengths (an irregular
    // ReduceLROnPlateau-like fit is exact at any offset, a MultiStepLR two steps off only
    // at its own), and, when none was exact at all, only when a shift of one step changed
    // the fit: when 0 and ±1 miss by the same amount (within 5%), the misfit is not a
    // matter of where the steps are counted from, and two more searches would repeat it.
    if (offset === -1) {
      if (tried.some((t) => t.final.exact && t.allRound)) break;
      if (!tried.some((t) => t.final.exact) && shiftIndifferent(tried.map((t) => t.final.fitError))) break;
    }
  }
  const exact = tried.filter((t) => t.final.exact);
  const pick = exact.length
    ? exact.reduce((a, b) => (b.best.complexity < a.best.complexity || (b.best.complexity === a.best.complexity && b.round > a.round) ? b : a))
    : tried.reduce<Tried | undefined>((a, b) => (!a || b.final.fitError < a.final.fitError ? b : a), undefined);
  if (!pick || (!pick.final.exact && pick.final.fitError > MAX_APPROX_ERROR)) return undefined;
  return report(pick.best.spec, pick.final, pick.data, meta, pick.offset);
}

/** The fit errors of three offsets agree within 5% of the smallest (and are not all zero). */
function shiftIndifferent(errors: number[]): boolean {
  if (errors.length < 3) return false;
  const lo = Math.min(...errors);
  const hi = Math.max(...errors);
  return lo > 0 && hi - lo <= 0.05 * lo;
}

/** Step lengths of a fit that people choose (warmup, decay, periods), for judging roundness. */
const LENGTH_PARAMS = ['warmupSteps', 'decaySteps', 'stepSize', 'T_0', 'stepSizeUp', 'stepSizeDown', 'stableSteps', 'stepInterval'];

/** How round a fit's lengths are: whole epochs score 2, each trailing zero 1 (up to 3). */
function roundness(spec: ScheduleSpec, spe: number | undefined): { score: number; allRound: boolean } {
  let score = 0;
  let allRound = true;
  // A one-cycle's warmupSteps is its peak step, which OneCycleLR derives (pct_start * total - 1).
  const keys = spec.family === 'one_cycle' ? ['totalSteps'] : LENGTH_PARAMS;
  const lengths = [...keys.map((k) => spec.params[k]), ...(spec.milestones ?? []), ...(spec.restarts ?? [])];
  for (const v of lengths) {
    if (v === undefined || !(v > 0) || !Number.isInteger(v)) continue;
    let z = 0;
    for (let x = v; x % 10 === 0 && z < 3; x /= 10) z++;
    const epochs = spe && spe > 1 && v % spe === 0 ? 2 : 0;
    score += z + epochs;
    if (z === 0 && epochs === 0) allRound = false;
  }
  return { score, allRound };
}

function score(c: Candidate, data: LrData): Scored {
  return { ...c, a: assess(scheduleFn(c.spec), data, false) };
}

/**
 * Simplest exact candidate, else the best BIC-style trade-off. A curve with k free
 * parameters says nothing about points it could pass through anyway: it needs k + 2 points.
 */
function select(all: Scored[], m: number): Scored | undefined {
  const cands = all.filter((c) => c.complexity + 2 <= m || (c.spec.family === 'constant' && c.complexity === 1));
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
  // Fitters in order of the simplest complexity they can return (a visible warmup adds 1
  // or 2 to all but the cyclic shapes and stepped schedulers); stop once an exact fit is at
  // least as simple as anything the remaining fitters could offer (ties go to the
  // earlier fitter).
  const wc = warm ? 1 : 0;
  // A series that goes up and down again (three or more turning points, each a move of 5%
  // of the peak) cannot be a warmup followed by a monotone decay, nor a one-cycle: only
  // periodic shapes, restarts and stepped schedulers are tried for it.
  const oscillates = turningPoints(data).length >= 3;
  // `cost` orders fitters of equal simplicity: cheap and common ones first.
  const fitters: { min: number; cost: number; monotone?: boolean; run: () => Candidate[] }[] = [
    { min: 1 + wc, cost: 0, monotone: true, run: () => fitWarmupDecay(data, 'constant', warm) },
    { min: 2 + wc, cost: 1, monotone: true, run: () => fitWarmupDecay(data, 'exponential', warm) },
    { min: 2 + wc, cost: 1, monotone: true, run: () => fitWarmupDecay(data, 'linear', warm) },
    { min: 2 + wc, cost: 1, monotone: true, run: () => fitWarmupDecay(data, 'inverse_sqrt', warm) },
    { min: 3 + wc, cost: 0, monotone: true, run: () => fitPiecewise(data, warm, meta) },
    { min: 3 + wc, cost: 1, run: () => fitWarmupDecay(data, 'cosine', warm) },
    { min: 3, cost: 1, run: () => (passes.stepped ? steppedCandidates(data, meta) : []) },
    { min: 3 + wc, cost: 3, monotone: true, run: () => fitWarmupDecay(data, 'polynomial', warm) },
    { min: 4 + wc, cost: 2, run: () => fitWarmRestarts(data, warm) },
    { min: 5, cost: 2, run: () => fitCyclic(data) },
    { min: 5, cost: 2, monotone: true, run: () => fitOneCycle(data) },
    { min: 5 + wc, cost: 3, monotone: true, run: () => fitWarmupDecay(data, 'warmup_stable_decay', warm) },
  ];
  fitters.sort((a, b) => a.min - b.min || a.cost - b.cost);
  for (const f of fitters) {
    if (bestExact(cands) <= f.min) break;
    if (oscillates && f.monotone) continue;
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

/**
 * Restarted runs. First hypothesis: every segment between upward jumps follows the first
 * segment's curve from its own start (the scheduler's state was lost on resume). Second:
 * the log holds the tail of an earlier run, then a run with a schedule of its own (a
 * Hugging Face output directory reused with other settings): the last segment, if it
 * holds most of the points, is fitted alone and reported with `fromStep`.
 */
function withRestarts(data: LrData, meta: RunMeta | undefined): Scored | undefined {
  const jumps = upJumps(data);
  if (jumps.length === 0 || jumps.length > 8) return undefined;
  const { steps, values } = data;
  const first = jumps[0]!;
  const seg = prepareLr(steps.subarray(0, first.i), values.subarray(0, first.i));
  const inner = seg && seg.steps.length >= 3 ? fitData(seg, meta, { stepped: true, restarts: false }) : undefined;
  if (inner?.a.exact) {
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
    const same = score({ spec: { ...inner.spec, restarts }, complexity: inner.complexity + jumps.length }, data);
    if (same.a.exact) return same;
  }
  const last = jumps[jumps.length - 1]!;
  if (steps.length - last.i < Math.max(8, steps.length / 2)) return undefined;
  const tail = prepareLr(steps.subarray(last.i), values.subarray(last.i));
  const own = tail ? fitData(tail, meta, { stepped: true, restarts: false }) : undefined;
  if (!own?.a.exact) return undefined;
  return { ...own, spec: { ...own.spec, params: { ...own.spec.params, fromStep: steps[last.i]! } }, complexity: own.complexity + 1 };
}

/** The points a fit describes: from `fromStep` on when it has one. */
function described(spec: ScheduleSpec, data: LrData): LrData {
  const from = spec.params.fromStep;
  if (from === undefined) return data;
  let i = 0;
  while (i < data.steps.length && data.steps[i]! < from) i++;
  return prepareLr(data.steps.subarray(i), data.values.subarray(i)) ?? data;
}

/** Names of step-count parameters and their epoch twins. */
const STEP_PARAMS = ['warmupSteps', 'decaySteps', 'stepSize', 'T_0', 'stepSizeUp', 'stepSizeDown', 'totalSteps', 'stableSteps', 'timescale', 'peakStep', 'numSteps', 'stepInterval'];
const epochName = (k: string): string => (k.endsWith('Steps') ? `${k.slice(0, -'Steps'.length)}Epochs` : `${k}Epochs`);

function report(spec: ScheduleSpec, a: Assessment, data: LrData, meta: RunMeta | undefined, offset: number): ScheduleFit {
  const params: Record<string, number> = { warmupSteps: 0, ...spec.params };
  if (offset !== 0) params.stepOffset = offset;
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
  // Positions (milestones, restarts) are reported as logged steps, like the chart's axis.
  const logged = (xs: readonly number[] | undefined): number[] | undefined => xs?.map((x) => x + offset);
  const shown: ScheduleSpec = { ...spec, params, milestones: logged(spec.milestones), restarts: logged(spec.restarts) };
  const fit: ScheduleFit = {
    family: spec.family,
    params,
    fitError: round6(a.fitError),
    exact: a.exact,
    summary: describeSchedule(shown, spe),
  };
  if (spec.variant) fit.variant = spec.variant;
  if (shown.milestones) fit.milestones = [...shown.milestones];
  if (spec.levels) fit.levels = [...spec.levels];
  if (shown.restarts && shown.restarts.length > 0) fit.restarts = [...shown.restarts];
  return fit;
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * The canonical spec of a reported fit (milestones and restarts back in the scheduler's
 * steps), for `scheduleFn`, `scheduleBreakpoints` and `simulateSchedule`.
 */
export function fitSpec(fit: ScheduleFit): ScheduleSpec {
  const offset = fit.params.stepOffset ?? 0;
  const spec: ScheduleSpec = { family: fit.family, params: fit.params };
  if (fit.variant) spec.variant = fit.variant;
  if (fit.milestones) spec.milestones = fit.milestones.map((m) => m - offset);
  if (fit.levels) spec.levels = fit.levels;
  if (fit.restarts) spec.restarts = fit.restarts.map((r) => r - offset);
  return spec;
}

/** The curve of a reported fit over logged steps, for overlays and previews. */
export function fitCurve(fit: ScheduleFit): (step: number) => number {
  return scheduleFn(fitSpec(fit));
}

/** Logged steps where a reported fit's curve has a corner or a jump, up to `lastStep`. */
export function fitBreakpoints(fit: ScheduleFit, lastStep: number): number[] {
  return scheduleBreakpoints(fitSpec(fit), lastStep);
}
