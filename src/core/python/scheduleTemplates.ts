// The catalogue behind "Insert LR Schedule…": one template per schedule a user can
// insert (PyTorch, Hugging Face, Keras, optax, Lightning), each with its parameters in
// the library's own names and units, defaults sized to the linked run, its exact curve
// (built from the closed forms of src/core/schedules/) per optimizer step, the code that
// wires it into a script (templateInsert.ts), and a reader that finds it again in a
// script, so what was inserted can be previewed and edited later.
//
// Units. Every curve a template returns is the LR used by optimizer step `s` (0-based),
// so it can be drawn over a run's logged LR. A scheduler stepped once per epoch (after
// the epoch's batches, as PyTorch recommends) holds `schedule(e)` for the whole of epoch
// `e`: `curve(s) = schedule(floor(s / stepsPerEpoch))`.
import * as hf from '../schedules/huggingface';
import * as keras from '../schedules/keras';
import * as optax from '../schedules/optax';
import * as torch from '../schedules/pytorch';
import type { ScheduleFn } from '../schedules/types';
import type { OptimizerFamily } from './catalog';
import { mainOptimizer, mainScheduler } from './fixes';
import { dictEntries } from './lightning';
import { childrenOf, functionName, nodesOfType } from './parse';
import { pyCall, pyKw, pyList, type PyArg, type PyExpr } from './pyLayout';
import type { ScriptModel } from './scriptModel';
import { wireTemplate, type InsertOutcome, type InsertResult } from './templateInsert';
import {
  BOOL,
  checkValue,
  choice,
  clean2,
  cleanSteps,
  decayPer,
  epochs,
  factor,
  floorLr,
  increasing,
  lr,
  num,
  nums,
  param,
  patience,
  positive,
  ratio,
  steps,
  str,
  type ParamValue,
  type TemplateContext,
  type TemplateParam,
  type TemplateValues,
} from './templateParams';
import { constructionOf, kwargsOf, numbersIn, readArgs, readCall, readComposite, reading, type TemplateReading } from './templateRead';

/** The frameworks the command offers, in the order of its quick pick. */
export type TemplateFramework = 'torch' | 'transformers' | 'keras' | 'optax' | 'lightning';

export const TEMPLATE_FRAMEWORKS: readonly { id: TemplateFramework; label: string }[] = [
  { id: 'torch', label: 'PyTorch' },
  { id: 'transformers', label: 'Hugging Face Transformers' },
  { id: 'keras', label: 'Keras' },
  { id: 'optax', label: 'optax (JAX)' },
  { id: 'lightning', label: 'PyTorch Lightning' },
];

/** `step`: the scheduler advances once per optimizer step; `epoch`: once per epoch. */
export type Stepping = 'step' | 'epoch';

/**
 * How the template's code reaches the training:
 * - `scheduler`: an object built on the optimizer and stepped by the training loop
 *   (PyTorch, Hugging Face functions), by Lightning (`configure_optimizers`), or by the
 *   Trainer (Hugging Face templates also have a `TrainingArguments` form).
 * - `lr`: a schedule passed as the optimizer's learning rate (Keras, optax).
 * - `callback`: a Keras callback passed to `model.fit(callbacks=[...])`.
 */
export type TemplateWiring = 'scheduler' | 'lr' | 'callback';

/** What code builders get: names resolved through the script's imports, and literal formatters. */
export interface TemplateCodeGen {
  /** The expression naming a library object in this file (adds an import when needed). */
  ref(qualified: string): string;
  /** The optimizer the schedule is built on, as written in the script. */
  opt: string;
  /** Its family, when known (CyclicLR and OneCycleLR cycle momentum only when it has some). */
  optimizerFamily?: OptimizerFamily;
  /** The name of the helper function (`helper`) the expression refers to. */
  helperName: string;
  int(n: number): string;
  float(x: number): string;
  /** An LR: the script's own name for it (`learning_rate`, `args.lr`) when one holds exactly this value, else a literal. */
  lr(x: number): string;
  /** A string literal in the file's quote style. */
  str(s: string): string;
}

export interface ScheduleTemplate {
  /** Stable id: `<framework>.<name>` (`torch.cosine`, `transformers.wsd`). */
  id: string;
  framework: TemplateFramework;
  /** The quick-pick label, in the user's terms. */
  label: string;
  /** One line: what the curve does (and, for ReduceLROnPlateau, why there is no preview). */
  description: string;
  /** The library object it constructs, canonical (`torch.optim.lr_scheduler.CosineAnnealingLR`). */
  call: string;
  params: readonly TemplateParam[];
  stepping: Stepping;
  /** Lightning's `"interval"` for it. */
  interval?: Stepping;
  /** Stepped with a validation metric (ReduceLROnPlateau): no closed-form curve. */
  needsMetric: boolean;
  wiring: TemplateWiring;
  /**
   * The `TrainingArguments` form (Hugging Face templates): `lr_scheduler_type`, the
   * parameters that go into `lr_scheduler_kwargs`, and their library defaults (left out).
   */
  trainer?: { type: string; kwargs: readonly string[]; defaults: Readonly<Record<string, ParamValue>> };
  /** Every parameter's default for this context. */
  defaults(ctx: TemplateContext): Record<string, ParamValue>;
  /** The curve per scheduler step (per epoch for epoch-wise templates); undefined for invalid values or ReduceLROnPlateau. */
  schedule(values: TemplateValues, baseLr: number): ScheduleFn | undefined;
  /**
   * The LR per optimizer step. Epoch-wise templates need `stepsPerEpoch` (undefined
   * without it); undefined for invalid values and for ReduceLROnPlateau.
   */
  curve(values: TemplateValues, baseLr: number, stepsPerEpoch?: number): ScheduleFn | undefined;
  /** The constructor expression (or callback) with these values. */
  build(values: TemplateValues, gen: TemplateCodeGen): PyExpr;
  /** Source lines of a function the expression refers to by `gen.helperName` (Keras LearningRateScheduler). */
  helper?(values: TemplateValues, gen: TemplateCodeGen): string[];
  /**
   * The edits that insert it into `model`'s script, wired to its optimizer. `at` (0-based
   * line) places a new construction there when that is a valid place. Undefined when
   * this script has no place for it; `insertTemplate` says why.
   */
  insert(model: ScriptModel, values: TemplateValues, at?: { line: number }): InsertResult | undefined;
  /** The template's values as written in the script, when it contains this template's construction. */
  read(model: ScriptModel): TemplateReading | undefined;
}

// ---------------------------------------------------------------------------------
// Checking values

/** The parameters in use for these values (a `when` parameter only when its condition holds). */
export function activeParams(t: ScheduleTemplate, values: TemplateValues): TemplateParam[] {
  return t.params.filter((p) => inUse(p, values));
}

const inUse = (p: TemplateParam, values: TemplateValues): boolean => !p.when || values[p.when.param] === p.when.equals;

/** Problems with `values` for `t`, in words (empty when they can be used). */
export function validateValues(t: ScheduleTemplate, values: TemplateValues): string[] {
  const out: string[] = [];
  for (const p of activeParams(t, values)) {
    const v = values[p.name];
    const problem = checkValue(p, v);
    if (problem) out.push(`${p.name}: ${problem}`);
  }
  if (out.length === 0) out.push(...(EXTRA_CHECKS[t.call]?.(values) ?? []));
  return out;
}

