// The result of identifying which schedule an observed LR series followed.

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
   * `warmupSteps` (0 when there is no warmup).
   */
  params: Record<string, number>;
  /** Mean absolute relative error of the fitted curve against the observed LR (0 = exact). */
  fitError: number;
}
