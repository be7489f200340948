// optax schedules as exact closed forms of the step count.
//
// Sources: google-deepmind/optax optax/schedules/_schedule.py and _join.py. Factories
// take the functions' keyword arguments under optax's names and return `(count) => value`.
// optax evaluates in JAX's default float32; these use float64, so they agree to float32
// precision. Where optax raises on bad arguments these throw a RangeError with its message.
import type { ScheduleFn } from './types';

/** `constant_schedule(value)`. */
export function constantSchedule(o: { value: number }): ScheduleFn {
  return () => o.value;
}

export interface PolynomialScheduleOptions {
  init_value: number;
  end_value: number;
  power: number;
  transition_steps: number;
  /** Default 0; negative values fall back to 0. */
  transition_begin?: number;
}

/**
 * `polynomial_schedule`: `(init - end) * (1 - clip(count - begin, 0, steps) / steps) ** power + end`;
 * constant `init_value` when `transition_steps <= 0`.
 */
export function polynomialSchedule(o: PolynomialScheduleOptions): ScheduleFn {
  if (o.transition_steps <= 0) return () => o.init_value;
  const begin = Math.max(0, o.transition_begin ?? 0);
  return (c) => {
    const count = Math.min(Math.max(c - begin, 0), o.transition_steps);
    const frac = 1 - count / o.transition_steps;
    return (o.init_value - o.end_value) * frac ** o.power + o.end_value;
  };
}

/** `linear_schedule`: `polynomial_schedule` with power 1. */
export function linearSchedule(o: Omit<PolynomialScheduleOptions, 'power'>): ScheduleFn {
  return polynomialSchedule({ ...o, power: 1 });
}

export interface PiecewiseConstantScheduleOptions {
  init_value: number;
  /** `{step: scale}`: from `step` on (count >= step) the value is multiplied by `scale`. */
  boundaries_and_scales?: Readonly<Record<number, number>>;
}

/** `piecewise_constant_schedule`: `init_value` times every scale whose boundary has been reached. */
export function piecewiseConstantSchedule(o: PiecewiseConstantScheduleOptions): ScheduleFn {
  const entries = sortedEntries(o.boundaries_and_scales);
  if (entries.some(([, s]) => !(s >= 0))) throw new RangeError('`piecewise_constant_schedule` expects non-negative scale factors');
  return (c) => {
    let v = o.init_value;
    for (const [threshold, scale] of entries) {
      const indicator = Math.max(0, Math.sign(threshold - c));
      v = v * indicator + (1 - indicator) * scale * v;
    }
    return v;
  };
}

function sortedEntries(m: Readonly<Record<number, number>> | undefined): [number, number][] {
  return Object.entries(m ?? {})
    .map(([k, v]): [number, number] => [Number(k), v])
    .sort((a, b) => a[0] - b[0]);
}

export interface ExponentialDecayOptions {
  init_value: number;
  transition_steps: number;
  decay_rate: number;
  /** Default 0; negative values fall back to 0. */
  transition_begin?: number;
  /** Default false. */
  staircase?: boolean;
  /** A floor when decay_rate < 1, a ceiling otherwise. */
  end_value?: number;
}

/**
 * `exponential_decay`: `init * decay_rate ** ((count - begin) / steps)` (exponent floored
 * when `staircase`), `init` until `begin`, clipped at `end_value`; constant `init_value`
 * when `transition_steps <= 0` or `decay_rate == 0`.
 */
export function exponentialDecay(o: ExponentialDecayOptions): ScheduleFn {
  if (o.transition_steps <= 0 || o.decay_rate === 0) return () => o.init_value;
  const begin = Math.max(0, o.transition_begin ?? 0);
  const clip = o.end_value === undefined ? undefined : o.decay_rate < 1 ? Math.max : Math.min;
  return (c) => {
    const decreased = c - begin;
    let p = decreased / o.transition_steps;
    if (o.staircase) p = Math.floor(p);
    const v = decreased <= 0 ? o.init_value : o.init_value * o.decay_rate ** p;
    return clip ? clip(v, o.end_value!) : v;
  };
}

