// The optimizers and LR schedulers LR Lens understands: their qualified names, real
// parameter order (so positional arguments are read correctly), default LR, and how
// each scheduler expects to be stepped.
//
// Signatures follow the libraries' sources: torch/optim/*.py and lr_scheduler.py
// (PyTorch 2.x), transformers/optimization.py, bitsandbytes/optim/*.py,
// timm/optim/_optim_factory.py and timm/scheduler/scheduler_factory.py,
// keras/src/optimizers/*.py and keras/src/optimizers/schedules/learning_rate_schedule.py,
// keras/src/callbacks/*.py, optax/_src/alias.py and optax/schedules/_schedule.py.
import type { ScheduleFamily } from '../schedules/types';

export type Framework = 'torch' | 'transformers' | 'bitsandbytes' | 'timm' | 'keras' | 'optax' | 'lightning';

/**
 * The optimizer family decides the usual LR range: adaptive methods (Adam and its
 * kin) run at ~1e-5..1e-2, plain SGD at ~1e-3..1.
 */
export type OptimizerFamily = 'adam' | 'sgd' | 'rmsprop' | 'adagrad' | 'adadelta' | 'lion' | 'adafactor' | 'lbfgs' | 'other';

export interface OptimizerSpec {
  kind: 'optimizer';
  /** Canonical qualified name, e.g. `torch.optim.AdamW`. */
  name: string;
  framework: Framework;
  family: OptimizerFamily;
  /** Parameter names in positional order. */
  params: readonly string[];
  /** The LR parameter (`lr` or `learning_rate`). */
  lrParam: string;
  /** The LR used when the argument is absent (undefined: required, or chosen by the library). */
  defaultLr?: number;
}

/**
 * How a scheduler wants to be stepped:
 * - `epoch`: sized in epochs in the usual recipes (StepLR(step_size=30)); stepping it per
 *   batch decays it hundreds of times too fast.
 * - `batch`: sized in optimizer steps (OneCycleLR, CyclicLR, every HF schedule).
 * - `either`: sized by whatever the user passes (CosineAnnealingLR, LinearLR).
 * - `metric`: ReduceLROnPlateau, stepped with a validation metric, usually per epoch.
 * - `implicit`: stepped by the framework (Keras/optax schedules count optimizer updates).
 * - `explicit`: timm schedulers, stepped with the epoch or update count as argument.
 */
export type Cadence = 'epoch' | 'batch' | 'either' | 'metric' | 'implicit' | 'explicit';

export interface SchedulerSpec {
  kind: 'scheduler';
  name: string;
  framework: Framework;
  /** The closed-form family, when fixed by the class (undefined for lambdas and composites). */
  family?: ScheduleFamily;
  params: readonly string[];
  cadence: Cadence;
  /** Whether the schedule ramps the LR up first (warmup). */
  warmup?: 'always' | 'param';
  /** Whether this is a wrapper of other schedules (SequentialLR, join_schedules). */
  composite?: boolean;
  /** Keras callbacks are passed to `fit(callbacks=[...])`, not to the optimizer. */
  callback?: boolean;
}

export type Spec = OptimizerSpec | SchedulerSpec;

const TORCH_OPT = (name: string, family: OptimizerFamily, defaultLr: number | undefined, rest: string[] = []): OptimizerSpec => ({
  kind: 'optimizer',
  name: `torch.optim.${name}`,
  framework: 'torch',
  family,
  params: ['params', 'lr', ...rest],
  lrParam: 'lr',
  ...(defaultLr !== undefined ? { defaultLr } : {}),
});

const KERAS_OPT = (name: string, family: OptimizerFamily, defaultLr: number): OptimizerSpec => ({
  kind: 'optimizer',
  name: `keras.optimizers.${name}`,
  framework: 'keras',
  family,
  params: ['learning_rate'],
  lrParam: 'learning_rate',
  defaultLr,
});

const OPTAX_OPT = (name: string, family: OptimizerFamily, rest: string[] = []): OptimizerSpec => ({
  kind: 'optimizer',
  name: `optax.${name}`,
  framework: 'optax',
  family,
  params: ['learning_rate', ...rest],
  lrParam: 'learning_rate',
});

const BNB_OPT = (name: string, family: OptimizerFamily, defaultLr: number | undefined): OptimizerSpec => ({
  kind: 'optimizer',
  name: `bitsandbytes.optim.${name}`,
  framework: 'bitsandbytes',
  family,
  params: ['params', 'lr'],
  lrParam: 'lr',
  ...(defaultLr !== undefined ? { defaultLr } : {}),
});