/** Constraints between parameters, by the call they are for. */
const EXTRA_CHECKS: Record<string, (v: TemplateValues) => string[]> = {
  'torch.optim.lr_scheduler.MultiStepLR': (v) => (increasing(nums(v, 'milestones')) ? [] : ['milestones: must be increasing']),
  'torch.optim.lr_scheduler.CyclicLR': (v) => (num(v, 'max_lr') >= num(v, 'base_lr') ? [] : ['max_lr: must be at least base_lr']),
  'transformers.get_polynomial_decay_schedule_with_warmup': (v) => (num(v, 'num_warmup_steps') < num(v, 'num_training_steps') ? [] : ['num_warmup_steps: must be less than num_training_steps']),
  'transformers.get_wsd_schedule': (v) =>
    num(v, 'num_warmup_steps') + num(v, 'num_decay_steps') <= num(v, 'num_training_steps') ? [] : ['num_decay_steps: warmup and decay must fit in num_training_steps'],
  'keras.optimizers.schedules.PiecewiseConstantDecay': (v) => {
    const b = nums(v, 'boundaries');
    const out: string[] = [];
    if (!increasing(b)) out.push('boundaries: must be increasing');
    if (nums(v, 'values').length !== b.length + 1) out.push(`values: needs ${b.length + 1} LRs, one more than boundaries`);
    return out;
  },
  'optax.warmup_cosine_decay_schedule': (v) => (num(v, 'warmup_steps') < num(v, 'decay_steps') ? [] : ['warmup_steps: must be less than decay_steps (optax counts the warmup in decay_steps)']),
  'optax.sgdr_schedule': (v) => (num(v, 'warmup_steps') < num(v, 'decay_steps') ? [] : ['warmup_steps: must be less than decay_steps (each cycle counts its warmup in decay_steps)']),
};

// ---------------------------------------------------------------------------------
// The catalogue

const T = 'torch.optim.lr_scheduler.';
const HF = 'transformers.';
const KS = 'keras.optimizers.schedules.';

/**
 * A parameter's value as Python source: LRs through `gen.lr` (the script's own name
 * when one holds the value), whole numbers (step and epoch counts, T_mult) through
 * `gen.int`, other numbers (factors, ratios, powers) through `gen.float`, choices as
 * strings (`False`/`True` as Python booleans), lists item by item.
 */
function pyParam(p: TemplateParam, v: ParamValue, gen: TemplateCodeGen): PyExpr {
  const one = (x: number): string => (p.unit === 'lr' ? gen.lr(x) : p.kind === 'int' || p.kind === 'int_list' ? gen.int(x) : gen.float(x));
  if (p.kind === 'choice') return p.choices?.every((c) => c === 'False' || c === 'True') ? (v as string) : gen.str(v as string);
  return typeof v === 'number' ? one(v) : pyList(...(v as readonly number[]).map(one));
}

/** `name=value` for each of `params` in use. */
const paramArgs = (params: readonly TemplateParam[], v: TemplateValues, g: TemplateCodeGen): PyArg[] => params.filter((p) => inUse(p, v)).map((p) => pyKw(p.name, pyParam(p, v[p.name]!, g)));

/**
 * A template as written in the catalogue. Most are one library call whose keyword
 * arguments are exactly their parameters; for those `build` and `read` are left out
 * and derived from `call` and `params`.
 */
type Spec = Omit<ScheduleTemplate, 'defaults' | 'curve' | 'insert' | 'read' | 'needsMetric' | 'build'> & {
  needsMetric?: boolean;
  /** Default: `call(optimizer, name=value, ...)`: the optimizer for `scheduler` wiring, every parameter in use (in `argOrder` when given), then `fixedArgs`. */
  build?: (values: TemplateValues, gen: TemplateCodeGen) => PyExpr;
  /** The order of the default `build`'s keyword arguments where the library's signature differs from `params`. */
  argOrder?: readonly string[];
  /** Keyword arguments the default `build` writes after the parameters, not asked for. */
  fixedArgs?: (gen: TemplateCodeGen) => PyArg[];
  /** Default: `readCall(call)`. */
  read?: (t: { params: readonly TemplateParam[] }, model: ScriptModel) => TemplateReading | undefined;
};

function define(spec: Spec): ScheduleTemplate {
  const ordered = spec.argOrder ? spec.argOrder.map((name) => spec.params.find((p) => p.name === name)!) : spec.params;
  const read = spec.read ?? readCall(spec.call);
  const t: ScheduleTemplate = {
    ...spec,
    needsMetric: spec.needsMetric ?? false,
    build: spec.build ?? ((v, g) => pyCall(g.ref(spec.call), ...(spec.wiring === 'scheduler' ? [g.opt] : []), ...paramArgs(ordered, v, g), ...(spec.fixedArgs?.(g) ?? []))),
    defaults: (ctx) => Object.fromEntries(spec.params.map((p) => [p.name, p.default(ctx)])),
    schedule: (values, baseLr) => (validateValues(t, values).length === 0 ? spec.schedule(values, baseLr) : undefined),
    curve: (values, baseLr, stepsPerEpoch) => {
      const f = t.schedule(values, baseLr);
      if (!f) return undefined;
      if (t.stepping === 'step') return f;
      const spe = positive(stepsPerEpoch);
      if (!spe) return undefined;
      return (s) => f(Math.floor(s / spe));
    },
    insert: (model, values, at) => {
      const r = insertTemplate(t, model, values, at);
      return 'reason' in r ? undefined : r;
    },
    read: (model) => read(t, model),
  };
  return t;
}

/** Whether the optimizer has a momentum or beta1 for CyclicLR/OneCycleLR to cycle (PyTorch raises otherwise). */
const cyclesMomentum = (f: OptimizerFamily | undefined): boolean => f === undefined || f === 'sgd' || f === 'adam' || f === 'rmsprop' || f === 'lion';
/** `cycle_momentum=False` for an optimizer without one. */
const momentumOff = (g: TemplateCodeGen): PyArg[] => (cyclesMomentum(g.optimizerFamily) ? [] : [pyKw('cycle_momentum', 'False')]);

/**
 * `SequentialLR([LinearLR(...), then(...)], milestones=[total_iters])`: a LinearLR
 * warmup from start_factor × LR up to the LR over total_iters steps, then the `then`
 * scheduler, whose keyword arguments are `params`.
 */
function warmupThen(o: { id: string; label: string; description: string; then: string; params: TemplateParam[]; schedule: (v: TemplateValues, base: number) => ScheduleFn }): ScheduleTemplate {
  return define({
    id: o.id,
    framework: 'torch',
    label: o.label,
    description: o.description,
    call: `${T}SequentialLR`,
    stepping: 'step',
    wiring: 'scheduler',
    params: [
      steps('total_iters', 'Warmup steps (LinearLR total_iters, the SequentialLR milestone)', (r) => r.warmup),
      factor('start_factor', 'Fraction of the LR the warmup starts from', () => 1e-3, { min: 0, max: 1, minExclusive: true }),
      ...o.params,
    ],
    schedule: (v, base) =>
      torch.sequentialLR({
        schedulers: [torch.linearLR({ lr: base, start_factor: num(v, 'start_factor'), end_factor: 1, total_iters: num(v, 'total_iters') }), o.schedule(v, base)],
        milestones: [num(v, 'total_iters')],
      }),
    build: (v, g) =>
      pyCall(
        g.ref(`${T}SequentialLR`),
        g.opt,
        pyKw(
          'schedulers',
          pyList(
            pyCall(g.ref(`${T}LinearLR`), g.opt, pyKw('start_factor', g.float(num(v, 'start_factor'))), pyKw('end_factor', '1.0'), pyKw('total_iters', g.int(num(v, 'total_iters')))),
            pyCall(g.ref(o.then), g.opt, ...paramArgs(o.params, v, g)),
          ),
        ),
        pyKw('milestones', pyList(g.int(num(v, 'total_iters')))),
      ),
    read: readComposite(`${T}SequentialLR`, [`${T}LinearLR`, o.then], Object.fromEntries(o.params.map((p) => [p.name, 1]))),
  });
}

