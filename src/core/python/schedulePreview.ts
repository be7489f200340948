// A scheduler construction in a script, turned into its exact curve (the closed forms
// of src/core/schedules/) and the key numbers a hover shows: where it starts, its peak,
// its floor, and when it reaches them. Arguments the script does not pin down (a
// variable set at run time) are reported as missing instead of guessed; callers can
// supply them (e.g. the base LR or the total steps of a linked run).
import * as hf from '../schedules/huggingface';
import * as keras from '../schedules/keras';
import * as optax from '../schedules/optax';
import * as torch from '../schedules/pytorch';
import type { ScheduleFn } from '../schedules/types';
import { childrenOf } from './parse';
import type { ArgValue, SchedulerInfo, ScriptModel } from './scriptModel';

export interface PreviewOptions {
  /** The optimizer's LR, when the script does not say (PyTorch and HF schedules scale it). */
  baseLr?: number;
  /** Values for arguments the script leaves to run time, by parameter name. */
  overrides?: Record<string, number>;
  /** How many scheduler steps the key numbers look at (default: the schedule's own length, else 1000). */
  horizon?: number;
}

export interface KeyNumbers {
  start: number;
  peak: number;
  peakStep: number;
  floor: number;
  floorStep: number;
  /** The LR at `horizon`. */
  end: number;
  horizon: number;
}

export interface SchedulePreview {
  /** The curve, per scheduler step; undefined when something it needs is missing. */
  fn?: ScheduleFn;
  /** Parameters it would need (`lr`, `T_max`, ...). */
  missing: string[];
  /** What one step of `fn` is: an optimizer step, or an epoch for schedulers stepped per epoch. */
  unit: 'step' | 'epoch' | 'unknown';
  keyNumbers?: KeyNumbers;
}

type Args = Record<string, number | string | boolean | number[]>;

function argValues(s: SchedulerInfo, o: PreviewOptions): Args {
  const a: Args = {};
  for (const [k, v] of Object.entries(s.args)) {
    if (v.value !== undefined) a[k] = v.value;
    else if (v.text !== undefined) a[k] = v.text;
    else {
      const list = numberList(v);
      if (list) a[k] = list;
      else if (v.expr === 'True' || v.expr === 'False') a[k] = v.expr === 'True';
    }
  }
  for (const [k, v] of Object.entries(o.overrides ?? {})) a[k] = v;
  return a;
}

function numberList(v: ArgValue): number[] | undefined {
  const n = v.node;
  if (n.name !== 'ArrayExpression' && n.name !== 'TupleExpression') return undefined;
  const out: number[] = [];
  for (const c of childrenOf(n)) {
    if (['[', ']', '(', ')', ','].includes(c.name)) continue;
    if (c.name !== 'Number') return undefined;
    out.push(Number(v.expr.slice(c.from - n.from, c.to - n.from).replace(/_/g, '')));
  }
  return out;
}

const num = (a: Args, k: string): number | undefined => (typeof a[k] === 'number' ? a[k] : undefined);

/** The base LR of the optimizer a scheduler wraps. */
function baseLrOf(model: ScriptModel, s: SchedulerInfo): number | undefined {
  const o = model.optimizers.find((x) => x.variable !== undefined && x.variable === s.optimizerExpr) ?? (model.optimizers.length === 1 ? model.optimizers[0] : undefined);
  return o?.lrValue;
}

const REQUIRED: Record<string, string[]> = {
  StepLR: ['step_size'],
  MultiStepLR: ['milestones'],
  ExponentialLR: ['gamma'],
  CosineAnnealingLR: ['T_max'],
  CosineAnnealingWarmRestarts: ['T_0'],
  CyclicLR: ['base_lr', 'max_lr'],
  OneCycleLR: ['max_lr'],
};