const sched = (name: string, framework: Framework, params: string[], cadence: Cadence, family?: ScheduleFamily, extra: Partial<SchedulerSpec> = {}): SchedulerSpec => ({
  kind: 'scheduler',
  name,
  framework,
  params,
  cadence,
  ...(family ? { family } : {}),
  ...extra,
});

const T = 'torch.optim.lr_scheduler.';
const HF = 'transformers.';
const KS = 'keras.optimizers.schedules.';
const HF_W = ['optimizer', 'num_warmup_steps', 'num_training_steps'];

const SPECS: Spec[] = [
  TORCH_OPT('SGD', 'sgd', 1e-3, ['momentum', 'dampening', 'weight_decay', 'nesterov']),
  TORCH_OPT('Adam', 'adam', 1e-3, ['betas', 'eps', 'weight_decay', 'amsgrad']),
  TORCH_OPT('AdamW', 'adam', 1e-3, ['betas', 'eps', 'weight_decay', 'amsgrad']),
  TORCH_OPT('Adamax', 'adam', 2e-3, ['betas', 'eps', 'weight_decay']),
  TORCH_OPT('NAdam', 'adam', 2e-3, ['betas', 'eps', 'weight_decay', 'momentum_decay']),
  TORCH_OPT('RAdam', 'adam', 1e-3, ['betas', 'eps', 'weight_decay']),
  TORCH_OPT('SparseAdam', 'adam', 1e-3, ['betas', 'eps']),
  TORCH_OPT('Adagrad', 'adagrad', 1e-2, ['lr_decay', 'weight_decay', 'initial_accumulator_value', 'eps']),
  TORCH_OPT('Adadelta', 'adadelta', 1.0, ['rho', 'eps', 'weight_decay']),
  TORCH_OPT('RMSprop', 'rmsprop', 1e-2, ['alpha', 'eps', 'weight_decay', 'momentum', 'centered']),
  TORCH_OPT('Rprop', 'other', 1e-2, ['etas', 'step_sizes']),
  TORCH_OPT('ASGD', 'sgd', 1e-2, ['lambd', 'alpha', 't0', 'weight_decay']),
  TORCH_OPT('LBFGS', 'lbfgs', 1, ['max_iter']),
  TORCH_OPT('Adafactor', 'adafactor', 1e-2, ['beta2_decay', 'd', 'weight_decay']),
  { kind: 'optimizer', name: 'transformers.AdamW', framework: 'transformers', family: 'adam', params: ['params', 'lr', 'betas', 'eps', 'weight_decay', 'correct_bias'], lrParam: 'lr', defaultLr: 1e-3 },
  { kind: 'optimizer', name: 'transformers.Adafactor', framework: 'transformers', family: 'adafactor', params: ['params', 'lr', 'eps', 'clip_threshold', 'decay_rate', 'beta1', 'weight_decay', 'scale_parameter', 'relative_step', 'warmup_init'], lrParam: 'lr' },
  BNB_OPT('Adam', 'adam', 1e-3),
  BNB_OPT('AdamW', 'adam', 1e-3),
  BNB_OPT('Adam8bit', 'adam', 1e-3),
  BNB_OPT('AdamW8bit', 'adam', 1e-3),
  BNB_OPT('Adam32bit', 'adam', 1e-3),
  BNB_OPT('AdamW32bit', 'adam', 1e-3),
  BNB_OPT('PagedAdam', 'adam', 1e-3),
  BNB_OPT('PagedAdamW', 'adam', 1e-3),
  BNB_OPT('PagedAdam8bit', 'adam', 1e-3),
  BNB_OPT('PagedAdamW8bit', 'adam', 1e-3),
  BNB_OPT('PagedAdamW32bit', 'adam', 1e-3),
  BNB_OPT('Lion', 'lion', 1e-4),
  BNB_OPT('Lion8bit', 'lion', 1e-4),
  BNB_OPT('PagedLion8bit', 'lion', 1e-4),
  BNB_OPT('SGD', 'sgd', undefined),
  BNB_OPT('SGD8bit', 'sgd', undefined),
  BNB_OPT('RMSprop8bit', 'rmsprop', 1e-2),
  BNB_OPT('Adagrad8bit', 'adagrad', 1e-2),
  BNB_OPT('LAMB', 'adam', 1e-3),
  BNB_OPT('LARS', 'sgd', undefined),
  { kind: 'optimizer', name: 'timm.optim.create_optimizer_v2', framework: 'timm', family: 'other', params: ['model_or_params', 'opt', 'lr', 'weight_decay', 'momentum'], lrParam: 'lr' },
  { kind: 'optimizer', name: 'timm.optim.create_optimizer', framework: 'timm', family: 'other', params: ['args', 'model'], lrParam: 'lr' },
  KERAS_OPT('Adam', 'adam', 1e-3),
  KERAS_OPT('AdamW', 'adam', 1e-3),
  KERAS_OPT('Adamax', 'adam', 1e-3),
  KERAS_OPT('Nadam', 'adam', 1e-3),
  KERAS_OPT('SGD', 'sgd', 1e-2),
  KERAS_OPT('RMSprop', 'rmsprop', 1e-3),
  KERAS_OPT('Adagrad', 'adagrad', 1e-3),
  KERAS_OPT('Adadelta', 'adadelta', 1e-3),
  KERAS_OPT('Ftrl', 'other', 1e-3),
  KERAS_OPT('Lion', 'lion', 1e-3),
  KERAS_OPT('Adafactor', 'adafactor', 1e-3),
  KERAS_OPT('Lamb', 'adam', 1e-3),
  OPTAX_OPT('adam', 'adam', ['b1', 'b2', 'eps']),
  OPTAX_OPT('adamw', 'adam', ['b1', 'b2', 'eps', 'eps_root', 'mu_dtype', 'weight_decay']),
  OPTAX_OPT('adamax', 'adam'),
  OPTAX_OPT('adamaxw', 'adam'),
  OPTAX_OPT('nadam', 'adam'),
  OPTAX_OPT('nadamw', 'adam'),
  OPTAX_OPT('radam', 'adam'),
  OPTAX_OPT('amsgrad', 'adam'),
  OPTAX_OPT('adabelief', 'adam'),
  OPTAX_OPT('lamb', 'adam'),
  OPTAX_OPT('novograd', 'adam'),
  OPTAX_OPT('yogi', 'adam'),
  OPTAX_OPT('lion', 'lion'),
  OPTAX_OPT('sgd', 'sgd', ['momentum', 'nesterov']),
  OPTAX_OPT('lars', 'sgd'),
  OPTAX_OPT('noisy_sgd', 'sgd'),
  OPTAX_OPT('rmsprop', 'rmsprop', ['decay', 'eps', 'initial_scale', 'centered', 'momentum', 'nesterov']),
  OPTAX_OPT('adagrad', 'adagrad'),
  OPTAX_OPT('adadelta', 'adadelta'),
  OPTAX_OPT('adafactor', 'adafactor'),
  OPTAX_OPT('fromage', 'other'),

  sched(`${T}LambdaLR`, 'torch', ['optimizer', 'lr_lambda', 'last_epoch'], 'either'),
  sched(`${T}MultiplicativeLR`, 'torch', ['optimizer', 'lr_lambda', 'last_epoch'], 'either'),
  sched(`${T}StepLR`, 'torch', ['optimizer', 'step_size', 'gamma', 'last_epoch'], 'epoch', 'step'),
  sched(`${T}MultiStepLR`, 'torch', ['optimizer', 'milestones', 'gamma', 'last_epoch'], 'epoch', 'multistep'),
  sched(`${T}ConstantLR`, 'torch', ['optimizer', 'factor', 'total_iters', 'last_epoch'], 'either', 'constant', { warmup: 'always' }),
  sched(`${T}LinearLR`, 'torch', ['optimizer', 'start_factor', 'end_factor', 'total_iters', 'last_epoch'], 'either', 'linear', { warmup: 'param' }),
  sched(`${T}ExponentialLR`, 'torch', ['optimizer', 'gamma', 'last_epoch'], 'epoch', 'exponential'),
  sched(`${T}SequentialLR`, 'torch', ['optimizer', 'schedulers', 'milestones', 'last_epoch'], 'either', undefined, { composite: true }),
  sched(`${T}PolynomialLR`, 'torch', ['optimizer', 'total_iters', 'power', 'last_epoch'], 'either', 'polynomial'),
  sched(`${T}CosineAnnealingLR`, 'torch', ['optimizer', 'T_max', 'eta_min', 'last_epoch'], 'either', 'cosine'),
  sched(`${T}ChainedScheduler`, 'torch', ['schedulers', 'optimizer'], 'either', undefined, { composite: true }),
  sched(`${T}ReduceLROnPlateau`, 'torch', ['optimizer', 'mode', 'factor', 'patience', 'threshold', 'threshold_mode', 'cooldown', 'min_lr', 'eps'], 'metric', 'reduce_on_plateau'),
  sched(`${T}CyclicLR`, 'torch', ['optimizer', 'base_lr', 'max_lr', 'step_size_up', 'step_size_down', 'mode', 'gamma', 'scale_fn', 'scale_mode', 'cycle_momentum', 'base_momentum', 'max_momentum', 'last_epoch'], 'batch', 'cyclic_triangular'),
  sched(`${T}OneCycleLR`, 'torch', ['optimizer', 'max_lr', 'total_steps', 'epochs', 'steps_per_epoch', 'pct_start', 'anneal_strategy', 'cycle_momentum', 'base_momentum', 'max_momentum', 'div_factor', 'final_div_factor', 'three_phase', 'last_epoch'], 'batch', 'one_cycle', { warmup: 'always' }),
  sched(`${T}CosineAnnealingWarmRestarts`, 'torch', ['optimizer', 'T_0', 'T_mult', 'eta_min', 'last_epoch'], 'either', 'cosine_warm_restarts'),

  sched(`${HF}get_scheduler`, 'transformers', ['name', 'optimizer', 'num_warmup_steps', 'num_training_steps', 'scheduler_specific_kwargs'], 'batch', undefined, { warmup: 'param' }),
  sched(`${HF}get_constant_schedule`, 'transformers', ['optimizer', 'last_epoch'], 'batch', 'constant'),
  sched(`${HF}get_constant_schedule_with_warmup`, 'transformers', ['optimizer', 'num_warmup_steps', 'last_epoch'], 'batch', 'constant', { warmup: 'param' }),
  sched(`${HF}get_linear_schedule_with_warmup`, 'transformers', [...HF_W, 'last_epoch'], 'batch', 'linear', { warmup: 'param' }),
  sched(`${HF}get_cosine_schedule_with_warmup`, 'transformers', [...HF_W, 'num_cycles', 'last_epoch'], 'batch', 'cosine', { warmup: 'param' }),
  sched(`${HF}get_cosine_with_hard_restarts_schedule_with_warmup`, 'transformers', [...HF_W, 'num_cycles', 'last_epoch'], 'batch', 'cosine_warm_restarts', { warmup: 'param' }),
  sched(`${HF}get_cosine_with_min_lr_schedule_with_warmup`, 'transformers', [...HF_W, 'num_cycles', 'last_epoch', 'min_lr', 'min_lr_rate'], 'batch', 'cosine', { warmup: 'param' }),
  sched(`${HF}get_polynomial_decay_schedule_with_warmup`, 'transformers', [...HF_W, 'lr_end', 'power', 'last_epoch'], 'batch', 'polynomial', { warmup: 'param' }),
  sched(`${HF}get_inverse_sqrt_schedule`, 'transformers', ['optimizer', 'num_warmup_steps', 'timescale', 'last_epoch'], 'batch', 'inverse_sqrt', { warmup: 'param' }),
  sched(`${HF}get_wsd_schedule`, 'transformers', ['optimizer', 'num_warmup_steps', 'num_decay_steps', 'num_training_steps', 'num_stable_steps', 'warmup_type', 'decay_type', 'min_lr_ratio', 'num_cycles', 'last_epoch'], 'batch', 'warmup_stable_decay', { warmup: 'param' }),
  sched(`${HF}get_reduce_on_plateau_schedule`, 'transformers', ['optimizer'], 'metric', 'reduce_on_plateau'),

  sched('timm.scheduler.create_scheduler_v2', 'timm', ['optimizer', 'sched', 'num_epochs', 'decay_epochs', 'decay_milestones', 'cooldown_epochs', 'patience_epochs', 'decay_rate', 'min_lr', 'warmup_lr', 'warmup_epochs'], 'explicit', undefined, { warmup: 'param' }),
  sched('timm.scheduler.create_scheduler', 'timm', ['args', 'optimizer', 'updates_per_epoch'], 'explicit'),
  sched('timm.scheduler.CosineLRScheduler', 'timm', ['optimizer', 't_initial', 'lr_min', 'cycle_mul', 'cycle_decay', 'cycle_limit', 'warmup_t', 'warmup_lr_init'], 'explicit', 'cosine', { warmup: 'param' }),
  sched('timm.scheduler.StepLRScheduler', 'timm', ['optimizer', 'decay_t', 'decay_rate', 'warmup_t', 'warmup_lr_init'], 'explicit', 'step', { warmup: 'param' }),
  sched('timm.scheduler.MultiStepLRScheduler', 'timm', ['optimizer', 'decay_t', 'decay_rate', 'warmup_t', 'warmup_lr_init'], 'explicit', 'multistep', { warmup: 'param' }),
  sched('timm.scheduler.PlateauLRScheduler', 'timm', ['optimizer', 'decay_rate', 'patience_t'], 'explicit', 'reduce_on_plateau'),
  sched('timm.scheduler.PolyLRScheduler', 'timm', ['optimizer', 't_initial', 'power', 'lr_min'], 'explicit', 'polynomial', { warmup: 'param' }),
  sched('timm.scheduler.TanhLRScheduler', 'timm', ['optimizer', 't_initial', 'lb', 'ub', 'lr_min'], 'explicit', undefined, { warmup: 'param' }),

  sched(`${KS}ExponentialDecay`, 'keras', ['initial_learning_rate', 'decay_steps', 'decay_rate', 'staircase'], 'implicit', 'exponential'),
  sched(`${KS}PiecewiseConstantDecay`, 'keras', ['boundaries', 'values'], 'implicit', 'multistep'),
  sched(`${KS}PolynomialDecay`, 'keras', ['initial_learning_rate', 'decay_steps', 'end_learning_rate', 'power', 'cycle'], 'implicit', 'polynomial'),
  sched(`${KS}InverseTimeDecay`, 'keras', ['initial_learning_rate', 'decay_steps', 'decay_rate', 'staircase'], 'implicit'),
  sched(`${KS}CosineDecay`, 'keras', ['initial_learning_rate', 'decay_steps', 'alpha', 'name', 'warmup_target', 'warmup_steps'], 'implicit', 'cosine', { warmup: 'param' }),
  sched(`${KS}CosineDecayRestarts`, 'keras', ['initial_learning_rate', 'first_decay_steps', 't_mul', 'm_mul', 'alpha'], 'implicit', 'cosine_warm_restarts'),
  sched('keras.callbacks.ReduceLROnPlateau', 'keras', ['monitor', 'factor', 'patience', 'verbose', 'mode', 'min_delta', 'cooldown', 'min_lr'], 'implicit', 'reduce_on_plateau', { callback: true }),
  sched('keras.callbacks.LearningRateScheduler', 'keras', ['schedule', 'verbose'], 'implicit', undefined, { callback: true }),

  sched('optax.constant_schedule', 'optax', ['value'], 'implicit', 'constant'),
  sched('optax.linear_schedule', 'optax', ['init_value', 'end_value', 'transition_steps', 'transition_begin'], 'implicit', 'linear', { warmup: 'param' }),
  sched('optax.cosine_decay_schedule', 'optax', ['init_value', 'decay_steps', 'alpha', 'exponent'], 'implicit', 'cosine'),
  sched('optax.exponential_decay', 'optax', ['init_value', 'transition_steps', 'decay_rate', 'transition_begin', 'staircase', 'end_value'], 'implicit', 'exponential'),
  sched('optax.polynomial_schedule', 'optax', ['init_value', 'end_value', 'power', 'transition_steps', 'transition_begin'], 'implicit', 'polynomial'),
  sched('optax.piecewise_constant_schedule', 'optax', ['init_value', 'boundaries_and_scales'], 'implicit', 'multistep'),
  sched('optax.warmup_cosine_decay_schedule', 'optax', ['init_value', 'peak_value', 'warmup_steps', 'decay_steps', 'end_value', 'exponent'], 'implicit', 'cosine', { warmup: 'always' }),
  sched('optax.warmup_exponential_decay_schedule', 'optax', ['init_value', 'peak_value', 'warmup_steps', 'transition_steps', 'decay_rate', 'transition_begin', 'staircase', 'end_value'], 'implicit', 'exponential', { warmup: 'always' }),
  sched('optax.warmup_constant_schedule', 'optax', ['init_value', 'peak_value', 'warmup_steps'], 'implicit', 'constant', { warmup: 'always' }),
  sched('optax.cosine_onecycle_schedule', 'optax', ['transition_steps', 'peak_value', 'pct_start', 'div_factor', 'final_div_factor'], 'implicit', 'one_cycle', { warmup: 'always' }),
  sched('optax.linear_onecycle_schedule', 'optax', ['transition_steps', 'peak_value', 'pct_start', 'pct_final', 'div_factor', 'final_div_factor'], 'implicit', 'one_cycle', { warmup: 'always' }),
  sched('optax.join_schedules', 'optax', ['schedules', 'boundaries'], 'implicit', undefined, { composite: true }),
  sched('optax.sgdr_schedule', 'optax', ['cosine_kwargs'], 'implicit', 'cosine_warm_restarts', { composite: true }),
];

