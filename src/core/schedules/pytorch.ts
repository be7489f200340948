// PyTorch `torch.optim.lr_scheduler` schedules as exact closed forms of the step count.
//
// Each factory takes the scheduler's arguments under PyTorch's own names (plus `lr`, the
// optimizer's learning rate, which PyTorch stores as `initial_lr`/`base_lrs`) and returns
// `(step) => lr`: the learning rate the optimizer holds after `scheduler.step()` was
// called `step` times (PyTorch's `last_epoch`), i.e. the LR used by the next optimizer
// step. Step 0 is the value right after construction.
//
// Source: pytorch/pytorch torch/optim/lr_scheduler.py. Most PyTorch schedulers update
// recursively ("chainable form", `get_lr`) and also define `_get_closed_form_lr`; for a
// scheduler that is the only one acting on the optimizer both give the same values, and
// test/unit/schedulesPytorch.test.ts replays each recurrence step by step against the
// closed forms here.
import type { ScheduleFn } from './types';

/** Python's `bisect.bisect_right`: how many entries of sorted `a` are <= `x`. */
function bisectRight(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x < a[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface StepLROptions {
  lr: number;
  step_size: number;
  /** Default 0.1. */
  gamma?: number;
}

/** `StepLR`: `lr * gamma ** (step // step_size)`. */
export function stepLR(o: StepLROptions): ScheduleFn {
  const gamma = o.gamma ?? 0.1;
  return (e) => o.lr * gamma ** Math.floor(e / o.step_size);
}

export interface MultiStepLROptions {
  lr: number;
  /** Steps at which the LR is multiplied by gamma; a repeated milestone multiplies twice. */
  milestones: readonly number[];
  /** Default 0.1. */
  gamma?: number;
}

/** `MultiStepLR`: `lr * gamma ** bisect_right(sorted(milestones), step)`. */
export function multiStepLR(o: MultiStepLROptions): ScheduleFn {
  const gamma = o.gamma ?? 0.1;
  const m = [...o.milestones].sort((a, b) => a - b);
  return (e) => o.lr * gamma ** bisectRight(m, e);
}

export interface ConstantLROptions {
  lr: number;
  /** Default 1/3. */
  factor?: number;
  /** Default 5. */
  total_iters?: number;
}

/** `ConstantLR`: `lr * factor` until `total_iters`, then `lr`. */
export function constantLR(o: ConstantLROptions): ScheduleFn {
  const factor = o.factor ?? 1 / 3;
  const total = o.total_iters ?? 5;
  return (e) => o.lr * (factor + (e >= total ? 1 : 0) * (1 - factor));
}

export interface LinearLROptions {
  lr: number;
  /** Default 1/3. */
  start_factor?: number;
  /** Default 1.0. */
  end_factor?: number;
  /** Default 5. */
  total_iters?: number;
}

/** `LinearLR`: the factor moves linearly from `start_factor` to `end_factor` over `total_iters`, then holds. */
export function linearLR(o: LinearLROptions): ScheduleFn {
  const sf = o.start_factor ?? 1 / 3;
  const ef = o.end_factor ?? 1;
  const total = o.total_iters ?? 5;
  return (e) => o.lr * (sf + ((ef - sf) * Math.min(total, e)) / total);
}

export interface ExponentialLROptions {
  lr: number;
  gamma: number;
}

/** `ExponentialLR`: `lr * gamma ** step`. */
export function exponentialLR(o: ExponentialLROptions): ScheduleFn {
  return (e) => o.lr * o.gamma ** e;
}

export interface PolynomialLROptions {
  lr: number;
  /** Default 5. */
  total_iters?: number;
  /** Default 1.0. */
  power?: number;
}

/** `PolynomialLR`: `lr * (1 - min(total_iters, step) / total_iters) ** power`: 0 from `total_iters` on. */
export function polynomialLR(o: PolynomialLROptions): ScheduleFn {
  const total = o.total_iters ?? 5;
  const power = o.power ?? 1;
  return (e) => o.lr * (1 - Math.min(total, e) / total) ** power;
}

export interface CosineAnnealingLROptions {
  lr: number;
  T_max: number;
  /** Default 0. */
  eta_min?: number;
}

/**
 * `CosineAnnealingLR`: `eta_min + (lr - eta_min) * (1 + cos(pi * step / T_max)) / 2`.
 * It does not stop at `T_max`: stepped further, the LR climbs back to `lr` at `2 * T_max`
 * and keeps oscillating with period `2 * T_max` (both the recursive and the closed form
 * do this; the recursive form special-cases the step after each minimum).
 */
export function cosineAnnealingLR(o: CosineAnnealingLROptions): ScheduleFn {
  const etaMin = o.eta_min ?? 0;
  return (e) => etaMin + ((o.lr - etaMin) * (1 + Math.cos((Math.PI * e) / o.T_max))) / 2;
}

export interface CosineAnnealingWarmRestartsOptions {
  lr: number;
  /** Steps in the first cycle (a positive integer). */
  T_0: number;
  /** Each cycle is `T_mult` times longer than the previous one (an integer >= 1). Default 1. */
  T_mult?: number;
  /** Default 0. */
  eta_min?: number;
}

/** Cycle index, position in the cycle and cycle length at `epoch` (possibly fractional), computed exactly. */
function warmRestartPosition(epoch: number, t0: number, tMult: number): { tCur: number; tI: number } {
  if (epoch < t0) return { tCur: epoch, tI: t0 };
  if (tMult === 1) return { tCur: epoch % t0, tI: t0 };
  // PyTorch: n = int(log(epoch / T_0 * (T_mult - 1) + 1, T_mult)). The float log can land
  // just below an integer at a restart (T_0=1, T_mult=3, epoch=121 gives 4.999...), so the
  // estimate is corrected against the exact cycle starts T_0 * (T_mult^n - 1) / (T_mult - 1).
  let n = Math.floor(Math.log((epoch / t0) * (tMult - 1) + 1) / Math.log(tMult));
  const start = (k: number): number => (t0 * (tMult ** k - 1)) / (tMult - 1);
  while (n > 0 && start(n) > epoch) n--;
  while (start(n + 1) <= epoch) n++;
  return { tCur: epoch - start(n), tI: t0 * tMult ** n };
}

/**
 * `CosineAnnealingWarmRestarts` stepped with `scheduler.step()` once per step (or with
 * `scheduler.step(epoch)` for fractional epochs, e.g. `epoch + i / iters`): cosine from
 * `lr` to `eta_min` over `T_i` steps, then back to `lr`; `T_i = T_0 * T_mult ** i`.
 *
 * With `T_mult > 1`, PyTorch's `step(epoch)` finds the cycle with a floating-point
 * logarithm that lands one ulp low at some restarts (T_0=1, T_mult=3, epoch=121); there
 * PyTorch reports the end of the previous cycle (`eta_min`). This function gives the
 * start of the new cycle, as `step()` called repeatedly does.
 */
export function cosineAnnealingWarmRestarts(o: CosineAnnealingWarmRestartsOptions): ScheduleFn {
  const tMult = o.T_mult ?? 1;
  const etaMin = o.eta_min ?? 0;
  return (e) => {
    const { tCur, tI } = warmRestartPosition(e, o.T_0, tMult);
    return etaMin + ((o.lr - etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
  };
}

export interface CyclicLROptions {
  base_lr: number;
  max_lr: number;
  /** Default 2000. */
  step_size_up?: number;
  /** Defaults to `step_size_up`. */
  step_size_down?: number;
  /** Default 'triangular'. */
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  /** For 'exp_range': the amplitude is scaled by `gamma ** step`. Default 1.0. */
  gamma?: number;
}

/**
 * `CyclicLR` (built-in modes; a custom `scale_fn` is not modelled). 'triangular' and
 * 'triangular2' scale per cycle (`scale_mode='cycle'`), 'exp_range' per iteration:
 *
 *     cycle = floor(1 + step / (up + down)); x = 1 + step / (up + down) - cycle
 *     scale = x / ratio if x <= ratio else (x - 1) / (ratio - 1);  ratio = up / (up + down)
 *     lr = base_lr + (max_lr - base_lr) * scale * scale_fn(cycle or step)
 *
 * with scale_fn = 1, 1 / 2 ** (cycle - 1), or gamma ** step.
 */
export function cyclicLR(o: CyclicLROptions): ScheduleFn {
  const up = o.step_size_up ?? 2000;
  const down = o.step_size_down ?? up;
  const total = up + down;
  const ratio = up / total;
  const mode = o.mode ?? 'triangular';
  const gamma = o.gamma ?? 1;
  return (e) => {
    const cycle = Math.floor(1 + e / total);
    const x = 1 + e / total - cycle;
    const scale = x <= ratio ? x / ratio : (x - 1) / (ratio - 1);
    const height = (o.max_lr - o.base_lr) * scale;
    const s = mode === 'triangular' ? 1 : mode === 'triangular2' ? 1 / 2 ** (cycle - 1) : gamma ** e;
    return o.base_lr + height * s;
  };
}

export interface OneCycleLROptions {
  max_lr: number;
  /** Either this, or `epochs * steps_per_epoch`. */
  total_steps?: number;
  epochs?: number;
  steps_per_epoch?: number;
  /** Default 0.3. */
  pct_start?: number;
  /** Default 'cos'. */
  anneal_strategy?: 'cos' | 'linear';
  /** initial_lr = max_lr / div_factor. Default 25. */
  div_factor?: number;
  /** min_lr = initial_lr / final_div_factor. Default 1e4. */
  final_div_factor?: number;
  /** Default false. */
  three_phase?: boolean;
}

/** OneCycleLR's total step count from its arguments, as its constructor derives it. */
export function oneCycleTotalSteps(o: OneCycleLROptions): number {
  if (o.total_steps !== undefined) return o.total_steps;
  if (o.epochs !== undefined && o.steps_per_epoch !== undefined) return o.epochs * o.steps_per_epoch;
  return NaN;
}

/**
 * `OneCycleLR`. Phases end at `pct_start * total_steps - 1` (and, three-phase,
 * `2 * pct_start * total_steps - 2`) and `total_steps - 1`; each anneals from its start
 * to its end LR with `(cos(pi * pct) + 1) / 2` or linearly, where
 * `pct = (step - phase_start) / (phase_end - phase_start)`. Step `total_steps` is still
 * computed (pct slightly above 1); past it PyTorch raises, and this returns NaN.
 */
export function oneCycleLR(o: OneCycleLROptions): ScheduleFn {
  const total = oneCycleTotalSteps(o);
  const pct = o.pct_start ?? 0.3;
  const div = o.div_factor ?? 25;
  const finalDiv = o.final_div_factor ?? 1e4;
  const initial = o.max_lr / div;
  const min = initial / finalDiv;
  const cos = (o.anneal_strategy ?? 'cos') === 'cos';
  const phases: { end: number; from: number; to: number }[] = o.three_phase
    ? [
        { end: pct * total - 1, from: initial, to: o.max_lr },
        { end: 2 * pct * total - 2, from: o.max_lr, to: initial },
        { end: total - 1, from: initial, to: min },
      ]
    : [
        { end: pct * total - 1, from: initial, to: o.max_lr },
        { end: total - 1, from: o.max_lr, to: min },
      ];
  const anneal = (from: number, to: number, p: number): number =>
    cos ? to + ((from - to) / 2) * (Math.cos(Math.PI * p) + 1) : (to - from) * p + from;
  return (e) => {
    if (!(e <= total)) return NaN;
    let start = 0;
    for (let i = 0; i < phases.length; i++) {
      const ph = phases[i]!;
      if (e <= ph.end || i === phases.length - 1) return anneal(ph.from, ph.to, (e - start) / (ph.end - start));
      start = ph.end;
    }
    return NaN;
  };
}

export interface SequentialLROptions {
  /** The schedulers' own curves, each counted from its own start. */
  schedulers: readonly ScheduleFn[];
  /** `schedulers.length - 1` increasing steps at which the next scheduler takes over. */
  milestones: readonly number[];
}

/**
 * `SequentialLR`: scheduler `i` runs from `milestones[i-1]` on, restarted at its own step 0
 * (PyTorch calls `_update_lr(0)` on it at the milestone, then `step()`).
 */
export function sequentialLR(o: SequentialLROptions): ScheduleFn {
  return (e) => {
    const idx = bisectRight(o.milestones, e);
    const start = idx > 0 ? o.milestones[idx - 1]! : 0;
    return o.schedulers[idx]!(e - start);
  };
}

export interface ReduceLROnPlateauOptions {
  lr: number;
  /** Default 'min'. */
  mode?: 'min' | 'max';
  /** Default 0.1. */
  factor?: number;
  /** Default 10. */
  patience?: number;
  /** Default 1e-4. */
  threshold?: number;
  /** Default 'rel'. */
  threshold_mode?: 'rel' | 'abs';
  /** Default 0. */
  cooldown?: number;
  /** Default 0. */
  min_lr?: number;
  /** Default 1e-8. */
  eps?: number;
}

/**
 * `ReduceLROnPlateau` replayed over the metric values passed to `step(metric)`: returns
 * the LR after each call. A call counts as bad unless the metric beats the best so far by
 * the threshold; after more than `patience` bad calls the LR becomes
 * `max(lr * factor, min_lr)` (skipped if that changes it by `eps` or less), then
 * `cooldown` calls are ignored.
 */
export function reduceLROnPlateau(o: ReduceLROnPlateauOptions, metrics: readonly number[]): number[] {
  const mode = o.mode ?? 'min';
  const factor = o.factor ?? 0.1;
  const patience = o.patience ?? 10;
  const threshold = o.threshold ?? 1e-4;
  const thresholdMode = o.threshold_mode ?? 'rel';
  const cooldown = o.cooldown ?? 0;
  const minLr = o.min_lr ?? 0;
  const eps = o.eps ?? 1e-8;
  const isBetter = (a: number, best: number): boolean => {
    if (mode === 'min' && thresholdMode === 'rel') return a < best * (1 - threshold);
    if (mode === 'min') return a < best - threshold;
    if (thresholdMode === 'rel') return a > best * (threshold + 1);
    return a > best + threshold;
  };
  let lr = o.lr;
  let best = mode === 'min' ? Infinity : -Infinity;
  let bad = 0;
  let cooldownCounter = 0;
  const out: number[] = [];
  for (const m of metrics) {
    if (isBetter(m, best)) {
      best = m;
      bad = 0;
    } else bad++;
    if (cooldownCounter > 0) {
      cooldownCounter--;
      bad = 0;
    }
    if (bad > patience) {
      const next = Math.max(lr * factor, minLr);
      if (lr - next > eps) lr = next;
      cooldownCounter = cooldown;
      bad = 0;
    }
    out.push(lr);
  }
  return out;
}
