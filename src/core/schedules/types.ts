// The result of identifying which schedule an observed LR series followed.

/** A learning-rate schedule as a function of the scheduler's step count. */
export type ScheduleFn = (step: number) => number;

/**
 * Schedule families users write. `warmupSteps` in `params` (0 when absent) covers
 * "linear warmup followed by each decay".
 */
export type ScheduleFamily =
  | 'constant'
  | 'step'
  | 'multistep'
  | 'exponential'
  | 'polynomial'
  | 'linear'
  | 'cosine'
  | 'cosine_warm_restarts'
  | 'cyclic_triangular'
  | 'cyclic_triangular2'
  | 'cyclic_exp_range'
  | 'one_cycle'
  | 'inverse_sqrt'
  | 'warmup_stable_decay'
  | 'reduce_on_plateau'
  | 'lr_range_test';

export interface ScheduleFit {
  family: ScheduleFamily;
  /**
   * Fitted parameters in the user's units: steps (and `...Epochs` twins when the run
   * says how many steps an epoch has), LRs as absolute values. Always includes
   * `warmupSteps` (0 when there is no warmup). The names per family are listed in
   * `families.ts`. Step counts are the scheduler's; `stepOffset` (when present) is how far
   * the log's step labels run ahead of the scheduler's count, `holdSteps` how long the
   * peak is held between warmup and decay, `stepInterval` how often a per-epoch scheduler
   * was stepped, and `fromStep` the first logged step the fit describes (earlier points
   * belong to another run written to the same log).
   */
  params: Record<string, number>;
  /**
   * Mean absolute relative error of the fitted curve against the observed LR
   * (0 = exact): mean of |fit − lr| / max(|fit|, |lr|) over the finite points.
   */
  fitError: number;
  /**
   * The shape within the family when it has several: `cos` | `linear` (one-cycle
   * annealing), `linear` | `cosine` | `1-sqrt` (warmup-stable-decay decay), `periodic`
   * (a cosine that climbs back up after `decaySteps`, as PyTorch's CosineAnnealingLR
   * does when stepped past `T_max`), `staircase` (exponential decay in steps).
   */
  variant?: string;
  /** Logged steps at which the LR changed level (multistep, ReduceLROnPlateau). */
  milestones?: number[];
  /** The LR on each level: one more entry than `milestones`. */
  levels?: number[];
  /**
   * Logged steps at which the whole schedule started over from its first value (a resumed
   * run whose scheduler state was not restored). The fit describes each segment.
   */
  restarts?: number[];
  /** True when the fit is within the printed precision of the logged values. */
  exact?: boolean;
  /** One line for people: "cosine with warm restarts, T_0=10 epochs, T_mult=1". */
  summary?: string;
}
