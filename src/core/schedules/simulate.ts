// Schedule curves for previews: a library call (as a snippet would write it) or a fitted
// canonical schedule, evaluated over a run's real length and decimated for a chart.
//
// The curve is evaluated at every step up to MAX_EVALUATIONS steps (closed forms are
// O(1) per step), more sparsely beyond that plus the schedule's known corners, then
// reduced to about `points` with a min/max- and jump-preserving decimation so staircases
// and restarts keep their corners on the chart.
import * as hf from './huggingface';
import * as keras from './keras';
import * as optax from './optax';
import * as pt from './pytorch';
import { scheduleBreakpoints, scheduleFn, type ScheduleSpec } from './families';
import type { ScheduleFn } from './types';

/** Steps evaluated one by one before sampling sparsely. */
export const MAX_EVALUATIONS = 200_000;

export type PytorchName =
  | 'StepLR'
  | 'MultiStepLR'
  | 'ConstantLR'
  | 'LinearLR'
  | 'ExponentialLR'
  | 'PolynomialLR'
  | 'CosineAnnealingLR'
  | 'CosineAnnealingWarmRestarts'
  | 'CyclicLR'
  | 'OneCycleLR';

export type KerasName = 'ExponentialDecay' | 'PiecewiseConstantDecay' | 'PolynomialDecay' | 'InverseTimeDecay' | 'CosineDecay' | 'CosineDecayRestarts';

export type OptaxName =
  | 'constant_schedule'
  | 'polynomial_schedule'
  | 'linear_schedule'
  | 'piecewise_constant_schedule'
  | 'exponential_decay'
  | 'cosine_decay_schedule'
  | 'warmup_constant_schedule'
  | 'warmup_cosine_decay_schedule'
  | 'warmup_exponential_decay_schedule'
  | 'linear_onecycle_schedule'
  | 'cosine_onecycle_schedule';

/** A schedule as a library call: the function or class name and its keyword arguments. */
export type LibrarySchedule = (
  | { library: 'pytorch'; name: PytorchName; args: Record<string, unknown> }
  | { library: 'pytorch'; name: 'SequentialLR'; schedulers: LibrarySchedule[]; milestones: number[] }
  | { library: 'huggingface'; name: hf.HfSchedulerType; args: Record<string, unknown> }
  | { library: 'keras'; name: KerasName; args: Record<string, unknown> }
  | { library: 'optax'; name: OptaxName; args: Record<string, unknown> }
) & {
  /**
   * How often the scheduler is stepped, in optimizer steps: 1 (default) for per-batch
   * stepping, the epoch length for a scheduler stepped once per epoch (PyTorch's usual
   * loop, Lightning `interval: 'epoch'`). Its arguments then count epochs.
   */
  stepEvery?: number;
};

export type SimulationInput = LibrarySchedule | ScheduleSpec;

export interface Simulation {
  steps: Float64Array;
  values: Float64Array;
}

