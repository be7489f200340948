// The canonical curve of each schedule family, shared by fitting and previews.
//
// A family's curve is written in one parameterisation whatever library produced it:
// steps are absolute optimizer steps, LRs absolute values. Most families are "an optional
// linear warmup, then a decay": for t < warmupSteps the LR goes linearly from
// `warmupStartLr` (at step 0) to `lr` (at `warmupSteps`); from there the decay runs on
// u = t - warmupSteps. This one shape covers PyTorch's SequentialLR(LinearLR, ...),
// Hugging Face's `*_with_warmup`, Keras `warmup_target` and optax `warmup_*` schedules.
//
// Parameters per family (in `params`; `...Steps` are step counts):
//
// | family | params | curve after warmup (u = t - warmupSteps) |
// |---|---|---|
// | constant | lr | lr |
// | step | lr, gamma, stepSize | lr * gamma ** floor(u / stepSize) |
// | multistep, reduce_on_plateau | lr, gamma? + `milestones`, `levels` | levels[#milestones <= t] (or lr * gamma ** #) |
// | exponential | lr, gamma, decaySteps | lr * gamma ** (u / decaySteps), exponent floored for variant `staircase` |
// | linear | lr, endLr, decaySteps | lr + (endLr - lr) * min(u, D) / D |
// | polynomial | lr, endLr, decaySteps, power | endLr + (lr - endLr) * (1 - min(u, D) / D) ** power |
// | cosine | lr, endLr, decaySteps | endLr + (lr - endLr) * (1 + cos(pi * min(u, D) / D)) / 2; variant `periodic` keeps going (PyTorch past T_max) |
// | inverse_sqrt | lr, timescale | lr * sqrt(timescale / (u + timescale)) |
// | cosine_warm_restarts | lr, endLr, T_0, T_mult, restartDecay | cycle i of T_0 * T_mult ** i steps: endLr + (lr * restartDecay ** i - endLr) * (1 + cos(pi * tCur / T_i)) / 2 |
// | cyclic_* | baseLr, maxLr, stepSizeUp, stepSizeDown, gamma, offset | PyTorch CyclicLR at step t + offset |
// | one_cycle | maxLr, totalSteps, peakStep, divFactor, finalDivFactor, threePhase | PyTorch OneCycleLR with phase 1 ending at peakStep; variant `cos` or `linear` |
// | warmup_stable_decay | lr, endLr, stableSteps, decaySteps | lr until warmupSteps + stableSteps, then a `linear`/`cosine`/`1-sqrt` (variant) decay to endLr over decaySteps, then endLr |
// | lr_range_test | startLr, endLr, startStep, numSteps | startLr * (endLr / startLr) ** ((t - startStep) / numSteps) |
//
// Warmup-then-decay families may carry `holdSteps` h: the peak is held h steps before the
// decay starts (u = max(0, t - warmupSteps - h)); implementations that warm up with
// `(step + 1) / W` and decay from step W (llm.c, nanoGPT) hold for one step.
//
// Any family may also carry `stepInterval` P: the scheduler was stepped every P optimizer
// steps (once per epoch), so the LR at t is the curve at P * floor(t / P); and
// `stepOffset` d: the log labels the scheduler's step t as t + d. Milestones and restarts
// are in the scheduler's steps. `fromStep` (a logged step) limits the curve to the points
// from there on: earlier ones belong to another run logged in the same file (NaN).
import type { ScheduleFamily, ScheduleFn } from './types';

/** A schedule in canonical form: what a fit reports and a preview draws. */
export interface ScheduleSpec {
  family: ScheduleFamily;
  params: Record<string, number>;
  variant?: string;
  milestones?: readonly number[];
  levels?: readonly number[];
  /** Steps where the whole schedule started over (each segment follows the same curve from its start). */
  restarts?: readonly number[];
}

