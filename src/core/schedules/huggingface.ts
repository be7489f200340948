// Hugging Face `transformers` optimization schedules as exact closed forms of the step.
//
// Source: huggingface/transformers src/transformers/optimization.py. Each schedule is a
// `LambdaLR` whose lambda multiplies the optimizer's `lr`; the factories here take `lr`
// plus the function's own keyword arguments and return `(step) => lr`, the LR after
// `step` scheduler steps. The Trainer logs exactly this value as `learning_rate` at
// `global_step == step`.
import type { ScheduleFn } from './types';

export interface WarmupOptions {
  lr: number;
  num_warmup_steps: number;
}

export interface TrainingOptions extends WarmupOptions {
  num_training_steps: number;
}

/** The linear warmup every schedule here shares: `step / max(1, num_warmup_steps)`. */
function warmup(step: number, w: number): number {
  return step / Math.max(1, w);
}

/** `get_constant_schedule`. */
export function constantSchedule(o: { lr: number }): ScheduleFn {
  return () => o.lr;
}

/** `get_constant_schedule_with_warmup`: 0 → lr over the warmup, then lr. */
export function constantScheduleWithWarmup(o: WarmupOptions): ScheduleFn {
  return (s) => o.lr * (s < o.num_warmup_steps ? warmup(s, o.num_warmup_steps) : 1);
}

/** `get_linear_schedule_with_warmup`: warmup, then linear to 0 at `num_training_steps` (and 0 after). */
export function linearScheduleWithWarmup(o: TrainingOptions): ScheduleFn {
  const w = o.num_warmup_steps;
  const t = o.num_training_steps;
  return (s) => o.lr * (s < w ? warmup(s, w) : Math.max(0, (t - s) / Math.max(1, t - w)));
}

export interface CosineOptions extends TrainingOptions {
  /** Waves in the cosine; the default 0.5 is one half-cosine from lr to 0. */
  num_cycles?: number;
}

/**
 * `get_cosine_schedule_with_warmup`: after warmup,
 * `max(0, 0.5 * (1 + cos(pi * num_cycles * 2 * progress)))`, progress = (step - w) / (t - w).
 * Past `num_training_steps` it is not clamped: with num_cycles 0.5 it climbs back up.
 */
export function cosineScheduleWithWarmup(o: CosineOptions): ScheduleFn {
  return cosineWithMinLrScheduleWithWarmup({ ...o, min_lr_rate: 0 });
}

/** `get_cosine_with_hard_restarts_schedule_with_warmup`: `num_cycles` (default 1) cosines, each from lr to 0; 0 from `num_training_steps` on. */
export function cosineWithHardRestartsScheduleWithWarmup(o: TrainingOptions & { num_cycles?: number }): ScheduleFn {
  const w = o.num_warmup_steps;
  const cycles = o.num_cycles ?? 1;
  return (s) => {
    if (s < w) return o.lr * warmup(s, w);
    const progress = (s - w) / Math.max(1, o.num_training_steps - w);
    if (progress >= 1) return 0;
    return o.lr * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * ((cycles * progress) % 1))));
  };
}

export interface PolynomialOptions extends TrainingOptions {
  /** Default 1e-7. */
  lr_end?: number;
  /** Default 1.0. */
  power?: number;
}

/**
 * `get_polynomial_decay_schedule_with_warmup`: after warmup,
 * `(lr - lr_end) * (1 - (step - w) / (t - w)) ** power + lr_end`; `lr_end` after `t`.
 * (`lr_init` is the optimizer's default lr, i.e. `lr` here.)
 */
export function polynomialDecayScheduleWithWarmup(o: PolynomialOptions): ScheduleFn {
  const w = o.num_warmup_steps;
  const t = o.num_training_steps;
  const lrEnd = o.lr_end ?? 1e-7;
  const power = o.power ?? 1;
  return (s) => {
    if (s < w) return o.lr * warmup(s, w);
    // LambdaLR multiplies the lambda (which divides by lr_init) back by lr.
    if (s > t) return o.lr * (lrEnd / o.lr);
    const pctRemaining = 1 - (s - w) / (t - w);
    return o.lr * (((o.lr - lrEnd) * pctRemaining ** power + lrEnd) / o.lr);
  };
}