const torchTemplates: ScheduleTemplate[] = [
  define({
    id: 'torch.step',
    framework: 'torch',
    label: 'Step decay (StepLR)',
    description: 'Multiplies the LR by gamma every step_size epochs: a staircase.',
    call: `${T}StepLR`,
    stepping: 'epoch',
    wiring: 'scheduler',
    params: [epochs('step_size', 'Epochs between two decays', (r) => Math.max(1, Math.round(r.epochs / 3))), factor('gamma', 'Multiplier at each decay', () => 0.1)],
    schedule: (v, base) => torch.stepLR({ lr: base, step_size: num(v, 'step_size'), gamma: num(v, 'gamma') }),
  }),
  define({
    id: 'torch.multistep',
    framework: 'torch',
    label: 'Decay at milestones (MultiStepLR)',
    description: 'Multiplies the LR by gamma at each milestone epoch (the classic ResNet recipe).',
    call: `${T}MultiStepLR`,
    stepping: 'epoch',
    wiring: 'scheduler',
    params: [
      param({ name: 'milestones', description: 'Epochs at which the LR is multiplied by gamma', kind: 'int_list', unit: 'epochs', min: 1 }, (r) => [...new Set([Math.max(1, Math.round(r.epochs / 2)), Math.max(1, Math.round((r.epochs * 3) / 4))])]),
      factor('gamma', 'Multiplier at each milestone', () => 0.1),
    ],
    schedule: (v, base) => torch.multiStepLR({ lr: base, milestones: nums(v, 'milestones'), gamma: num(v, 'gamma') }),
  }),
  define({
    id: 'torch.exponential',
    framework: 'torch',
    label: 'Exponential decay (ExponentialLR)',
    description: 'Multiplies the LR by gamma every epoch: a smooth geometric decay.',
    call: `${T}ExponentialLR`,
    stepping: 'epoch',
    wiring: 'scheduler',
    params: [factor('gamma', 'Multiplier per epoch (the default reaches 1/100 of the LR at the end)', (r) => decayPer(r.epochs), { min: 0, max: 1, minExclusive: true })],
    schedule: (v, base) => torch.exponentialLR({ lr: base, gamma: num(v, 'gamma') }),
  }),
  define({
    id: 'torch.polynomial',
    framework: 'torch',
    label: 'Polynomial decay to zero (PolynomialLR)',
    description: 'Decays the LR to 0 over total_iters steps along (1 - t/T)^power; power 1 is a straight line.',
    call: `${T}PolynomialLR`,
    stepping: 'step',
    wiring: 'scheduler',
    params: [steps('total_iters', 'Steps until the LR reaches 0', (r) => r.total), param({ name: 'power', description: 'Exponent of the decay (1 = linear)', kind: 'float', min: 0, minExclusive: true }, () => 1.0)],
    schedule: (v, base) => torch.polynomialLR({ lr: base, total_iters: num(v, 'total_iters'), power: num(v, 'power') }),
  }),
  define({
    id: 'torch.linear',
    framework: 'torch',
    label: 'Linear warmup (LinearLR)',
    description: 'Ramps the LR linearly from start_factor × LR to end_factor × LR over total_iters steps, then holds it.',
    call: `${T}LinearLR`,
    stepping: 'step',
    wiring: 'scheduler',
    params: [
      factor('start_factor', 'Fraction of the LR to start from', () => 1e-3, { min: 0, max: 1, minExclusive: true }),
      factor('end_factor', 'Fraction of the LR to end at', () => 1.0, { min: 0, max: 1 }),
      steps('total_iters', 'Steps of the ramp', (r) => r.warmup),
    ],
    schedule: (v, base) => torch.linearLR({ lr: base, start_factor: num(v, 'start_factor'), end_factor: num(v, 'end_factor'), total_iters: num(v, 'total_iters') }),
  }),
  define({
    id: 'torch.constant',
    framework: 'torch',
    label: 'Low-LR start, then constant (ConstantLR)',
    description: 'Holds the LR at factor × LR for total_iters steps, then at the full LR.',
    call: `${T}ConstantLR`,
    stepping: 'step',
    wiring: 'scheduler',
    params: [factor('factor', 'Fraction of the LR during the first phase', () => 0.1, { min: 0, max: 1 }), steps('total_iters', 'Steps at the reduced LR', (r) => r.warmup, 0)],
    schedule: (v, base) => torch.constantLR({ lr: base, factor: num(v, 'factor'), total_iters: num(v, 'total_iters') }),
  }),
  define({
    id: 'torch.cosine',
    framework: 'torch',
    label: 'Cosine annealing (CosineAnnealingLR)',
    description: 'Cosine decay from the LR to eta_min over T_max steps (it climbs back up if stepped past T_max).',
    call: `${T}CosineAnnealingLR`,
    stepping: 'step',
    wiring: 'scheduler',
    params: [steps('T_max', 'Steps from the LR down to eta_min (the run length)', (r) => r.total), lr('eta_min', 'The floor LR', floorLr)],
    schedule: (v, base) => torch.cosineAnnealingLR({ lr: base, T_max: num(v, 'T_max'), eta_min: num(v, 'eta_min') }),
  }),
  define({
    id: 'torch.cosine_restarts',
    framework: 'torch',
    label: 'Cosine with warm restarts (CosineAnnealingWarmRestarts)',
    description: 'SGDR: cosine cycles from the LR to eta_min, the first T_0 epochs long, each T_mult times longer.',
    call: `${T}CosineAnnealingWarmRestarts`,
    stepping: 'epoch',
    wiring: 'scheduler',
    params: [
      epochs('T_0', 'Epochs in the first cycle', (r) => Math.max(1, Math.round(r.epochs / 3))),
      param({ name: 'T_mult', description: 'Each cycle is T_mult times longer than the previous one', kind: 'int', unit: 'factor', min: 1 }, () => 2),
      lr('eta_min', 'The floor LR', floorLr),
    ],
    schedule: (v, base) => torch.cosineAnnealingWarmRestarts({ lr: base, T_0: num(v, 'T_0'), T_mult: num(v, 'T_mult'), eta_min: num(v, 'eta_min') }),
  }),
  define({
    id: 'torch.cyclic',
    framework: 'torch',
    label: 'Cyclical LR (CyclicLR)',
    description: 'Cycles the LR between base_lr and max_lr (triangular, triangular2 halves each cycle, exp_range decays by gamma per step).',
    call: `${T}CyclicLR`,
    stepping: 'step',
    wiring: 'scheduler',
    params: [
      lr('base_lr', 'The low end of each cycle', (r) => clean2(r.lr / 4)),
      lr('max_lr', 'The high end of each cycle', (r) => r.lr),
      steps('step_size_up', 'Steps from base_lr to max_lr (half a cycle)', (r) => cleanSteps(Math.min(r.stepsPerEpoch ? 4 * r.stepsPerEpoch : r.total / 8, r.total / 4))),
      choice('mode', 'triangular, triangular2 (halves the amplitude each cycle) or exp_range', ['triangular', 'triangular2', 'exp_range']),
      { ...factor('gamma', 'exp_range: the amplitude is multiplied by gamma every step', (r) => decayPer(r.total, 0.1), { min: 0, max: 1, minExclusive: true }), when: { param: 'mode', equals: 'exp_range' } },
    ],
    schedule: (v, base) => {
      void base;
      const mode = str(v, 'mode') as 'triangular' | 'triangular2' | 'exp_range';
      return torch.cyclicLR({ base_lr: num(v, 'base_lr'), max_lr: num(v, 'max_lr'), step_size_up: num(v, 'step_size_up'), mode, ...(mode === 'exp_range' ? { gamma: num(v, 'gamma') } : {}) });
    },
    fixedArgs: momentumOff,
  }),
  define({
    id: 'torch.onecycle',
    framework: 'torch',
    label: 'One-cycle (OneCycleLR)',
    description: 'Warms up from max_lr/div_factor to max_lr over pct_start of the run, then anneals far below the start.',
    call: `${T}OneCycleLR`,
    stepping: 'step',
    wiring: 'scheduler',
    params: [
      lr('max_lr', 'The peak LR', (r) => r.lr),
      steps('total_steps', 'Steps in the cycle (the run length)', (r) => r.total),
      ratio('pct_start', 'Fraction of the cycle spent warming up', () => 0.3),
      choice('anneal_strategy', 'Shape of both phases', ['cos', 'linear']),
      factor('div_factor', 'The start LR is max_lr / div_factor', () => 25),
      factor('final_div_factor', 'The final LR is the start LR / final_div_factor', () => 1e4),
    ],
    schedule: (v) =>
      torch.oneCycleLR({
        max_lr: num(v, 'max_lr'),
        total_steps: num(v, 'total_steps'),
        pct_start: num(v, 'pct_start'),
        anneal_strategy: str(v, 'anneal_strategy') as 'cos' | 'linear',
        div_factor: num(v, 'div_factor'),
        final_div_factor: num(v, 'final_div_factor'),
      }),
    fixedArgs: momentumOff,
  }),
  define({
    id: 'torch.plateau',
    framework: 'torch',
    label: 'Reduce on plateau (ReduceLROnPlateau)',
    description: 'Multiplies the LR by factor when the validation loss stops improving; no preview: when that happens depends on the loss.',
    call: `${T}ReduceLROnPlateau`,
    stepping: 'epoch',
    needsMetric: true,
    wiring: 'scheduler',
    params: [
      choice('mode', 'min for a loss, max for an accuracy', ['min', 'max']),
      factor('factor', 'Multiplier at each reduction', () => 0.1, { min: 0, max: 1, minExclusive: true }),
      epochs('patience', 'Epochs without improvement before reducing', patience, 0),
      lr('min_lr', 'The LR never goes below this', floorLr),
    ],
    schedule: () => undefined,
  }),
  warmupThen({
    id: 'torch.warmup_cosine',
    label: 'Linear warmup, then cosine decay (SequentialLR)',
    description: 'LinearLR from start_factor × LR up to the LR over total_iters steps, then CosineAnnealingLR down to eta_min over T_max steps.',
    then: `${T}CosineAnnealingLR`,
    params: [steps('T_max', 'Steps of the cosine after the warmup', (r) => Math.max(1, r.total - r.warmup)), lr('eta_min', 'The floor LR', floorLr)],
    schedule: (v, base) => torch.cosineAnnealingLR({ lr: base, T_max: num(v, 'T_max'), eta_min: num(v, 'eta_min') }),
  }),
  warmupThen({
    id: 'torch.warmup_exponential',
    label: 'Linear warmup, then exponential decay (SequentialLR)',
    description: 'LinearLR from start_factor × LR up to the LR over total_iters steps, then ExponentialLR multiplying it by gamma every step.',
    then: `${T}ExponentialLR`,
    params: [factor('gamma', 'Multiplier per step after the warmup (the default reaches 1/100 of the LR at the end)', (r) => decayPer(r.total - r.warmup), { min: 0, max: 1, minExclusive: true })],
    schedule: (v, base) => torch.exponentialLR({ lr: base, gamma: num(v, 'gamma') }),
  }),
  define({
    id: 'torch.chained',
    framework: 'torch',
    label: 'Low-LR start, then exponential decay (ChainedScheduler)',
    description: 'ConstantLR and ExponentialLR applied together: factor × LR for total_iters epochs, and × gamma every epoch throughout.',
    call: `${T}ChainedScheduler`,
    stepping: 'epoch',
    wiring: 'scheduler',
    params: [
      factor('factor', 'Fraction of the LR during the first epochs', () => 0.1, { min: 0, max: 1 }),
      epochs('total_iters', 'Epochs at the reduced LR', (r) => Math.max(1, Math.round(r.epochs / 15)), 0),
      factor('gamma', 'Multiplier per epoch (the default reaches 1/100 of the LR at the end)', (r) => decayPer(r.epochs), { min: 0, max: 1, minExclusive: true }),
    ],
    schedule: (v, base) => {
      const warm = torch.constantLR({ lr: base, factor: num(v, 'factor'), total_iters: num(v, 'total_iters') });
      const decay = torch.exponentialLR({ lr: 1, gamma: num(v, 'gamma') });
      return (e) => warm(e) * decay(e);
    },
    build: (v, g) =>
      pyCall(
        g.ref(`${T}ChainedScheduler`),
        pyList(
          pyCall(g.ref(`${T}ConstantLR`), g.opt, pyKw('factor', g.float(num(v, 'factor'))), pyKw('total_iters', g.int(num(v, 'total_iters')))),
          pyCall(g.ref(`${T}ExponentialLR`), g.opt, pyKw('gamma', g.float(num(v, 'gamma')))),
        ),
      ),
    read: readComposite(`${T}ChainedScheduler`, [`${T}ConstantLR`, `${T}ExponentialLR`], { factor: 0, total_iters: 0, gamma: 1 }),
  }),
  define({
    id: 'torch.inverse_sqrt',
    framework: 'torch',
    label: 'Linear warmup, then inverse square root (LambdaLR)',
    description: 'Ramps from 0 to the LR over num_warmup_steps, then decays as sqrt(num_warmup_steps / step), the Transformer schedule.',
    call: `${T}LambdaLR`,
    stepping: 'step',
    wiring: 'scheduler',
    params: [steps('num_warmup_steps', 'Warmup steps (the LR peaks there)', (r) => r.warmup)],
    schedule: (v, base) => hf.inverseSqrtSchedule({ lr: base, num_warmup_steps: num(v, 'num_warmup_steps') }),
    build: (v, g) => {
      const w = g.int(num(v, 'num_warmup_steps'));
      return pyCall(g.ref(`${T}LambdaLR`), g.opt, pyKw('lr_lambda', `lambda step: step / ${w} if step < ${w} else (${w} / step) ** 0.5`));
    },
    read: (_t, model) => {
      const s = constructionOf(model, `${T}LambdaLR`, (x) => /^lambda\s+(\w+)\s*:\s*\1\s*\/\s*[\d_]+\s+if\s+\1\s*<\s*[\d_]+\s+else\s+\(\s*[\d_]+\s*\/\s*\1\s*\)\s*\*\*\s*0\.5$/.test(x.args.lr_lambda?.expr ?? ''));
      if (!s) return undefined;
      const [w] = numbersIn(s.args.lr_lambda!.expr);
      return reading(s, w !== undefined ? { num_warmup_steps: w } : {});
    },
  }),
  define({
    id: 'torch.multiplicative',
    framework: 'torch',
    label: 'Multiply every epoch (MultiplicativeLR)',
    description: 'Multiplies the LR by the factor lr_lambda returns, once per epoch.',
    call: `${T}MultiplicativeLR`,
    stepping: 'epoch',
    wiring: 'scheduler',
    params: [factor('lr_lambda', 'The factor lr_lambda returns every epoch (the default reaches 1/100 of the LR at the end)', (r) => decayPer(r.epochs))],
    schedule: (v, base) => torch.exponentialLR({ lr: base, gamma: num(v, 'lr_lambda') }),
    build: (v, g) => pyCall(g.ref(`${T}MultiplicativeLR`), g.opt, pyKw('lr_lambda', `lambda epoch: ${g.float(num(v, 'lr_lambda'))}`)),
    read: (_t, model) => {
      const s = constructionOf(model, `${T}MultiplicativeLR`, (x) => /^lambda\s+\w+\s*:\s*[\d.eE_+-]+$/.test(x.args.lr_lambda?.expr ?? ''));
      if (!s) return undefined;
      const [f] = numbersIn(s.args.lr_lambda!.expr.replace(/^lambda\s+\w+\s*:/, ''));
      return reading(s, f !== undefined ? { lr_lambda: f } : {});
    },
  }),
];

