// What detectors see: the run, the series that stand for each role, and shared derived facts.
import type { Run } from '../model/run';
import { primarySeries, tagWords } from '../model/roles';
import type { Series } from '../model/series';
import type { ScheduleFit } from '../schedules/types';
import { lrProfileOf, type LrProfile } from './lrProfile';
import { viewOf, type SeriesView } from './view';

export interface AnalysisContext {
  run: Run;
  trainLoss?: Series;
  valLoss?: Series;
  lr?: Series;
  gradNorm?: Series;
  /** The run's main training / validation metric (accuracy, perplexity, reward, ...). */
  trainMetric?: Series;
  valMetric?: Series;
  /** The schedule family the LR series followed, when it could be identified. */
  schedule?: ScheduleFit;
  /** What the logged LR did; undefined without an LR series. */
  lrProfile?: LrProfile;
  /**
   * A reinforcement-learning run (rewards, returns, policy/value losses). Its losses are
   * not objectives that should fall: a value loss grows as returns grow, a policy loss
   * swings by design. Loss-shape rules stay quiet on such runs.
   */
  rl: boolean;
  /** First and last step of the run (over its loss, validation loss and LR series). */
  firstStep: number;
  lastStep: number;
  /** Optimizer steps per epoch, when stated or inferable from an epoch series. */
  stepsPerEpoch?: number;
  /** Optimizer family in lower case ("adamw", "sgd", ...), when the run says. */
  optimizer?: string;
  /** Adam's β2, when the run's hyperparameters state it. */
  beta2?: number;
  /** The binned, log-scaled view of a series (computed once per series). */
  view(series: Series): SeriesView;
}

export interface ContextOptions {
  schedule?: ScheduleFit;
}

const RL_WORDS = /(^|[^a-z])(rollout|episode|ep_rew|ep_len|reward|rewards|return|returns|policy|value_loss|entropy_loss|actor|critic|q_loss|td_error|explained_variance|approx_kl|clip_fraction)([^a-z]|$)/i;

export function contextOf(run: Run, opts: ContextOptions = {}): AnalysisContext {
  const views = new Map<Series, SeriesView>();
  const rl = run.series.some((s) => RL_WORDS.test(s.tag));
  const ctx: AnalysisContext = {
    run,
    rl,
    firstStep: NaN,
    lastStep: NaN,
    view(series: Series): SeriesView {
      let v = views.get(series);
      if (!v) {
        v = viewOf(series);
        views.set(series, v);
      }
      return v;
    },
  };
  const pick = (role: Series['role']): Series | undefined => primarySeries(run.series, role);
  const trainLoss = pick('train_loss');
  const valLoss = pick('val_loss');
  const lr = pick('lr');
  const gradNorm = pick('grad_norm');
  const trainMetric = pick('train_metric');
  const valMetric = pick('val_metric');
  if (trainLoss) ctx.trainLoss = trainLoss;
  if (valLoss) ctx.valLoss = valLoss;
  if (lr) ctx.lr = lr;
  if (gradNorm) ctx.gradNorm = gradNorm;
  if (trainMetric) ctx.trainMetric = trainMetric;
  if (valMetric) ctx.valMetric = valMetric;
  if (opts.schedule) ctx.schedule = opts.schedule;
  const profile = lr ? lrProfileOf(lr) : undefined;
  if (profile) ctx.lrProfile = profile;

  let first = Infinity;
  let last = -Infinity;
  for (const s of [trainLoss, valLoss, lr]) {
    if (!s || s.steps.length === 0) continue;
    first = Math.min(first, s.steps[0]!);
    last = Math.max(last, s.steps[s.steps.length - 1]!);
  }
  if (first <= last) {
    ctx.firstStep = first;
    ctx.lastStep = last;
  }

  const spe = run.meta.stepsPerEpoch ?? stepsPerEpochFrom(primarySeries(run.series, 'epoch'));
  if (spe !== undefined && spe > 0) ctx.stepsPerEpoch = spe;
  const optimizer = optimizerOf(run, lr);
  if (optimizer) ctx.optimizer = optimizer;
  const beta2 = beta2Of(run);
  if (beta2 !== undefined) ctx.beta2 = beta2;
  return ctx;
}