export interface InverseSqrtOptions extends WarmupOptions {
  /** Defaults to `num_warmup_steps`, or 10 000 when that is 0. */
  timescale?: number;
}

/** `get_inverse_sqrt_schedule`: after warmup, `lr / sqrt((step + timescale - w) / timescale)`. */
export function inverseSqrtSchedule(o: InverseSqrtOptions): ScheduleFn {
  const w = o.num_warmup_steps;
  const timescale = o.timescale ?? (w || 10_000);
  return (s) => {
    if (s < w) return o.lr * warmup(s, w);
    const shift = timescale - w;
    return o.lr * (1 / Math.sqrt((s + shift) / timescale));
  };
}

export interface CosineMinLrOptions extends CosineOptions {
  /** The floor as an LR; give this or `min_lr_rate`. */
  min_lr?: number;
  /** The floor as a fraction of `lr`. */
  min_lr_rate?: number;
}

/** `get_cosine_with_min_lr_schedule_with_warmup`: the cosine factor rescaled to end at `min_lr`. */
export function cosineWithMinLrScheduleWithWarmup(o: CosineMinLrOptions): ScheduleFn {
  const w = o.num_warmup_steps;
  const cycles = o.num_cycles ?? 0.5;
  const rate = o.min_lr_rate ?? (o.min_lr !== undefined ? o.min_lr / o.lr : NaN);
  return (s) => {
    if (s < w) return o.lr * warmup(s, w);
    const progress = (s - w) / Math.max(1, o.num_training_steps - w);
    const factor = 0.5 * (1 + Math.cos(Math.PI * cycles * 2 * progress));
    return o.lr * Math.max(0, factor * (1 - rate) + rate);
  };
}

export interface CosineMinLrWarmupRateOptions extends CosineMinLrOptions {
  /** Warmup starts at this fraction of `lr`; unset, the warmup is `(step + 1) / w`. */
  warmup_lr_rate?: number;
}

/**
 * `get_cosine_with_min_lr_schedule_with_warmup_lr_rate` (scheduler type
 * `cosine_warmup_with_min_lr`): like the min-lr cosine but counted one step later, so the
 * first step already has a nonzero LR and the cosine reaches `min_lr` at `t - 1`.
 */
export function cosineWithMinLrScheduleWithWarmupLrRate(o: CosineMinLrWarmupRateOptions): ScheduleFn {
  const w = o.num_warmup_steps;
  const t = o.num_training_steps;
  const cycles = o.num_cycles ?? 0.5;
  const rate = o.min_lr_rate ?? (o.min_lr !== undefined ? o.min_lr / o.lr : NaN);
  return (s) => {
    if (s < w) {
      if (o.warmup_lr_rate === undefined) return o.lr * ((s + 1) / Math.max(1, w));
      const r = o.warmup_lr_rate;
      return o.lr * (r + ((1 - r) * s) / Math.max(1, w - 1));
    }
    const progress = (s - w + 1) / Math.max(1, t - w);
    const factor = 0.5 * (1 + Math.cos(Math.PI * cycles * 2 * progress));
    return o.lr * Math.max(0, factor * (1 - rate) + rate);
  };
}

export type WsdShape = 'linear' | 'cosine' | '1-sqrt';

export interface WsdOptions extends WarmupOptions {
  num_decay_steps: number;
  /** Used when `num_stable_steps` is absent: stable = t - warmup - decay. */
  num_training_steps?: number;
  num_stable_steps?: number;
  /** Default 'linear'. */
  warmup_type?: WsdShape;
  /** Default 'cosine'. */
  decay_type?: WsdShape;
  /** Default 0. */
  min_lr_ratio?: number;
  /** Default 0.5. */
  num_cycles?: number;
}

/**
 * `get_wsd_schedule` (warmup-stable-decay): warmup from `min_lr_ratio * lr` to `lr`
 * (linear, cosine or 1-sqrt), `lr` for the stable phase, decay to `min_lr_ratio * lr`
 * (linear, cosine or 1-sqrt), then `min_lr_ratio * lr`.
 */