function build(model: ScriptModel, s: SchedulerInfo, o: PreviewOptions, missing: string[]): ScheduleFn | undefined {
  const a = argValues(s, o);
  const name = s.call.slice(s.call.lastIndexOf('.') + 1);
  const need = (...keys: string[]): boolean => {
    const absent = keys.filter((k) => a[k] === undefined);
    missing.push(...absent);
    return absent.length === 0;
  };
  const lr = o.baseLr ?? baseLrOf(model, s);
  if (lr !== undefined) a.lr = lr;
  const as = <T>(x: Args): T => x as unknown as T;
  switch (s.framework) {
    case 'torch': {
      if (name === 'SequentialLR') {
        const fns = s.children.map((i) => build(model, model.schedulers[i]!, { ...o, overrides: {} }, missing));
        const ms = a.milestones;
        if (!Array.isArray(ms) || fns.some((f) => !f) || fns.length === 0) {
          if (!Array.isArray(ms)) missing.push('milestones');
          return undefined;
        }
        return torch.sequentialLR({ schedulers: fns as ScheduleFn[], milestones: ms });
      }
      if (!need(...(REQUIRED[name] ?? []))) return undefined;
      if (name !== 'CyclicLR' && name !== 'OneCycleLR' && !need('lr')) return undefined;
      if (name === 'OneCycleLR' && a.total_steps === undefined && !need('epochs', 'steps_per_epoch')) return undefined;
      const factories: Record<string, (x: Args) => ScheduleFn> = {
        StepLR: (x) => torch.stepLR(as(x)),
        MultiStepLR: (x) => torch.multiStepLR(as(x)),
        ConstantLR: (x) => torch.constantLR(as(x)),
        LinearLR: (x) => torch.linearLR(as(x)),
        ExponentialLR: (x) => torch.exponentialLR(as(x)),
        PolynomialLR: (x) => torch.polynomialLR(as(x)),
        CosineAnnealingLR: (x) => torch.cosineAnnealingLR(as(x)),
        CosineAnnealingWarmRestarts: (x) => torch.cosineAnnealingWarmRestarts(as(x)),
        CyclicLR: (x) => torch.cyclicLR(as(x)),
        OneCycleLR: (x) => torch.oneCycleLR(as(x)),
      };
      return factories[name]?.(a);
    }
    case 'transformers': {
      if (!need('lr')) return undefined;
      const type = name === 'get_scheduler' ? (typeof a.name === 'string' ? a.name : undefined) : HF_NAMES[name];
      if (!type) {
        missing.push('name');
        return undefined;
      }
      if (!['constant', 'constant_with_warmup', 'inverse_sqrt'].includes(type) && !need('num_training_steps')) return undefined;
      return hf.hfScheduler(type as hf.HfSchedulerType, a as { lr: number } & Record<string, unknown>);
    }
    case 'keras': {
      const f: Record<string, (x: Args) => ScheduleFn> = {
        ExponentialDecay: (x) => keras.exponentialDecay(as(x)),
        PiecewiseConstantDecay: (x) => keras.piecewiseConstantDecay(as(x)),
        PolynomialDecay: (x) => keras.polynomialDecay(as(x)),
        InverseTimeDecay: (x) => keras.inverseTimeDecay(as(x)),
        CosineDecay: (x) => keras.cosineDecay(as(x)),
        CosineDecayRestarts: (x) => keras.cosineDecayRestarts(as(x)),
      };
      if (!f[name]) return undefined;
      const req = name === 'PiecewiseConstantDecay' ? ['boundaries', 'values'] : ['initial_learning_rate', name === 'CosineDecayRestarts' ? 'first_decay_steps' : 'decay_steps'];
      return need(...req) ? f[name](a) : undefined;
    }
    case 'optax': {
      const f: Record<string, [string[], (x: Args) => ScheduleFn]> = {
        constant_schedule: [['value'], (x) => optax.constantSchedule(as(x))],
        linear_schedule: [['init_value', 'end_value', 'transition_steps'], (x) => optax.linearSchedule(as(x))],
        polynomial_schedule: [['init_value', 'end_value', 'power', 'transition_steps'], (x) => optax.polynomialSchedule(as(x))],
        exponential_decay: [['init_value', 'transition_steps', 'decay_rate'], (x) => optax.exponentialDecay(as(x))],
        cosine_decay_schedule: [['init_value', 'decay_steps'], (x) => optax.cosineDecaySchedule(as(x))],
        warmup_cosine_decay_schedule: [['init_value', 'peak_value', 'warmup_steps', 'decay_steps'], (x) => optax.warmupCosineDecaySchedule(as(x))],
        warmup_exponential_decay_schedule: [['init_value', 'peak_value', 'warmup_steps', 'transition_steps', 'decay_rate'], (x) => optax.warmupExponentialDecaySchedule(as(x))],
        warmup_constant_schedule: [['init_value', 'peak_value', 'warmup_steps'], (x) => optax.warmupConstantSchedule(as(x))],
        cosine_onecycle_schedule: [['transition_steps', 'peak_value'], (x) => optax.cosineOnecycleSchedule(as(x))],
      };
      if (name === 'join_schedules') {
        const fns = s.children.map((i) => build(model, model.schedulers[i]!, { ...o, overrides: {} }, missing));
        const b = a.boundaries;
        if (!Array.isArray(b) || fns.some((x) => !x) || fns.length === 0) return undefined;
        return optax.joinSchedules(fns as ScheduleFn[], b);
      }
      const entry = f[name];
      if (!entry) return undefined;
      return need(...entry[0]) ? entry[1](a) : undefined;
    }
    default:
      return undefined;
  }
}