/** Parameter names each family uses (beyond warmupSteps / warmupStartLr), for documentation and checks. */
export const FAMILY_PARAMS: Readonly<Record<ScheduleFamily, readonly string[]>> = {
  constant: ['lr'],
  step: ['lr', 'gamma', 'stepSize'],
  multistep: ['lr', 'gamma'],
  reduce_on_plateau: ['lr', 'factor'],
  exponential: ['lr', 'gamma', 'decaySteps'],
  linear: ['lr', 'endLr', 'decaySteps'],
  polynomial: ['lr', 'endLr', 'decaySteps', 'power'],
  cosine: ['lr', 'endLr', 'decaySteps'],
  inverse_sqrt: ['lr', 'timescale'],
  cosine_warm_restarts: ['lr', 'endLr', 'T_0', 'T_mult', 'restartDecay'],
  cyclic_triangular: ['baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'offset'],
  cyclic_triangular2: ['baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'offset'],
  cyclic_exp_range: ['baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'gamma', 'offset'],
  one_cycle: ['maxLr', 'totalSteps', 'peakStep', 'divFactor', 'finalDivFactor'],
  warmup_stable_decay: ['lr', 'endLr', 'stableSteps', 'decaySteps'],
  lr_range_test: ['startLr', 'endLr', 'startStep', 'numSteps'],
};

/** Families whose curve is "optional linear warmup, then a decay on u = t - warmupSteps". */
const WARMUP_DECAY = new Set<ScheduleFamily>([
  'constant',
  'step',
  'exponential',
  'linear',
  'polynomial',
  'cosine',
  'inverse_sqrt',
  'cosine_warm_restarts',
  'warmup_stable_decay',
]);

/** The decay part (u >= 0) of a warmup-then-decay family, as a fraction-free LR. */
function decayFn(spec: ScheduleSpec): (u: number) => number {
  const p = spec.params;
  const lr = p.lr ?? NaN;
  const end = p.endLr ?? 0;
  switch (spec.family) {
    case 'constant':
      return () => lr;
    case 'step': {
      const gamma = p.gamma ?? NaN;
      const size = p.stepSize ?? NaN;
      return (u) => lr * gamma ** Math.floor(u / size);
    }
    case 'exponential': {
      const gamma = p.gamma ?? NaN;
      const d = p.decaySteps ?? 1;
      const stairs = spec.variant === 'staircase';
      return (u) => lr * gamma ** (stairs ? Math.floor(u / d) : u / d);
    }
    case 'linear': {
      const d = p.decaySteps ?? NaN;
      return (u) => lr + ((end - lr) * Math.min(u, d)) / d;
    }
    case 'polynomial': {
      const d = p.decaySteps ?? NaN;
      const power = p.power ?? 1;
      return (u) => end + (lr - end) * (1 - Math.min(u, d) / d) ** power;
    }
    case 'cosine': {
      const d = p.decaySteps ?? NaN;
      const periodic = spec.variant === 'periodic';
      return (u) => end + ((lr - end) * (1 + Math.cos((Math.PI * (periodic ? u : Math.min(u, d))) / d))) / 2;
    }
    case 'inverse_sqrt': {
      const tau = p.timescale ?? NaN;
      return (u) => lr * Math.sqrt(tau / (u + tau));
    }
    case 'cosine_warm_restarts': {
      const t0 = p.T_0 ?? NaN;
      const mult = p.T_mult ?? 1;
      const m = p.restartDecay ?? 1;
      return (u) => {
        const { cycle, tCur, tI } = restartCycle(u, t0, mult);
        const peak = lr * m ** cycle;
        return end + ((peak - end) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
      };
    }
    case 'warmup_stable_decay': {
      const stable = p.stableSteps ?? 0;
      const d = p.decaySteps ?? NaN;
      const shape = wsdDecayShape(spec.variant);
      return (u) => {
        if (u < stable) return lr;
        if (u < stable + d) return end + (lr - end) * shape((u - stable) / d);
        return end;
      };
    }
    default:
      return () => NaN;
  }
}

/** WSD decay factor from 1 (progress 0) to 0 (progress 1), per Hugging Face's `get_wsd_schedule`. */
export function wsdDecayShape(variant: string | undefined): (progress: number) => number {
  if (variant === 'linear') return (x) => 1 - x;
  if (variant === '1-sqrt') return (x) => 1 - Math.sqrt(x);
  return (x) => 0.5 * (1 + Math.cos(Math.PI * x));
}

/** Which cycle of an SGDR schedule step `u` is in, exactly (cycle i lasts T_0 * T_mult ** i). */
export function restartCycle(u: number, t0: number, mult: number): { cycle: number; tCur: number; tI: number } {
  if (!(t0 > 0)) return { cycle: 0, tCur: u, tI: NaN };
  if (mult === 1) {
    const cycle = Math.floor(u / t0);
    return { cycle, tCur: u - cycle * t0, tI: t0 };
  }
  let cycle = 0;
  let start = 0;
  let len = t0;
  while (u >= start + len && cycle < 10_000) {
    start += len;
    len *= mult;
    cycle++;
  }
  return { cycle, tCur: u - start, tI: len };
}

/** PyTorch CyclicLR's scale at step `e` (0 at base, 1 at max), before the mode's amplitude scaling. */
function cyclicShape(e: number, up: number, down: number): { cycle: number; x: number } {
  const total = up + down;
  const cycle = Math.floor(1 + e / total);
  const x = 1 + e / total - cycle;
  const ratio = up / total;
  return { cycle, x: x <= ratio ? x / ratio : (x - 1) / (ratio - 1) };
}

/**
 * The curve of a canonical schedule. Linear in the LR-valued parameters, so fitting can
 * solve for them; O(1) per call (O(log n) for milestones).
 */
export function scheduleFn(spec: ScheduleSpec): ScheduleFn {
  const curve = baseFn(spec);
  // A scheduler stepped every P optimizer steps (per epoch) holds each value for P steps.
  const every = spec.params.stepInterval ?? 1;
  const base: ScheduleFn = every > 1 ? (t) => curve(every * Math.floor(t / every)) : curve;
  const restarts = spec.restarts;
  // After a restart at r the scheduler counts from 0 again: the LR at t is base(t - r).
  const restarted: ScheduleFn =
    !restarts || restarts.length === 0
      ? base
      : (t) => {
          let start = 0;
          for (const r of restarts) if (t >= r) start = r;
          return base(t - start);
        };
  // Logged steps may run ahead of the scheduler's count by `stepOffset`.
  const offset = spec.params.stepOffset ?? 0;
  const shifted: ScheduleFn = offset === 0 ? restarted : (t) => restarted(t - offset);
  // A fit of the last run in a log says nothing about the points before it.
  const from = spec.params.fromStep;
  return from === undefined ? shifted : (t) => (t < from ? NaN : shifted(t));
}

function baseFn(spec: ScheduleSpec): ScheduleFn {
  const p = spec.params;
  switch (spec.family) {
    case 'multistep':
    case 'reduce_on_plateau': {
      const ms = spec.milestones ?? [];
      const levels = spec.levels;
      const lr = p.lr ?? levels?.[0] ?? NaN;
      const gamma = p.gamma ?? p.factor ?? NaN;
      return withWarmup(p, (t) => {
        let k = 0;
        while (k < ms.length && t >= ms[k]!) k++;
        return levels ? (levels[k] ?? NaN) : lr * gamma ** k;
      });
    }
    case 'cyclic_triangular':
    case 'cyclic_triangular2':
    case 'cyclic_exp_range': {
      const baseLr = p.baseLr ?? NaN;
      const amp = (p.maxLr ?? NaN) - baseLr;
      const up = p.stepSizeUp ?? NaN;
      const down = p.stepSizeDown ?? up;
      const gamma = p.gamma ?? 1;
      const offset = p.offset ?? 0;
      const fam = spec.family;
      return (t) => {
        const e = t + offset;
        const { cycle, x } = cyclicShape(e, up, down);
        const s = fam === 'cyclic_triangular' ? 1 : fam === 'cyclic_triangular2' ? 1 / 2 ** (cycle - 1) : gamma ** e;
        return baseLr + amp * x * s;
      };
    }
    case 'one_cycle': {
      const max = p.maxLr ?? NaN;
      const total = p.totalSteps ?? NaN;
      const e1 = p.peakStep ?? NaN;
      const initial = max / (p.divFactor ?? 25);
      const min = initial / (p.finalDivFactor ?? 1e4);
      const cos = spec.variant !== 'linear';
      const three = (p.threePhase ?? 0) > 0;
      const anneal = (from: number, to: number, x: number): number =>
        cos ? to + ((from - to) / 2) * (Math.cos(Math.PI * x) + 1) : (to - from) * x + from;
      return (t) => {
        if (t <= e1) return anneal(initial, max, t / e1);
        if (three) {
          if (t <= 2 * e1) return anneal(max, initial, (t - e1) / e1);
          return anneal(initial, min, (t - 2 * e1) / (total - 1 - 2 * e1));
        }
        return anneal(max, min, (t - e1) / (total - 1 - e1));
      };
    }
    case 'lr_range_test': {
      const a = p.startLr ?? NaN;
      const b = p.endLr ?? NaN;
      const s0 = p.startStep ?? 0;
      const n = p.numSteps ?? NaN;
      return (t) => a * (b / a) ** ((t - s0) / n);
    }
    default:
      if (WARMUP_DECAY.has(spec.family)) {
        const decay = decayFn(spec);
        const w = p.warmupSteps ?? 0;
        const hold = p.holdSteps ?? 0;
        return withWarmup(p, (t) => decay(Math.max(0, t - w - hold)));
      }
      return () => NaN;
  }
}

/** Prefixes a linear warmup from `warmupStartLr` at step 0 to the curve's value at `warmupSteps`. */
function withWarmup(p: Record<string, number>, after: ScheduleFn): ScheduleFn {
  const w = p.warmupSteps ?? 0;
  if (!(w > 0)) return after;
  const start = p.warmupStartLr ?? 0;
  const peak = after(w);
  return (t) => (t < w ? start + ((peak - start) * t) / w : after(t));
}

/** Steps at which a schedule's curve has a corner or a jump (for previews that sample sparsely). */
export function scheduleBreakpoints(spec: ScheduleSpec, lastStep: number, max = 2000): number[] {
  const p = spec.params;
  const out: number[] = [];
  const offset = p.stepOffset ?? 0;
  const push = (t: number): void => {
    const logged = t + offset;
    if (logged >= 0 && logged <= lastStep && out.length < max) out.push(logged);
  };
  // The decay starts after the warmup and any held steps.
  const w = (p.warmupSteps ?? 0) + (p.holdSteps ?? 0);
  if (w > 0) push(p.warmupSteps ?? 0);
  if (w > 0) push(w);
  for (const m of spec.milestones ?? []) push(m);
  for (const r of spec.restarts ?? []) push(r);
  const every = (first: number, period: number): void => {
    if (!(period > 0)) return;
    for (let t = first; t + offset <= lastStep && out.length < max; t += period) push(t);
  };
  switch (spec.family) {
    case 'step':
      every(w + (p.stepSize ?? 0), p.stepSize ?? 0);
      break;
    case 'exponential':
      if (spec.variant === 'staircase') every(w + (p.decaySteps ?? 0), p.decaySteps ?? 0);
      break;
    case 'linear':
    case 'polynomial':
    case 'cosine':
      push(w + (p.decaySteps ?? NaN));
      break;
    case 'warmup_stable_decay':
      push(w + (p.stableSteps ?? 0));
      push(w + (p.stableSteps ?? 0) + (p.decaySteps ?? 0));
      break;
    case 'cosine_warm_restarts': {
      let start = w;
      let len = p.T_0 ?? 0;
      while (len > 0 && start + len <= lastStep && out.length < max) {
        start += len;
        push(start);
        len *= p.T_mult ?? 1;
      }
      break;
    }
    case 'cyclic_triangular':
    case 'cyclic_triangular2':
    case 'cyclic_exp_range': {
      const up = p.stepSizeUp ?? 0;
      const down = p.stepSizeDown ?? up;
      const off = p.offset ?? 0;
      const period = up + down;
      if (period > 0) {
        // Cycles start where t + offset is a multiple of the period; peaks `up` later.
        const first = (((-off) % period) + period) % period;
        for (let start = first - period; start <= lastStep && out.length < max; start += period) {
          push(start);
          push(start + up);
        }
      }
      break;
    }
    case 'one_cycle':
      push(Math.ceil(p.peakStep ?? NaN));
      break;
    default:
      break;
  }
  return [...new Set(out)].sort((a, b) => a - b);
}
