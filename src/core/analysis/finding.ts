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

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * A concrete change, with numbers taken from the run. Ordered best first in a finding.
 * The same numbers drive the code actions on the training script.
 */
export type Suggestion =
  /** Multiply the learning rate by `factor` (e.g. 0.3 after a divergence). */
  | { fix: 'scale_lr'; factor: number; why?: string }
  /** Add linear warmup over `steps` optimizer steps. */
  | { fix: 'add_warmup'; steps: number; why?: string }
  /** Add a decay schedule of `family` with closed-form parameters sized to the run. */
  | { fix: 'add_schedule'; family: string; params: Record<string, number>; why?: string }
  /** Add ReduceLROnPlateau with this patience (in evaluations) and factor. */
  | { fix: 'add_reduce_on_plateau'; patience: number; factor: number; why?: string }
  /** Clip the global gradient norm at `maxNorm`. */
  | { fix: 'clip_grad_norm'; maxNorm: number; why?: string }
  /** Use `optimizer` at learning rate `lr`. */
  | { fix: 'switch_optimizer'; optimizer: string; lr: number; why?: string }
  /** Step the scheduler once per epoch instead of once per batch. */
  | { fix: 'step_per_epoch'; why?: string }
  /** Stop (or keep the checkpoint) at `step`, the best validation step. */
  | { fix: 'early_stop'; step: number; why?: string };

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