const HF_WARMUP = steps('num_warmup_steps', 'Steps of linear warmup from 0 to the LR', (r) => r.warmup, 0);
const HF_TOTAL = steps('num_training_steps', 'The run length in optimizer steps (the Trainer uses its own)', (r) => r.total);

/** A Hugging Face schedule: a `get_*_schedule_with_warmup` function, or `lr_scheduler_type` for the Trainer. */
function hfTemplate(o: {
  id: string;
  label: string;
  description: string;
  fn: string;
  type: hf.HfSchedulerType;
  extra: TemplateParam[];
  /** Library defaults of the extra parameters (the Trainer form leaves them out). */
  libraryDefaults?: Record<string, ParamValue>;
  training?: boolean;
}): ScheduleTemplate {
  const params = [HF_WARMUP, ...(o.training === false ? [] : [HF_TOTAL]), ...o.extra];
  return define({
    id: o.id,
    framework: 'transformers',
    label: o.label,
    description: o.description,
    call: `${HF}${o.fn}`,
    stepping: 'step',
    wiring: 'scheduler',
    trainer: { type: o.type, kwargs: o.extra.map((p) => p.name), defaults: o.libraryDefaults ?? {} },
    params,
    schedule: (v, base) => hf.hfScheduler(o.type, { lr: base, ...Object.fromEntries(params.map((p) => [p.name, v[p.name]])) }),
    read: (t, model) => {
      const s = constructionOf(model, `${HF}${o.fn}`) ?? constructionOf(model, `${HF}get_scheduler`, (x) => x.args.name?.text === o.type);
      if (s) return reading(s, readArgs(model, s, t.params));
      const ta = model.trainingArguments.find((x) => x.schedulerType === o.type);
      if (!ta) return undefined;
      const values: Record<string, ParamValue> = { ...(o.libraryDefaults ?? {}) };
      const w = ta.args.warmup_steps?.value;
      values.num_warmup_steps = w ?? 0;
      const kw = ta.args.lr_scheduler_kwargs;
      let stable: number | undefined;
      if (kw?.node.name === 'DictionaryExpression') {
        for (const [k, node] of dictEntries(model.doc, kw.node)) {
          const r = model.values.resolve(node);
          const p = params.find((x) => x.name === k);
          if (k === 'num_stable_steps') stable = r.value;
          else if (p && (r.value !== undefined || r.text !== undefined)) values[k] = p.kind === 'choice' ? (r.text ?? String(r.value)) : r.value!;
        }
      }
      // The WSD form pins its length with num_stable_steps; the others take the Trainer's.
      if (stable !== undefined && typeof values.num_decay_steps === 'number') values.num_training_steps = values.num_warmup_steps + stable + values.num_decay_steps;
      return reading(ta, values);
    },
  });
}