/** A library schedule as a function of the optimizer step, or the reason it cannot be built. */
export function libraryScheduleFn(s: LibrarySchedule): { fn: ScheduleFn } | { error: string } {
  try {
    const base = build(s);
    const every = s.stepEvery ?? 1;
    return { fn: every > 1 ? (t) => base(Math.floor(t / every)) : base };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** A required numeric argument, or an error naming it. */
function num(args: Record<string, unknown>, key: string, who: string): number {
  const v = args[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new RangeError(`${who} needs a number for ${key}`);
  return v;
}

function opt(args: Record<string, unknown>, key: string): number | undefined {
  const v = args[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function nums(args: Record<string, unknown>, key: string, who: string): number[] {
  const v = args[key];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new RangeError(`${who} needs a list of numbers for ${key}`);
  return v as number[];
}

function scales(args: Record<string, unknown>, key: string): Record<number, number> | undefined {
  const v = args[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object') throw new RangeError(`${key} must map steps to scales`);
  const out: Record<number, number> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (typeof x === 'number') out[Number(k)] = x;
  return out;
}

function build(s: LibrarySchedule): ScheduleFn {
  if (s.library === 'pytorch' && s.name === 'SequentialLR') {
    if (s.milestones.length !== s.schedulers.length - 1) throw new RangeError('SequentialLR needs one milestone fewer than schedulers');
    return pt.sequentialLR({ schedulers: s.schedulers.map(build), milestones: s.milestones });
  }
  const a = 'args' in s ? s.args : {};
  const who = s.name;
  switch (s.library) {
    case 'pytorch': {
      const lr = (): number => num(a, 'lr', who);
      switch (s.name) {
        case 'StepLR':
          return pt.stepLR({ lr: lr(), step_size: num(a, 'step_size', who), gamma: opt(a, 'gamma') });
        case 'MultiStepLR':
          return pt.multiStepLR({ lr: lr(), milestones: nums(a, 'milestones', who), gamma: opt(a, 'gamma') });
        case 'ConstantLR':
          return pt.constantLR({ lr: lr(), factor: opt(a, 'factor'), total_iters: opt(a, 'total_iters') });
        case 'LinearLR':
          return pt.linearLR({ lr: lr(), start_factor: opt(a, 'start_factor'), end_factor: opt(a, 'end_factor'), total_iters: opt(a, 'total_iters') });
        case 'ExponentialLR':
          return pt.exponentialLR({ lr: lr(), gamma: num(a, 'gamma', who) });
        case 'PolynomialLR':
          return pt.polynomialLR({ lr: lr(), total_iters: opt(a, 'total_iters'), power: opt(a, 'power') });
        case 'CosineAnnealingLR':
          return pt.cosineAnnealingLR({ lr: lr(), T_max: num(a, 'T_max', who), eta_min: opt(a, 'eta_min') });
        case 'CosineAnnealingWarmRestarts':
          return pt.cosineAnnealingWarmRestarts({ lr: lr(), T_0: num(a, 'T_0', who), T_mult: opt(a, 'T_mult'), eta_min: opt(a, 'eta_min') });
        case 'CyclicLR': {
          const mode = a.mode === 'triangular2' || a.mode === 'exp_range' ? a.mode : 'triangular';
          return pt.cyclicLR({
            base_lr: num(a, 'base_lr', who),
            max_lr: num(a, 'max_lr', who),
            step_size_up: opt(a, 'step_size_up'),
            step_size_down: opt(a, 'step_size_down'),
            mode,
            gamma: opt(a, 'gamma'),
          });
        }
        case 'OneCycleLR': {
          const o: pt.OneCycleLROptions = {
            max_lr: num(a, 'max_lr', who),
            total_steps: opt(a, 'total_steps'),
            epochs: opt(a, 'epochs'),
            steps_per_epoch: opt(a, 'steps_per_epoch'),
            pct_start: opt(a, 'pct_start'),
            anneal_strategy: a.anneal_strategy === 'linear' ? 'linear' : 'cos',
            div_factor: opt(a, 'div_factor'),
            final_div_factor: opt(a, 'final_div_factor'),
            three_phase: a.three_phase === true,
          };
          if (!Number.isFinite(pt.oneCycleTotalSteps(o))) throw new RangeError('OneCycleLR needs total_steps, or epochs and steps_per_epoch');
          return pt.oneCycleLR(o);
        }
      }
      break;
    }
    case 'huggingface':
      num(a, 'lr', who);
      return hf.hfScheduler(s.name, a as { lr: number });
    case 'keras': {
      const init = (): number => num(a, 'initial_learning_rate', who);
      switch (s.name) {
        case 'ExponentialDecay':
          return keras.exponentialDecay({ initial_learning_rate: init(), decay_steps: num(a, 'decay_steps', who), decay_rate: num(a, 'decay_rate', who), staircase: a.staircase === true });
        case 'InverseTimeDecay':
          return keras.inverseTimeDecay({ initial_learning_rate: init(), decay_steps: num(a, 'decay_steps', who), decay_rate: num(a, 'decay_rate', who), staircase: a.staircase === true });
        case 'PiecewiseConstantDecay':
          return keras.piecewiseConstantDecay({ boundaries: nums(a, 'boundaries', who), values: nums(a, 'values', who) });
        case 'PolynomialDecay':
          return keras.polynomialDecay({
            initial_learning_rate: init(),
            decay_steps: num(a, 'decay_steps', who),
            end_learning_rate: opt(a, 'end_learning_rate'),
            power: opt(a, 'power'),
            cycle: a.cycle === true,
          });
        case 'CosineDecay':
          return keras.cosineDecay({
            initial_learning_rate: init(),
            decay_steps: num(a, 'decay_steps', who),
            alpha: opt(a, 'alpha'),
            warmup_target: opt(a, 'warmup_target'),
            warmup_steps: opt(a, 'warmup_steps'),
          });
        case 'CosineDecayRestarts':
          return keras.cosineDecayRestarts({
            initial_learning_rate: init(),
            first_decay_steps: num(a, 'first_decay_steps', who),
            t_mul: opt(a, 't_mul'),
            m_mul: opt(a, 'm_mul'),
            alpha: opt(a, 'alpha'),
          });
      }
      break;
    }
    case 'optax':
      switch (s.name) {
        case 'constant_schedule':
          return optax.constantSchedule({ value: num(a, 'value', who) });
        case 'polynomial_schedule':
          return optax.polynomialSchedule({
            init_value: num(a, 'init_value', who),
            end_value: num(a, 'end_value', who),
            power: num(a, 'power', who),
            transition_steps: num(a, 'transition_steps', who),
            transition_begin: opt(a, 'transition_begin'),
          });
        case 'linear_schedule':
          return optax.linearSchedule({
            init_value: num(a, 'init_value', who),
            end_value: num(a, 'end_value', who),
            transition_steps: num(a, 'transition_steps', who),
            transition_begin: opt(a, 'transition_begin'),
          });
        case 'piecewise_constant_schedule':
          return optax.piecewiseConstantSchedule({ init_value: num(a, 'init_value', who), boundaries_and_scales: scales(a, 'boundaries_and_scales') });
        case 'exponential_decay':
          return optax.exponentialDecay({
            init_value: num(a, 'init_value', who),
            transition_steps: num(a, 'transition_steps', who),
            decay_rate: num(a, 'decay_rate', who),
            transition_begin: opt(a, 'transition_begin'),
            staircase: a.staircase === true,
            end_value: opt(a, 'end_value'),
          });
        case 'cosine_decay_schedule':
          return optax.cosineDecaySchedule({ init_value: num(a, 'init_value', who), decay_steps: num(a, 'decay_steps', who), alpha: opt(a, 'alpha'), exponent: opt(a, 'exponent') });
        case 'warmup_constant_schedule':
          return optax.warmupConstantSchedule({ init_value: num(a, 'init_value', who), peak_value: num(a, 'peak_value', who), warmup_steps: num(a, 'warmup_steps', who) });
        case 'warmup_cosine_decay_schedule':
          return optax.warmupCosineDecaySchedule({
            init_value: num(a, 'init_value', who),
            peak_value: num(a, 'peak_value', who),
            warmup_steps: num(a, 'warmup_steps', who),
            decay_steps: num(a, 'decay_steps', who),
            end_value: opt(a, 'end_value'),
            exponent: opt(a, 'exponent'),
          });
        case 'warmup_exponential_decay_schedule':
          return optax.warmupExponentialDecaySchedule({
            init_value: num(a, 'init_value', who),
            peak_value: num(a, 'peak_value', who),
            warmup_steps: num(a, 'warmup_steps', who),
            transition_steps: num(a, 'transition_steps', who),
            decay_rate: num(a, 'decay_rate', who),
            transition_begin: opt(a, 'transition_begin'),
            staircase: a.staircase === true,
            end_value: opt(a, 'end_value'),
          });
        case 'linear_onecycle_schedule':
          return optax.linearOnecycleSchedule({
            transition_steps: num(a, 'transition_steps', who),
            peak_value: num(a, 'peak_value', who),
            pct_start: opt(a, 'pct_start'),
            pct_final: opt(a, 'pct_final'),
            div_factor: opt(a, 'div_factor'),
            final_div_factor: opt(a, 'final_div_factor'),
          });
        case 'cosine_onecycle_schedule':
          return optax.cosineOnecycleSchedule({
            transition_steps: num(a, 'transition_steps', who),
            peak_value: num(a, 'peak_value', who),
            pct_start: opt(a, 'pct_start'),
            div_factor: opt(a, 'div_factor'),
            final_div_factor: opt(a, 'final_div_factor'),
          });
      }
  }
  const unknown: { library: string; name: string } = s;
  throw new RangeError(`unknown schedule ${unknown.library}.${unknown.name}`);
}

const isLibrary = (s: SimulationInput): s is LibrarySchedule => 'library' in s;

/**
 * The LR at steps 0 .. totalSteps - 1 of a schedule, at most `points` of them (corners
 * kept). A library schedule that cannot be built gives `{ error }`.
 */
export function simulateSchedule(s: SimulationInput, totalSteps: number, points = 1000): Simulation | { error: string } {
  let fn: ScheduleFn;
  let corners: number[] = [];
  if (isLibrary(s)) {
    const r = libraryScheduleFn(s);
    if ('error' in r) return r;
    fn = r.fn;
    const every = s.stepEvery ?? 1;
    if (every > 1) for (let t = every; t < totalSteps && corners.length < MAX_EVALUATIONS / 4; t += every) corners.push(t - 1, t);
  } else {
    fn = scheduleFn(s);
    corners = scheduleBreakpoints(s, totalSteps - 1).flatMap((t) => [t - 1, t]);
  }
  const n = Math.max(0, Math.floor(totalSteps));
  if (n === 0) return { steps: new Float64Array(0), values: new Float64Array(0) };
  // Evaluate every step, or an even grid plus the corners.
  let ts: number[];
  if (n <= MAX_EVALUATIONS) ts = Array.from({ length: n }, (_, i) => i);
  else {
    const set = new Set<number>();
    const stride = (n - 1) / (MAX_EVALUATIONS - 1);
    for (let k = 0; k < MAX_EVALUATIONS; k++) set.add(Math.round(k * stride));
    for (const c of corners) if (c >= 0 && c < n) set.add(c);
    ts = [...set].sort((a, b) => a - b);
  }
  const vs = ts.map(fn);
  return decimate(Float64Array.from(ts), Float64Array.from(vs), points);
}

/**
 * Keeps at most ~`points` points: per bucket, the first, the minimum, the maximum, both
 * sides of the largest jump (a staircase's corner) and the last, in step order.
 */
export function decimate(steps: Float64Array, values: Float64Array, points: number): Simulation {
  const n = steps.length;
  if (n <= points) return { steps, values };
  const buckets = Math.max(1, Math.floor(points / 6));
  const size = n / buckets;
  const keep: number[] = [];
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor(b * size);
    const hi = Math.min(n, Math.floor((b + 1) * size));
    if (hi <= lo) continue;
    let imin = lo;
    let imax = lo;
    let ijump = lo;
    let jump = -1;
    for (let i = lo; i < hi; i++) {
      if (values[i]! < values[imin]!) imin = i;
      if (values[i]! > values[imax]!) imax = i;
      if (i + 1 < hi) {
        const d = Math.abs(values[i + 1]! - values[i]!);
        if (d > jump) {
          jump = d;
          ijump = i;
        }
      }
    }
    const picks = [lo, imin, imax, hi - 1];
    if (jump > 0) picks.push(ijump, ijump + 1);
    for (const i of [...new Set(picks)].sort((x, y) => x - y)) keep.push(i);
  }
  return { steps: Float64Array.from(keep, (i) => steps[i]!), values: Float64Array.from(keep, (i) => values[i]!) };
}