/**
 * Steps per epoch from an `epoch` series: the step distance of one epoch, read from the
 * first and last points whose epoch differs (fractional epochs, as the HF Trainer logs
 * them, and integer epochs per step row, as Lightning writes them, both work).
 */
function stepsPerEpochFrom(epoch: Series | undefined): number | undefined {
  if (!epoch || epoch.steps.length < 2) return undefined;
  const n = epoch.steps.length;
  const e0 = epoch.values[0]!;
  const e1 = epoch.values[n - 1]!;
  const s0 = epoch.steps[0]!;
  const s1 = epoch.steps[n - 1]!;
  if (!(Number.isFinite(e0) && Number.isFinite(e1)) || e1 - e0 < 1 || s1 <= s0) return undefined;
  // Integer epochs per row: count steps between the first rows of two epoch values.
  const integral = epoch.values.every((v) => Number.isInteger(v));
  if (integral) {
    let firstOf1 = -1;
    let firstOfLast = -1;
    for (let i = 0; i < n; i++) {
      if (firstOf1 < 0 && epoch.values[i]! > e0) firstOf1 = i;
      if (epoch.values[i]! === e1) {
        firstOfLast = i;
        break;
      }
    }
    if (firstOf1 >= 0 && firstOfLast > firstOf1) return Math.round((epoch.steps[firstOfLast]! - epoch.steps[firstOf1]!) / (e1 - epoch.values[firstOf1]!));
  }
  return Math.round((s1 - s0) / (e1 - e0));
}

const OPTIMIZERS = ['adamw', 'adam', 'adamax', 'nadam', 'radam', 'adagrad', 'adadelta', 'rmsprop', 'sgd', 'lamb', 'lars', 'lion', 'adafactor', 'muon', 'sophia', 'ftrl'];

/** The optimizer family from hyperparameters (`optimizer`, `optim`) or an LR tag like `lr-AdamW`. */
function optimizerOf(run: Run, lr: Series | undefined): string | undefined {
  for (const [k, v] of Object.entries(run.hparams)) {
    if (!/^(optimizer|optim|optimizer_name|optimizer_type|opt)$/i.test(k) || typeof v !== 'string') continue;
    const name = v.toLowerCase().replace(/[^a-z]/g, '');
    const hit = OPTIMIZERS.find((o) => name.startsWith(o) || name.endsWith(o) || name.includes(o));
    if (hit) return hit;
  }
  if (lr) {
    for (const w of tagWords(lr.tag)) if (OPTIMIZERS.includes(w)) return w;
  }
  return undefined;
}

function beta2Of(run: Run): number | undefined {
  for (const [k, v] of Object.entries(run.hparams)) {
    if (/^(adam_)?beta2$/i.test(k) && typeof v === 'number' && v > 0 && v < 1) return v;
    if (/^(betas|adam_betas)$/i.test(k) && typeof v === 'string') {
      const m = /([\d.]+)\s*[,\s]\s*([\d.]+)/.exec(v);
      const b2 = m ? Number(m[2]) : NaN;
      if (b2 > 0 && b2 < 1) return b2;
    }
  }
  return undefined;
}

/** The index of the last point at or before `step` (-1 when none). O(log n). */
export function indexAt(s: Series, step: number): number {
  const { steps } = s;
  if (steps.length === 0 || steps[0]! > step) return -1;
  let lo = 0;
  let hi = steps.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (steps[mid]! <= step) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The value of `s` at the last point at or before `step` (NaN when there is none). */
export function valueAt(s: Series | undefined, step: number): number {
  if (!s) return NaN;
  const i = indexAt(s, step);
  return i < 0 ? NaN : s.values[i]!;
}

/** The source line of the first point at or after `step`, when the series has lines. */
export function lineAt(s: Series, step: number): number | undefined {
  if (!s.lines || s.steps.length === 0) return undefined;
  let i = indexAt(s, step);
  if (i < 0 || s.steps[i]! < step) i++;
  if (i >= s.steps.length) return undefined;
  return s.lines[i]! || undefined;
}