const BY_NAME = new Map<string, Spec>(SPECS.map((s) => [s.name, s]));
const BY_LAST = new Map<string, Spec[]>();
for (const s of SPECS) {
  const last = s.name.slice(s.name.lastIndexOf('.') + 1);
  BY_LAST.set(last, [...(BY_LAST.get(last) ?? []), s]);
}

/**
 * Rewrites a qualified name to its canonical catalogue spelling: the public aliases
 * libraries re-export under (`tensorflow.keras.optimizers.legacy.Adam`,
 * `transformers.optimization.AdamW`, `torch.optim.adamw.AdamW`, `optax.schedules.*`).
 */
export function canonicalName(qualified: string): string {
  let q = qualified;
  q = q.replace(/^(tensorflow\.python\.keras|tensorflow\.keras|tf_keras|keras\.src)\./, 'keras.');
  q = q.replace(/^keras\.optimizers\.(legacy|experimental)\./, 'keras.optimizers.');
  q = q.replace(/^keras\.(src\.)?optimizers\.schedules\.learning_rate_schedule\./, 'keras.optimizers.schedules.');
  q = q.replace(/^keras\.(src\.)?callbacks\.[a-z_]+\.(?=[A-Z])/, 'keras.callbacks.');
  q = q.replace(/^transformers\.optimization\./, 'transformers.');
  q = q.replace(/^optax\.(schedules|_src\.alias|_src\.schedule|contrib)\./, 'optax.');
  if (!q.startsWith('torch.optim.lr_scheduler.')) q = q.replace(/^torch\.optim\.[a-z_]+\.(?=[A-Z])/, 'torch.optim.');
  q = q.replace(/^timm\.optim\.[a-z_]+\.(?=create_)/, 'timm.optim.');
  q = q.replace(/^timm\.scheduler\.[a-z_]+\.(?=[A-Za-z])/, 'timm.scheduler.');
  q = q.replace(/^bnb\./, 'bitsandbytes.');
  q = q.replace(/^bitsandbytes\.optim\.[a-z_0-9]+\.(?=[A-Z])/, 'bitsandbytes.optim.');
  return q;
}

