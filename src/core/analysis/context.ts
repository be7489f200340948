// What detectors see: the run plus the series that stand for each role.
import type { Run } from '../model/run';
import { primarySeries } from '../model/roles';
import type { Series } from '../model/series';

export interface AnalysisContext {
  run: Run;
  trainLoss?: Series;
  valLoss?: Series;
  lr?: Series;
  gradNorm?: Series;
}

export function contextOf(run: Run): AnalysisContext {
  const ctx: AnalysisContext = { run };
  const trainLoss = primarySeries(run.series, 'train_loss');
  const valLoss = primarySeries(run.series, 'val_loss');
  const lr = primarySeries(run.series, 'lr');
  const gradNorm = primarySeries(run.series, 'grad_norm');
  if (trainLoss) ctx.trainLoss = trainLoss;
  if (valLoss) ctx.valLoss = valLoss;
  if (lr) ctx.lr = lr;
  if (gradNorm) ctx.gradNorm = gradNorm;
  return ctx;
}

/** The value of `s` at the last point at or before `step` (NaN when there is none). */
export function valueAt(s: Series | undefined, step: number): number {
  if (!s || s.steps.length === 0) return NaN;
  let lo = 0;
  let hi = s.steps.length - 1;
  if (s.steps[0]! > step) return NaN;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (s.steps[mid]! <= step) lo = mid;
    else hi = mid - 1;
  }
  return s.values[lo]!;
}

/** The source line of the point at or after `step`, when the series has lines. */
export function lineAt(s: Series, step: number): number | undefined {
  if (!s.lines) return undefined;
  for (let i = 0; i < s.steps.length; i++) if (s.steps[i]! >= step) return s.lines[i]! || undefined;
  return undefined;
}