export function wsdSchedule(o: WsdOptions): ScheduleFn {
  const w = o.num_warmup_steps;
  const d = o.num_decay_steps;
  const stable = o.num_stable_steps ?? (o.num_training_steps ?? NaN) - w - d;
  const wType = o.warmup_type ?? 'linear';
  const dType = o.decay_type ?? 'cosine';
  const minRatio = o.min_lr_ratio ?? 0;
  const cycles = o.num_cycles ?? 0.5;
  return (s) => {
    if (s < w) {
      const p = s / Math.max(1, w);
      const f = wType === 'linear' ? p : wType === 'cosine' ? 0.5 * (1 - Math.cos(Math.PI * p)) : 1 - Math.sqrt(1 - p);
      return o.lr * Math.max(0, f * (1 - minRatio) + minRatio);
    }
    if (s < w + stable) return o.lr;
    if (s < w + stable + d) {
      const p = (s - w - stable) / Math.max(1, d);
      const f = dType === 'linear' ? 1 - p : dType === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * cycles * 2 * p)) : 1 - Math.sqrt(p);
      return o.lr * Math.max(0, f * (1 - minRatio) + minRatio);
    }
    return o.lr * minRatio;
  };
}

/** `SchedulerType` names accepted by `get_scheduler` / `TrainingArguments.lr_scheduler_type`. */
export type HfSchedulerType =
  | 'linear'
  | 'cosine'
  | 'cosine_with_restarts'
  | 'polynomial'
  | 'constant'
  | 'constant_with_warmup'
  | 'inverse_sqrt'
  | 'cosine_with_min_lr'
  | 'cosine_warmup_with_min_lr'
  | 'warmup_stable_decay';

/**
 * `get_scheduler(name, ...)` with `scheduler_specific_kwargs` merged into the options.
 * (`reduce_lr_on_plateau` depends on the metric; see pytorch.ts `reduceLROnPlateau`.)
 */
export function hfScheduler(
  name: HfSchedulerType,
  o: { lr: number; num_warmup_steps?: number; num_training_steps?: number } & Record<string, unknown>,
): ScheduleFn {
  const w = o.num_warmup_steps ?? 0;
  const t = o.num_training_steps ?? NaN;
  const num = (k: string): number | undefined => (typeof o[k] === 'number' ? o[k] : undefined);
  const base = { lr: o.lr, num_warmup_steps: w, num_training_steps: t };
  switch (name) {
    case 'constant':
      return constantSchedule(o);
    case 'constant_with_warmup':
      return constantScheduleWithWarmup(base);
    case 'linear':
      return linearScheduleWithWarmup(base);
    case 'cosine':
      return cosineScheduleWithWarmup({ ...base, num_cycles: num('num_cycles') });
    case 'cosine_with_restarts':
      return cosineWithHardRestartsScheduleWithWarmup({ ...base, num_cycles: num('num_cycles') });
    case 'polynomial':
      return polynomialDecayScheduleWithWarmup({ ...base, lr_end: num('lr_end'), power: num('power') });
    case 'inverse_sqrt':
      // get_scheduler passes only num_warmup_steps, so timescale takes its default.
      return inverseSqrtSchedule({ lr: o.lr, num_warmup_steps: w });
    case 'cosine_with_min_lr':
      return cosineWithMinLrScheduleWithWarmup({ ...base, num_cycles: num('num_cycles'), min_lr: num('min_lr'), min_lr_rate: num('min_lr_rate') });
    case 'cosine_warmup_with_min_lr':
      return cosineWithMinLrScheduleWithWarmupLrRate({
        ...base,
        num_cycles: num('num_cycles'),
        min_lr: num('min_lr'),
        min_lr_rate: num('min_lr_rate'),
        warmup_lr_rate: num('warmup_lr_rate'),
      });
    case 'warmup_stable_decay': {
      const ws = (k: string): WsdShape | undefined => {
        const v = o[k];
        return v === 'linear' || v === 'cosine' || v === '1-sqrt' ? v : undefined;
      };
      return wsdSchedule({
        lr: o.lr,
        num_warmup_steps: w,
        num_decay_steps: num('num_decay_steps') ?? NaN,
        num_training_steps: o.num_training_steps,
        num_stable_steps: num('num_stable_steps'),
        warmup_type: ws('warmup_type'),
        decay_type: ws('decay_type'),
        min_lr_ratio: num('min_lr_ratio'),
        num_cycles: num('num_cycles'),
      });
    }
  }
}