/** The catalogue entry for a qualified name, after canonicalisation. */
export function specFor(qualified: string): Spec | undefined {
  return BY_NAME.get(canonicalName(qualified));
}

/**
 * The catalogue entry for a name that no import explains (a star import, or an import
 * the file does not show). Only names that exist in exactly one framework match, with
 * the torch spelling preferred when torch and another library share it.
 */
export function specForBareName(name: string, starModules: readonly string[]): Spec | undefined {
  for (const m of starModules) {
    const s = specFor(`${m}.${name}`);
    if (s) return s;
  }
  const all = BY_LAST.get(name);
  if (!all || all.length === 0) return undefined;
  const frameworks = new Set(all.map((s) => s.framework));
  if (frameworks.size === 1) return all[0];
  return all.find((s) => s.framework === 'torch');
}

export function allSpecs(): readonly Spec[] {
  return SPECS;
}

/** Usual starting LR ranges per optimizer family: [low, high] beyond which a value is "far outside". */
export const USUAL_LR: Record<OptimizerFamily, { low: number; high: number; typical: number } | undefined> = {
  adam: { low: 1e-6, high: 1e-2, typical: 1e-3 },
  sgd: { low: 1e-4, high: 1, typical: 0.1 },
  rmsprop: { low: 1e-5, high: 1e-1, typical: 1e-3 },
  adagrad: { low: 1e-4, high: 1, typical: 1e-2 },
  adadelta: { low: 1e-2, high: 10, typical: 1 },
  lion: { low: 1e-7, high: 1e-3, typical: 1e-4 },
  adafactor: undefined,
  lbfgs: undefined,
  other: undefined,
};