const transformersTemplates: ScheduleTemplate[] = [
  hfTemplate({ id: 'transformers.linear', label: 'Linear warmup, then linear decay to 0', description: 'The Trainer default: 0 → LR over the warmup, then a straight line to 0 at the end.', fn: 'get_linear_schedule_with_warmup', type: 'linear', extra: [] }),
  hfTemplate({
    id: 'transformers.cosine',
    label: 'Linear warmup, then cosine decay',
    description: 'Warmup to the LR, then a cosine down to 0 at the end (num_cycles 0.5 is one half-wave).',
    fn: 'get_cosine_schedule_with_warmup',
    type: 'cosine',
    extra: [param({ name: 'num_cycles', description: 'Waves of the cosine (0.5 = from the LR down to 0 once)', kind: 'float', min: 0, minExclusive: true }, () => 0.5)],
    libraryDefaults: { num_cycles: 0.5 },
  }),
  hfTemplate({
    id: 'transformers.cosine_restarts',
    label: 'Linear warmup, then cosine with hard restarts',
    description: 'Warmup, then num_cycles cosines each from the LR down to 0, jumping back up between them.',
    fn: 'get_cosine_with_hard_restarts_schedule_with_warmup',
    type: 'cosine_with_restarts',
    extra: [param({ name: 'num_cycles', description: 'Number of cosine cycles', kind: 'int', min: 1 }, () => 3)],
    libraryDefaults: { num_cycles: 1 },
  }),
  hfTemplate({
    id: 'transformers.polynomial',
    label: 'Linear warmup, then polynomial decay',
    description: 'Warmup, then (LR - lr_end) × (1 - progress)^power + lr_end, ending at lr_end.',
    fn: 'get_polynomial_decay_schedule_with_warmup',
    type: 'polynomial',
    extra: [lr('lr_end', 'The final LR (must be below the LR)', floorLr), param({ name: 'power', description: 'Exponent of the decay (1 = linear)', kind: 'float', min: 0, minExclusive: true }, () => 1.0)],
    libraryDefaults: { lr_end: 1e-7, power: 1.0 },
  }),
  hfTemplate({ id: 'transformers.constant', label: 'Linear warmup, then constant', description: 'Warmup from 0 to the LR, then the LR for the rest of the run.', fn: 'get_constant_schedule_with_warmup', type: 'constant_with_warmup', extra: [], training: false }),
  hfTemplate({
    id: 'transformers.inverse_sqrt',
    label: 'Linear warmup, then inverse square root',
    description: 'Warmup, then LR × sqrt(num_warmup_steps / step): fast early decay that never reaches 0.',
    fn: 'get_inverse_sqrt_schedule',
    type: 'inverse_sqrt',
    extra: [],
    training: false,
  }),
  hfTemplate({
    id: 'transformers.wsd',
    label: 'Warmup, stable, decay (WSD)',
    description: 'Warmup, the LR held for most of the run, then a short decay over num_decay_steps at the end.',
    fn: 'get_wsd_schedule',
    type: 'warmup_stable_decay',
    extra: [
      steps('num_decay_steps', 'Steps of the final decay', (r) => cleanSteps(0.1 * r.total)),
      choice('decay_type', 'Shape of the decay', ['cosine', 'linear', '1-sqrt']),
      ratio('min_lr_ratio', 'The final LR as a fraction of the LR', () => 0.0),
    ],
    libraryDefaults: { decay_type: 'cosine', min_lr_ratio: 0 },
  }),
];