const HF_NAMES: Record<string, string> = {
  get_constant_schedule: 'constant',
  get_constant_schedule_with_warmup: 'constant_with_warmup',
  get_linear_schedule_with_warmup: 'linear',
  get_cosine_schedule_with_warmup: 'cosine',
  get_cosine_with_hard_restarts_schedule_with_warmup: 'cosine_with_restarts',
  get_polynomial_decay_schedule_with_warmup: 'polynomial',
  get_inverse_sqrt_schedule: 'inverse_sqrt',
  get_cosine_with_min_lr_schedule_with_warmup: 'cosine_with_min_lr',
  get_wsd_schedule: 'warmup_stable_decay',
};

/** The schedule's own length in its steps, when its arguments say. */
function ownHorizon(a: Args, name: string): number | undefined {
  if (name === 'OneCycleLR') return num(a, 'total_steps') ?? ((num(a, 'epochs') ?? NaN) * (num(a, 'steps_per_epoch') ?? NaN) || undefined);
  if (name === 'StepLR') return (num(a, 'step_size') ?? 0) * 3 || undefined;
  if (name === 'MultiStepLR' && Array.isArray(a.milestones)) return Math.max(...a.milestones) + 1;
  if (name === 'warmup_cosine_decay_schedule') return num(a, 'decay_steps');
  const len = ['num_training_steps', 'T_max', 'total_iters', 'decay_steps', 'transition_steps', 'first_decay_steps', 'total_steps'].map((k) => num(a, k)).find((x) => x !== undefined);
  if (len === undefined) return undefined;
  return len + (num(a, 'transition_begin') ?? 0) + (name === 'CosineDecay' ? (num(a, 'warmup_steps') ?? 0) : 0);
}

/** The curve and key numbers of the scheduler at `index` in the model. */
export function previewScheduler(model: ScriptModel, index: number, opts: PreviewOptions = {}): SchedulePreview {
  const s = model.schedulers[index];
  if (!s) return { missing: [], unit: 'unknown' };
  const missing: string[] = [];
  const fn = build(model, s, opts, missing);
  const stepLoop = model.steps.find((x) => x.kind === 'scheduler' && x.target === index)?.loop ?? s.implicitLoop;
  const unit = stepLoop === 'batch' ? 'step' : stepLoop === 'epoch' ? 'epoch' : 'unknown';
  const uniq = [...new Set(missing)];
  if (!fn) return { missing: uniq, unit };
  const name = s.call.slice(s.call.lastIndexOf('.') + 1);
  const horizon = Math.max(1, Math.round(opts.horizon ?? ownHorizon(argValues(s, opts), name) ?? (s.children.length ? 1000 : 1000)));
  return { fn, missing: uniq, unit, keyNumbers: keyNumbers(fn, horizon) };
}

/** Start, peak, floor and end of a curve over [0, horizon], with the first step each is reached. */
export function keyNumbers(fn: ScheduleFn, horizon: number): KeyNumbers {
  const n = Math.min(horizon, 200_000);
  const stride = horizon / n;
  let peak = -Infinity;
  let peakStep = 0;
  let floor = Infinity;
  let floorStep = 0;
  const rel = 1e-9;
  for (let i = 0; i <= n; i++) {
    const step = Math.round(i * stride);
    const v = fn(step);
    if (!Number.isFinite(v)) continue;
    if (v > peak * (1 + rel) || peak === -Infinity) {
      peak = v;
      peakStep = step;
    }
    if (v < floor * (1 - rel) || floor === Infinity) {
      floor = v;
      floorStep = step;
    }
  }
  return { start: fn(0), peak, peakStep, floor, floorStep, end: fn(horizon), horizon };
}
