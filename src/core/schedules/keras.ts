// Keras `keras.optimizers.schedules` as exact closed forms of the optimizer step.
//
// Source: keras-team/keras keras/src/optimizers/schedules/learning_rate_schedule.py.
// Factories take the class's constructor arguments under Keras's names and return
// `(step) => lr` as `schedule(step)` computes it. Keras evaluates in the dtype of
// `initial_learning_rate` (float32 by default); these use float64, so they agree with
// Keras to float32 precision (about 1e-7 relative), not bit for bit.
import type { ScheduleFn } from './types';

export interface ExponentialDecayOptions {
  initial_learning_rate: number;
  decay_steps: number;
  decay_rate: number;
  /** Default false. */
  staircase?: boolean;
}

/** `ExponentialDecay`: `initial * decay_rate ** (step / decay_steps)`, the exponent floored when `staircase`. */
export function exponentialDecay(o: ExponentialDecayOptions): ScheduleFn {
  return (s) => {
    let p = s / o.decay_steps;
    if (o.staircase) p = Math.floor(p);
    return o.initial_learning_rate * o.decay_rate ** p;
  };
}

export interface PiecewiseConstantDecayOptions {
  /** Strictly increasing steps. */
  boundaries: readonly number[];
  /** One more than `boundaries`. */
  values: readonly number[];
}

/** `PiecewiseConstantDecay`: `values[0]` while `step <= boundaries[0]`, `values[i+1]` for `boundaries[i] < step <= boundaries[i+1]`, `values[-1]` after. */
export function piecewiseConstantDecay(o: PiecewiseConstantDecayOptions): ScheduleFn {
  return (s) => {
    const b = o.boundaries;
    if (b.length === 0 || s <= b[0]!) return o.values[0]!;
    for (let i = 0; i + 1 < b.length; i++) if (s > b[i]! && s <= b[i + 1]!) return o.values[i + 1]!;
    return o.values[o.values.length - 1]!;
  };
}

export interface PolynomialDecayOptions {
  initial_learning_rate: number;
  decay_steps: number;
  /** Default 0.0001. */
  end_learning_rate?: number;
  /** Default 1.0. */
  power?: number;
  /** Default false. */
  cycle?: boolean;
}

/**
 * `PolynomialDecay`: `(initial - end) * (1 - step / decay_steps) ** power + end`, with
 * `step` capped at `decay_steps`; with `cycle`, `decay_steps` is stretched to the first
 * multiple not below `step` (to `decay_steps` itself at step 0).
 */
export function polynomialDecay(o: PolynomialDecayOptions): ScheduleFn {
  const end = o.end_learning_rate ?? 0.0001;
  const power = o.power ?? 1;
  return (s) => {
    let step = s;
    let ds = o.decay_steps;
    if (o.cycle) ds = ds * (step === 0 ? 1 : Math.ceil(step / o.decay_steps));
    else step = Math.min(step, ds);
    const p = step / ds;
    return (o.initial_learning_rate - end) * (1 - p) ** power + end;
  };
}

export interface InverseTimeDecayOptions {
  initial_learning_rate: number;
  decay_steps: number;
  decay_rate: number;
  /** Default false. */
  staircase?: boolean;
}

/** `InverseTimeDecay`: `initial / (1 + decay_rate * step / decay_steps)`, floored when `staircase`. */
export function inverseTimeDecay(o: InverseTimeDecayOptions): ScheduleFn {
  return (s) => {
    let p = s / o.decay_steps;
    if (o.staircase) p = Math.floor(p);
    return o.initial_learning_rate / (1 + o.decay_rate * p);
  };
}

export interface CosineDecayOptions {
  initial_learning_rate: number;
  decay_steps: number;
  /** Floor as a fraction of the decay's starting LR. Default 0. */
  alpha?: number;
  /** With a target, warm up linearly from `initial_learning_rate` to it first. */
  warmup_target?: number | null;
  /** Default 0. */
  warmup_steps?: number;
}

/**
 * `CosineDecay`: optional linear warmup from `initial_learning_rate` to `warmup_target`
 * over `warmup_steps`, then `from * ((1 - alpha) * 0.5 * (1 + cos(pi * t / decay_steps)) + alpha)`
 * with `t` capped at `decay_steps` (`from` is the warmup target, or the initial LR).
 */
export function cosineDecay(o: CosineDecayOptions): ScheduleFn {
  const alpha = o.alpha ?? 0;
  const decay = (t: number, from: number): number => {
    const cosineDecayed = 0.5 * (1 + Math.cos(Math.PI * (t / o.decay_steps)));
    return from * ((1 - alpha) * cosineDecayed + alpha);
  };
  const target = o.warmup_target;
  if (target === undefined || target === null) return (s) => decay(Math.min(s, o.decay_steps), o.initial_learning_rate);
  const ws = o.warmup_steps ?? 0;
  return (s) => {
    const step = Math.min(s, o.decay_steps + ws);
    if (step < ws) return (target - o.initial_learning_rate) * (step / ws) + o.initial_learning_rate;
    return decay(step - ws, target);
  };
}

export interface CosineDecayRestartsOptions {
  initial_learning_rate: number;
  first_decay_steps: number;
  /** Each period is `t_mul` times longer. Default 2.0. */
  t_mul?: number;
  /** Each restart starts at `m_mul` times the previous peak. Default 1.0. */
  m_mul?: number;
  /** Floor as a fraction of the initial LR. Default 0. */
  alpha?: number;
}

/**
 * `CosineDecayRestarts` (SGDR): `initial * ((1 - alpha) * m_mul ** i * 0.5 * (1 + cos(pi * f)) + alpha)`
 * where `i` is the restart index and `f` the completed fraction of period `i`, found from
 * `completed = step / first_decay_steps` as Keras does (geometrically when `t_mul != 1`).
 */
export function cosineDecayRestarts(o: CosineDecayRestartsOptions): ScheduleFn {
  const tMul = o.t_mul ?? 2;
  const mMul = o.m_mul ?? 1;
  const alpha = o.alpha ?? 0;
  return (s) => {
    let completed = s / o.first_decay_steps;
    let iRestart: number;
    if (tMul === 1) {
      iRestart = Math.floor(completed);
      completed -= iRestart;
    } else {
      iRestart = Math.floor(Math.log(1 - completed * (1 - tMul)) / Math.log(tMul));
      const sumR = (1 - tMul ** iRestart) / (1 - tMul);
      completed = (completed - sumR) / tMul ** iRestart;
    }
    const mFac = mMul ** iRestart;
    const cosineDecayed = 0.5 * mFac * (1 + Math.cos(Math.PI * completed));
    return o.initial_learning_rate * ((1 - alpha) * cosineDecayed + alpha);
  };
}