const kerasTemplates: ScheduleTemplate[] = [
  define({
    id: 'keras.exponential',
    framework: 'keras',
    label: 'Exponential decay (ExponentialDecay)',
    description: 'initial_learning_rate × decay_rate^(step / decay_steps), counted in optimizer steps; a staircase when staircase=True.',
    call: `${KS}ExponentialDecay`,
    stepping: 'step',
    wiring: 'lr',
    params: [
      lr('initial_learning_rate', 'The LR at step 0', (r) => r.lr),
      steps('decay_steps', 'Steps per decay period (one epoch by default)', (r) => r.stepsPerEpoch ?? cleanSteps(r.total / 10)),
      factor('decay_rate', 'Multiplier per decay period (the default reaches 1/100 of the LR at the end)', (r) => decayPer(r.total / (r.stepsPerEpoch ?? cleanSteps(r.total / 10))), { min: 0, minExclusive: true }),
      choice('staircase', 'Decay in whole periods (a staircase) instead of smoothly', BOOL),
    ],
    schedule: (v) => keras.exponentialDecay({ initial_learning_rate: num(v, 'initial_learning_rate'), decay_steps: num(v, 'decay_steps'), decay_rate: num(v, 'decay_rate'), staircase: v.staircase === 'True' }),
  }),
  define({
    id: 'keras.piecewise',
    framework: 'keras',
    label: 'Piecewise constant (PiecewiseConstantDecay)',
    description: 'values[0] up to boundaries[0], values[1] up to boundaries[1], …: LR levels between step boundaries.',
    call: `${KS}PiecewiseConstantDecay`,
    stepping: 'step',
    wiring: 'lr',
    params: [
      param({ name: 'boundaries', description: 'Steps at which the LR changes level', kind: 'int_list', unit: 'steps', min: 1 }, (r) => [Math.round(r.total / 2), Math.round((r.total * 3) / 4)]),
      param({ name: 'values', description: 'The LR of each level, one more than boundaries', kind: 'float_list', unit: 'lr', min: 0 }, (r) => [r.lr, clean2(r.lr / 10), clean2(r.lr / 100)]),
    ],
    schedule: (v) => keras.piecewiseConstantDecay({ boundaries: nums(v, 'boundaries'), values: nums(v, 'values') }),
  }),
  define({
    id: 'keras.cosine_warmup',
    framework: 'keras',
    label: 'Linear warmup, then cosine decay (CosineDecay)',
    description: 'Linear from initial_learning_rate to warmup_target over warmup_steps, then a cosine down to alpha × warmup_target over decay_steps.',
    call: `${KS}CosineDecay`,
    stepping: 'step',
    wiring: 'lr',
    params: [
      lr('initial_learning_rate', 'The LR the warmup starts from', () => 0.0),
      lr('warmup_target', 'The peak LR, reached at the end of the warmup', (r) => r.lr),
      steps('warmup_steps', 'Steps of the warmup', (r) => r.warmup, 0),
      steps('decay_steps', 'Steps of the cosine after the warmup', (r) => Math.max(1, r.total - r.warmup)),
      ratio('alpha', 'The floor as a fraction of the peak', () => 0.01),
    ],
    schedule: (v) =>
      keras.cosineDecay({
        initial_learning_rate: num(v, 'initial_learning_rate'),
        decay_steps: num(v, 'decay_steps'),
        alpha: num(v, 'alpha'),
        warmup_target: num(v, 'warmup_target'),
        warmup_steps: num(v, 'warmup_steps'),
      }),
    // CosineDecay's own order: its warmup arguments come last.
    argOrder: ['initial_learning_rate', 'decay_steps', 'alpha', 'warmup_target', 'warmup_steps'],
  }),
  define({
    id: 'keras.cosine_restarts',
    framework: 'keras',
    label: 'Cosine with restarts (CosineDecayRestarts)',
    description: 'SGDR: cosine cycles from the LR to alpha × LR, the first first_decay_steps long, each t_mul times longer and m_mul times lower.',
    call: `${KS}CosineDecayRestarts`,
    stepping: 'step',
    wiring: 'lr',
    params: [
      lr('initial_learning_rate', 'The LR at the start of the first cycle', (r) => r.lr),
      steps('first_decay_steps', 'Steps of the first cycle (three cycles fit the run by default)', (r) => cleanSteps(r.total / 7)),
      factor('t_mul', 'Each cycle is t_mul times longer', () => 2.0),
      factor('m_mul', 'Each restart peaks at m_mul times the previous peak', () => 1.0, { min: 0, max: 1 }),
      ratio('alpha', 'The floor as a fraction of the LR', () => 0.01),
    ],
    schedule: (v) =>
      keras.cosineDecayRestarts({ initial_learning_rate: num(v, 'initial_learning_rate'), first_decay_steps: num(v, 'first_decay_steps'), t_mul: num(v, 't_mul'), m_mul: num(v, 'm_mul'), alpha: num(v, 'alpha') }),
  }),
  define({
    id: 'keras.plateau',
    framework: 'keras',
    label: 'Reduce on plateau (ReduceLROnPlateau callback)',
    description: 'Multiplies the LR by factor when the monitored metric stops improving; no preview: when that happens depends on the metric.',
    call: 'keras.callbacks.ReduceLROnPlateau',
    stepping: 'epoch',
    needsMetric: true,
    wiring: 'callback',
    params: [
      choice('monitor', 'The metric to watch', ['val_loss', 'loss']),
      factor('factor', 'Multiplier at each reduction', () => 0.2, { min: 0, max: 1, minExclusive: true }),
      epochs('patience', 'Epochs without improvement before reducing', patience, 0),
      lr('min_lr', 'The LR never goes below this', floorLr),
    ],
    schedule: () => undefined,
  }),
  define({
    id: 'keras.lr_scheduler',
    framework: 'keras',
    label: 'Hold, then decay every epoch (LearningRateScheduler)',
    description: 'A schedule function called at the start of each epoch: the optimizer LR until decay_start, then × decay_rate per epoch.',
    call: 'keras.callbacks.LearningRateScheduler',
    stepping: 'epoch',
    wiring: 'callback',
    params: [
      epochs('decay_start', 'The first epoch with a lower LR', (r) => Math.max(1, Math.round(r.epochs / 3)), 0),
      factor('decay_rate', 'Multiplier per epoch from decay_start on (the default reaches 1/100 of the LR at the end)', (r) => decayPer(r.epochs - Math.max(1, Math.round(r.epochs / 3))), { min: 0, minExclusive: true }),
    ],
    // The callback sets lr(e) = schedule(e, lr(e - 1)) before epoch e: the LR is kept
    // before decay_start and multiplied once per epoch from it on.
    schedule: (v, base) => {
      const decay = torch.exponentialLR({ lr: base, gamma: num(v, 'decay_rate') });
      const start = num(v, 'decay_start');
      return (e) => decay(Math.max(0, e - start + 1));
    },
    build: (v, g) => {
      void v;
      return pyCall(g.ref('keras.callbacks.LearningRateScheduler'), g.helperName);
    },
    helper: (v, g) => [`def ${g.helperName}(epoch, lr):`, `    if epoch < ${g.int(num(v, 'decay_start'))}:`, '        return lr', `    return lr * ${g.float(num(v, 'decay_rate'))}`],
    read: (_t, model) => {
      const s = constructionOf(model, 'keras.callbacks.LearningRateScheduler');
      const fnName = s?.args.schedule?.expr;
      if (!s || !fnName) return undefined;
      const fn = nodesOfType(model.doc, new Set(['FunctionDefinition'])).find((f) => functionName(model.doc, f) === fnName);
      if (!fn) return reading(s, {});
      const body = model.doc.textOf(fn);
      const start = /if\s+\w+\s*<\s*([\d_]+)\s*:/.exec(body);
      const rate = /return\s+\w+\s*\*\s*([\d._eE+-]+)\s*$/m.exec(body);
      const values: Record<string, ParamValue> = {};
      if (start) values.decay_start = Number(start[1]!.replace(/_/g, ''));
      if (rate) values.decay_rate = Number(rate[1]!.replace(/_/g, ''));
      return reading(s, values);
    },
  }),
];