export interface CosineDecayScheduleOptions {
  init_value: number;
  /** Must be positive. */
  decay_steps: number;
  /** Default 0. */
  alpha?: number;
  /** Default 1. */
  exponent?: number;
}

/** `cosine_decay_schedule`: `init * ((1 - alpha) * (0.5 * (1 + cos(pi * min(count, T) / T))) ** exponent + alpha)`. */
export function cosineDecaySchedule(o: CosineDecayScheduleOptions): ScheduleFn {
  if (!(o.decay_steps > 0)) throw new RangeError(`The cosine_decay_schedule requires positive decay_steps, got decay_steps=${o.decay_steps}.`);
  const alpha = o.alpha ?? 0;
  const exponent = o.exponent ?? 1;
  return (c) => {
    const count = Math.min(c, o.decay_steps);
    const cosineDecay = 0.5 * (1 + Math.cos((Math.PI * count) / o.decay_steps));
    return o.init_value * ((1 - alpha) * cosineDecay ** exponent + alpha);
  };
}

/** `join_schedules`: schedule `i` from `boundaries[i-1]` on, given the count since that boundary. */
export function joinSchedules(schedules: readonly ScheduleFn[], boundaries: readonly number[]): ScheduleFn {
  return (step) => {
    let out = schedules[0]!(step);
    for (let i = 0; i < boundaries.length && i + 1 < schedules.length; i++) {
      const b = boundaries[i]!;
      if (!(step < b)) out = schedules[i + 1]!(step - b);
    }
    return out;
  };
}

/** `warmup_constant_schedule`: linear from `init_value` to `peak_value` over `warmup_steps`, then `peak_value`. */
export function warmupConstantSchedule(o: { init_value: number; peak_value: number; warmup_steps: number }): ScheduleFn {
  return linearSchedule({ init_value: o.init_value, end_value: o.peak_value, transition_steps: o.warmup_steps });
}

export interface WarmupCosineDecayScheduleOptions {
  init_value: number;
  peak_value: number;
  warmup_steps: number;
  /** The total length, warmup included: the cosine lasts `decay_steps - warmup_steps`. */
  decay_steps: number;
  /** Default 0. */
  end_value?: number;
  /** Default 1. */
  exponent?: number;
}

/** `warmup_cosine_decay_schedule`: linear warmup, then a cosine from `peak_value` to `end_value`. */
export function warmupCosineDecaySchedule(o: WarmupCosineDecayScheduleOptions): ScheduleFn {
  const end = o.end_value ?? 0;
  const alpha = o.peak_value === 0 ? 0 : end / o.peak_value;
  return joinSchedules(
    [
      linearSchedule({ init_value: o.init_value, end_value: o.peak_value, transition_steps: o.warmup_steps }),
      cosineDecaySchedule({ init_value: o.peak_value, decay_steps: o.decay_steps - o.warmup_steps, alpha, exponent: o.exponent }),
    ],
    [o.warmup_steps],
  );
}

export interface WarmupExponentialDecayScheduleOptions {
  init_value: number;
  peak_value: number;
  warmup_steps: number;
  transition_steps: number;
  decay_rate: number;
  transition_begin?: number;
  staircase?: boolean;
  end_value?: number;
}

/** `warmup_exponential_decay_schedule`: linear warmup, then `exponential_decay` from `peak_value`. */
export function warmupExponentialDecaySchedule(o: WarmupExponentialDecayScheduleOptions): ScheduleFn {
  return joinSchedules(
    [
      linearSchedule({ init_value: o.init_value, end_value: o.peak_value, transition_steps: o.warmup_steps }),
      exponentialDecay({
        init_value: o.peak_value,
        transition_steps: o.transition_steps,
        decay_rate: o.decay_rate,
        transition_begin: o.transition_begin,
        staircase: o.staircase,
        end_value: o.end_value,
      }),
    ],
    [o.warmup_steps],
  );
}

/** `sgdr_schedule`: `warmup_cosine_decay_schedule` cycles joined end to end (each lasts its `decay_steps`). */
export function sgdrSchedule(cosineKwargs: readonly WarmupCosineDecayScheduleOptions[]): ScheduleFn {
  const boundaries: number[] = [];
  let step = 0;
  for (const k of cosineKwargs) {
    step += k.decay_steps;
    boundaries.push(step);
  }
  return joinSchedules(cosineKwargs.map(warmupCosineDecaySchedule), boundaries.slice(0, -1));
}

