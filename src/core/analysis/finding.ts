// The Finding contract (DESIGN.md): what every detector returns and every surface shows.

/** Stable rule ids; used as diagnostic codes and in the CLI's output. */
export type Rule =
  | 'divergence'
  | 'loss_spike'
  | 'oscillation'
  | 'plateau'
  | 'slow_convergence'
  | 'lr_collapse'
  | 'overfitting'
  | 'warmup';

export const RULES: readonly Rule[] = [
  'divergence',
  'loss_spike',
  'oscillation',
  'plateau',
  'slow_convergence',
  'lr_collapse',
  'overfitting',
  'warmup',
];

/** One line per rule, for rule metadata (SARIF, hovers, docs). */
export const RULE_SUMMARIES: Record<Rule, string> = {
  divergence: 'The loss became NaN/Inf, or rose far above its best and did not come back.',
  loss_spike: 'The loss jumped well above its recent level and then recovered.',
  oscillation: 'The loss swings up and down around a flat trend, not explained by a cyclic schedule.',
  plateau: 'The loss stopped improving while the learning rate was still far from its floor.',
  slow_convergence: 'The loss falls steadily but far too slowly: the learning rate is too low.',
  lr_collapse: 'The learning rate fell to near zero long before the end of the run.',
  overfitting: 'The validation loss rises while the training loss keeps falling.',
  warmup: 'Instability at the start that warmup would prevent, or a warmup that never ends.',
};

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * A concrete change, with numbers taken from the run. A finding lists them best first.
 * Code actions apply them to the training script, so every number is in the script's
 * units: learning rates as absolute values, lengths in optimizer steps (the axis the run
 * was logged on), patience in evaluations. `why` is one sentence for people; the
 * detectors always set it.
 */
export type Suggestion =
  /**
   * Multiply the learning rate by `factor` (< 1 lowers it). `lr` is the resulting value
   * when the run's LR is known (the peak LR for a scheduled run).
   */
  | { fix: 'scale_lr'; factor: number; lr?: number; why?: string }
  /** Add linear warmup from ~0 to the current LR over `steps` optimizer steps. */
  | { fix: 'add_warmup'; steps: number; why?: string }
  /**
   * Use a schedule of `family` (a ScheduleFamily id such as "cosine") with closed-form
   * parameters sized to the run: `totalSteps`, `warmupSteps`, `peakLr`, `minLr`, and for
   * step schedules `stepSize` and `gamma`.
   */
  | { fix: 'add_schedule'; family: string; params: Record<string, number>; why?: string }
  /**
   * Add ReduceLROnPlateau on `monitor` (e.g. "val_loss"; the validation loss when
   * absent) with `patience` measured in evaluations of that metric and multiplicative
   * `factor`.
   */
  | { fix: 'add_reduce_on_plateau'; monitor?: string; patience: number; factor: number; why?: string }
  /** Clip the global gradient norm at `maxNorm`. */
  | { fix: 'clip_grad_norm'; maxNorm: number; why?: string }
  /** Use `optimizer` (a torch.optim class name such as "AdamW") at learning rate `lr`. */
  | { fix: 'switch_optimizer'; optimizer: string; lr: number; why?: string }
  /**
   * Call the LR scheduler's `step()` once per epoch instead of once per batch.
   * `stepsPerEpoch` is the run's number of optimizer steps per epoch, when known.
   */
  | { fix: 'step_per_epoch'; stepsPerEpoch?: number; why?: string }
  /** Stop at, or keep the checkpoint from, `step` (the best validation step). */
  | { fix: 'early_stop'; step: number; why?: string };

export type Fix = Suggestion['fix'];

export type EvidenceValue = number | string | boolean | null;

export interface Finding {
  rule: Rule;
  severity: Severity;
  /** The tag the finding is about. */
  series: string;
  /** First step of the symptom. */
  step: number;
  /** Last step of the region, when it is a region. */
  endStep?: number;
  /** Text formats: 1-based line of `step` in the source file. */
  line?: number;
  /** What happened, in the user's terms. */
  message: string;
  /** The numbers behind the verdict. */
  evidence: Record<string, EvidenceValue>;
  suggestions: Suggestion[];
}