const optaxTemplates: ScheduleTemplate[] = [
  define({
    id: 'optax.warmup_cosine',
    framework: 'optax',
    label: 'Linear warmup, then cosine decay (warmup_cosine_decay_schedule)',
    description: 'Linear from init_value to peak_value over warmup_steps, then a cosine to end_value; decay_steps counts the warmup too.',
    call: 'optax.warmup_cosine_decay_schedule',
    stepping: 'step',
    wiring: 'lr',
    params: [
      lr('init_value', 'The LR the warmup starts from', () => 0.0),
      lr('peak_value', 'The peak LR, reached at the end of the warmup', (r) => r.lr),
      steps('warmup_steps', 'Steps of the warmup', (r) => r.warmup, 0),
      steps('decay_steps', 'Total steps, warmup included (the run length)', (r) => r.total),
      lr('end_value', 'The final LR', floorLr),
    ],
    schedule: (v) =>
      optax.warmupCosineDecaySchedule({ init_value: num(v, 'init_value'), peak_value: num(v, 'peak_value'), warmup_steps: num(v, 'warmup_steps'), decay_steps: num(v, 'decay_steps'), end_value: num(v, 'end_value') }),
  }),
  define({
    id: 'optax.exponential',
    framework: 'optax',
    label: 'Exponential decay (exponential_decay)',
    description: 'init_value × decay_rate^((step - transition_begin) / transition_steps), held at init_value until transition_begin.',
    call: 'optax.exponential_decay',
    stepping: 'step',
    wiring: 'lr',
    params: [
      lr('init_value', 'The LR at step 0', (r) => r.lr),
      steps('transition_steps', 'Steps per decay period (one epoch by default)', (r) => r.stepsPerEpoch ?? cleanSteps(r.total / 10)),
      factor('decay_rate', 'Multiplier per decay period (the default reaches 1/100 of the LR at the end)', (r) => decayPer(r.total / (r.stepsPerEpoch ?? cleanSteps(r.total / 10))), { min: 0, minExclusive: true }),
      steps('transition_begin', 'Steps at init_value before the decay starts', () => 0, 0),
      choice('staircase', 'Decay in whole periods (a staircase) instead of smoothly', BOOL),
    ],
    schedule: (v) =>
      optax.exponentialDecay({ init_value: num(v, 'init_value'), transition_steps: num(v, 'transition_steps'), decay_rate: num(v, 'decay_rate'), transition_begin: num(v, 'transition_begin'), staircase: v.staircase === 'True' }),
  }),
  define({
    id: 'optax.join',
    framework: 'optax',
    label: 'Linear warmup joined to a cosine decay (join_schedules)',
    description: 'linear_schedule from 0 to init_value over transition_steps, then cosine_decay_schedule from init_value to alpha × init_value over decay_steps.',
    call: 'optax.join_schedules',
    stepping: 'step',
    wiring: 'lr',
    params: [
      steps('transition_steps', 'Warmup steps (linear_schedule transition_steps, the boundary)', (r) => r.warmup),
      lr('init_value', 'The peak LR (cosine_decay_schedule init_value)', (r) => r.lr),
      steps('decay_steps', 'Steps of the cosine after the warmup', (r) => Math.max(1, r.total - r.warmup)),
      ratio('alpha', 'The floor as a fraction of the peak', () => 0.01),
    ],
    schedule: (v) =>
      optax.joinSchedules(
        [
          optax.linearSchedule({ init_value: 0, end_value: num(v, 'init_value'), transition_steps: num(v, 'transition_steps') }),
          optax.cosineDecaySchedule({ init_value: num(v, 'init_value'), decay_steps: num(v, 'decay_steps'), alpha: num(v, 'alpha') }),
        ],
        [num(v, 'transition_steps')],
      ),
    build: (v, g) =>
      pyCall(
        g.ref('optax.join_schedules'),
        pyKw(
          'schedules',
          pyList(
            pyCall(g.ref('optax.linear_schedule'), pyKw('init_value', '0.0'), pyKw('end_value', g.lr(num(v, 'init_value'))), pyKw('transition_steps', g.int(num(v, 'transition_steps')))),
            pyCall(g.ref('optax.cosine_decay_schedule'), pyKw('init_value', g.lr(num(v, 'init_value'))), pyKw('decay_steps', g.int(num(v, 'decay_steps'))), pyKw('alpha', g.float(num(v, 'alpha')))),
          ),
        ),
        pyKw('boundaries', pyList(g.int(num(v, 'transition_steps')))),
      ),
    read: readComposite('optax.join_schedules', ['optax.linear_schedule', 'optax.cosine_decay_schedule'], { transition_steps: 0, init_value: 1, decay_steps: 1, alpha: 1 }),
  }),
  define({
    id: 'optax.sgdr',
    framework: 'optax',
    label: 'Warm restarts (sgdr_schedule)',
    description: 'cycles warmup-cosine cycles end to end, each decay_steps long (warmup included), from peak_value down to end_value.',
    call: 'optax.sgdr_schedule',
    stepping: 'step',
    wiring: 'lr',
    params: [
      param({ name: 'cycles', description: 'Number of cycles', kind: 'int', min: 1 }, () => 3),
      lr('peak_value', 'The peak LR of each cycle', (r) => r.lr),
      steps('warmup_steps', 'Warmup steps at the start of each cycle', (r) => cleanSteps(0.05 * (r.total / 3)), 0),
      steps('decay_steps', 'Steps per cycle, warmup included (three cycles fit the run by default)', (r) => Math.max(1, Math.floor(r.total / 3))),
      lr('end_value', 'The LR at the end of each cycle', floorLr),
    ],
    schedule: (v) => {
      const k = { init_value: 0, peak_value: num(v, 'peak_value'), warmup_steps: num(v, 'warmup_steps'), decay_steps: num(v, 'decay_steps'), end_value: num(v, 'end_value') };
      return optax.sgdrSchedule(Array.from({ length: num(v, 'cycles') }, () => k));
    },
    build: (v, g) => {
      const cycle = pyCall(
        'dict',
        pyKw('init_value', '0.0'),
        pyKw('peak_value', g.lr(num(v, 'peak_value'))),
        pyKw('warmup_steps', g.int(num(v, 'warmup_steps'))),
        pyKw('decay_steps', g.int(num(v, 'decay_steps'))),
        pyKw('end_value', g.lr(num(v, 'end_value'))),
      );
      return pyCall(g.ref('optax.sgdr_schedule'), pyList(...Array.from({ length: num(v, 'cycles') }, () => cycle)));
    },
    read: (_t, model) => {
      const s = constructionOf(model, 'optax.sgdr_schedule');
      const list = s?.args.cosine_kwargs?.node;
      if (!s || !list || list.name !== 'ArrayExpression') return s ? reading(s, {}) : undefined;
      const items = childrenOf(list).filter((c) => !['[', ']', ','].includes(c.name));
      const first = items[0] ? kwargsOf(model, items[0]) : {};
      const values: Record<string, ParamValue> = { cycles: items.length };
      for (const k of ['peak_value', 'warmup_steps', 'decay_steps', 'end_value']) if (first[k] !== undefined) values[k] = first[k];
      return reading(s, values);
    },
  }),
];