/**
 * `piecewise_interpolate_schedule`: the running products of `init_value` and the scales,
 * interpolated linearly or with a half cosine between consecutive boundaries (the first
 * boundary is 0). Counts below 0 give 0, as optax's indicator sum does.
 */
export function piecewiseInterpolateSchedule(
  interpolate_type: 'linear' | 'cosine',
  init_value: number,
  boundaries_and_scales?: Readonly<Record<number, number>> | ReadonlyMap<number, number>,
): ScheduleFn {
  const entries =
    boundaries_and_scales instanceof Map
      ? [...(boundaries_and_scales as ReadonlyMap<number, number>).entries()].sort((a, b) => a[0] - b[0])
      : sortedEntries(boundaries_and_scales as Readonly<Record<number, number>> | undefined);
  if (entries.some(([, s]) => !(s >= 0))) throw new RangeError('`piecewise_interpolate_schedule` expects non-negative scale factors');
  const bounds = [0, ...entries.map(([b]) => b)];
  const values: number[] = [init_value];
  for (const [, s] of entries) values.push(values[values.length - 1]! * s);
  const interp =
    interpolate_type === 'linear'
      ? (a: number, b: number, p: number) => (b - a) * p + a
      : (a: number, b: number, p: number) => b + ((a - b) / 2) * (Math.cos(Math.PI * p) + 1);
  return (c) => {
    let out = 0;
    for (let i = 0; i + 1 < bounds.length; i++) {
      const lo = bounds[i]!;
      const hi = bounds[i + 1]!;
      if (lo <= c && c < hi) out += interp(values[i]!, values[i + 1]!, (c - lo) / Math.max(hi - lo, 1));
    }
    if (bounds[bounds.length - 1]! <= c) out += values[values.length - 1]!;
    return out;
  };
}

export interface OnecycleOptions {
  transition_steps: number;
  peak_value: number;
  /** Default 0.3. */
  pct_start?: number;
  /** Default 25. */
  div_factor?: number;
  /** Default 1e4. */
  final_div_factor?: number;
}

/** A dict literal's semantics: a later equal key replaces the earlier value. */
function dictOf(pairs: [number, number][]): Map<number, number> {
  const m = new Map<number, number>();
  for (const [k, v] of pairs) m.set(k, v);
  return m;
}

/**
 * `linear_onecycle_schedule`: linear from `peak / div` to `peak` at `int(pct_start * T)`,
 * back to `peak / div` at `int(pct_final * T)`, then to `peak / final_div_factor` at `T`.
 */
export function linearOnecycleSchedule(o: OnecycleOptions & { pct_final?: number }): ScheduleFn {
  if (o.transition_steps <= 0) throw new RangeError('A linear onecycle schedule was set with a non-positive `transition_steps`');
  const div = o.div_factor ?? 25;
  const T = o.transition_steps;
  return piecewiseInterpolateSchedule(
    'linear',
    o.peak_value / div,
    dictOf([
      [Math.trunc((o.pct_start ?? 0.3) * T), div],
      [Math.trunc((o.pct_final ?? 0.85) * T), 1 / div],
      [T, 1 / (o.final_div_factor ?? 1e4)],
    ]),
  );
}

/** `cosine_onecycle_schedule`: half-cosine from `peak / div` to `peak` at `int(pct_start * T)`, then to `peak / (div * final_div)` at `T`. */
export function cosineOnecycleSchedule(o: OnecycleOptions): ScheduleFn {
  if (o.transition_steps <= 0) throw new RangeError('A cosine onecycle schedule was set with a non-positive `transition_steps`');
  const div = o.div_factor ?? 25;
  const T = o.transition_steps;
  return piecewiseInterpolateSchedule(
    'cosine',
    o.peak_value / div,
    dictOf([
      [Math.trunc((o.pct_start ?? 0.3) * T), div],
      [Math.trunc(T), 1 / (div * (o.final_div_factor ?? 1e4))],
    ]),
  );
}