/** Lightning uses PyTorch's schedulers; Lightning steps them at their `"interval"`. */
const lightningTemplates: ScheduleTemplate[] = torchTemplates.map((t) => {
  const base = t;
  const lt: ScheduleTemplate = {
    ...base,
    id: t.id.replace(/^torch\./, 'lightning.'),
    framework: 'lightning',
    interval: t.stepping,
    description: `${t.description} Lightning steps it every ${t.stepping === 'step' ? 'optimizer step ("interval": "step")' : 'epoch ("interval": "epoch")'}.`,
    insert: (model, values, at) => {
      const r = insertTemplate(lt, model, values, at);
      return 'reason' in r ? undefined : r;
    },
  };
  return lt;
});

const ALL: readonly ScheduleTemplate[] = [...torchTemplates, ...transformersTemplates, ...kerasTemplates, ...optaxTemplates, ...lightningTemplates];
const BY_ID = new Map(ALL.map((t) => [t.id, t]));

/** Every template, PyTorch first. */
export function allTemplates(): readonly ScheduleTemplate[] {
  return ALL;
}

/** The templates of one framework, in quick-pick order. */
export function templatesFor(framework: TemplateFramework): ScheduleTemplate[] {
  return ALL.filter((t) => t.framework === framework);
}

export function templateById(id: string): ScheduleTemplate | undefined {
  return BY_ID.get(id);
}

// ---------------------------------------------------------------------------------
// The script's side

/**
 * The framework to pre-select for a script: Lightning when it defines
 * `configure_optimizers` or imports Lightning; Hugging Face for Trainer scripts and
 * scripts that already use a `transformers` schedule; else the framework of its main
 * optimizer; else the first schedule-capable framework it imports.
 */
export function detectFramework(model: ScriptModel): TemplateFramework | undefined {
  const hasConfigure = nodesOfType(model.doc, new Set(['FunctionDefinition'])).some((f) => functionName(model.doc, f) === 'configure_optimizers');
  if (hasConfigure || model.frameworks.includes('lightning')) return 'lightning';
  if (model.trainingArguments.length) return 'transformers';
  if (model.schedulers.some((s) => s.framework === 'transformers')) return 'transformers';
  const o = mainOptimizer(model);
  if (o?.framework === 'keras') return 'keras';
  if (o?.framework === 'optax') return 'optax';
  if (o) return 'torch';
  if (model.schedulers.some((s) => s.framework === 'keras')) return 'keras';
  if (model.schedulers.some((s) => s.framework === 'optax')) return 'optax';
  for (const f of ['keras', 'optax', 'transformers', 'torch'] as const) if (model.frameworks.includes(f)) return f;
  if (model.frameworks.includes('timm') || model.frameworks.includes('bitsandbytes')) return 'torch';
  return undefined;
}

/**
 * The sizing context for a script and its linked run: the run's counts as given, and
 * the base LR from the script (its main optimizer's LR, the Trainer's learning_rate, or
 * a `learning_rate`/`lr` setting) unless the run gives one.
 */
export function templateContext(model: ScriptModel, run: TemplateContext = {}): TemplateContext {
  const o = mainOptimizer(model);
  const setting = (re: RegExp): number | undefined => positive(model.settings.find((s) => re.test(s.name) && s.value !== undefined)?.value);
  const scriptLr = (o && o.lrSchedule === undefined ? o.lrValue : undefined) ?? model.trainingArguments[0]?.learningRate ?? setting(/^(learning_rate|lr|base_lr|max_lr|peak_lr)$/);
  const baseLr = positive(run.baseLr) ?? positive(scriptLr);
  const out: TemplateContext = { ...run, ...(baseLr !== undefined ? { baseLr } : {}) };
  // Without a run, the script's own length settings (`--epochs`, `max_iters`) size the defaults.
  if (positive(run.totalSteps) === undefined && positive(run.stepsPerEpoch) === undefined && positive(run.epochs) === undefined) {
    const epochs = positive(model.trainingArguments[0]?.args.num_train_epochs?.value) ?? setting(/^(epochs|num_epochs|max_epochs|num_train_epochs)$/);
    const total = positive(model.trainingArguments[0]?.args.max_steps?.value) ?? setting(/^(max_iters|max_steps|num_train_steps|total_steps|max_train_steps)$/);
    if (epochs !== undefined) out.epochs = epochs;
    if (total !== undefined) out.totalSteps = total;
  }
  return out;
}

/**
 * Inserts `t` into `model`'s script: the edits and a title, or the reason this script
 * has no place for it (invalid values, no optimizer, no `fit` call, ...). `at` is a
 * 0-based line where a new construction should go; it is used when valid (after the
 * optimizer and before the training loop for PyTorch, before the optimizer for Keras
 * and optax) and reported in `notes` otherwise.
 */
export function insertTemplate(t: ScheduleTemplate, model: ScriptModel, values: TemplateValues, at?: { line: number }): InsertOutcome {
  const problems = validateValues(t, values);
  if (problems.length) return { reason: problems.join('; ') };
  return wireTemplate(t, model, values, at);
}

/** A template found in a script, with the values to pre-fill the command with. */
export interface CurrentTemplate {
  template: ScheduleTemplate;
  /** Every parameter: what the script writes, and the defaults for the context where it computes a value at run time. */
  values: Record<string, ParamValue>;
  /** The parameters the script itself gave. */
  fromScript: string[];
  /** 1-based line of the construction (or of `TrainingArguments`). */
  line: number;
}

/**
 * The template the script's schedule in charge was written from (a PyTorch scheduler,
 * a Hugging Face function or Trainer schedule, a Keras or optax schedule, a Keras LR
 * callback), so the command can start from what is there. Undefined when the script's
 * schedule is not one of the catalogue's shapes.
 */
export function currentTemplate(model: ScriptModel, ctx: TemplateContext = {}): CurrentTemplate | undefined {
  const fw = detectFramework(model);
  const order = [...(fw ? templatesFor(fw) : []), ...ALL.filter((t) => t.framework !== fw && t.framework !== 'lightning')];
  const main = mainScheduler(model);
  const found: CurrentTemplate[] = [];
  for (const t of order) {
    const r = t.read(model);
    if (r) found.push({ template: t, values: { ...t.defaults(ctx), ...r.values }, fromScript: Object.keys(r.values), line: r.line });
  }
  return found.find((f) => main !== undefined && f.line === main.line) ?? found[0];
}
