// Curves drawn over a run's real LR: the schedule identified from it, and the schedule a
// finding's suggestion proposes (as a preview, before the script is changed).
import type { Suggestion } from '../analysis/finding';
import { primarySeries } from '../model/roles';
import type { Run } from '../model/run';
import type { Series } from '../model/series';
import { scheduleBreakpoints, scheduleFn, type ScheduleSpec } from '../schedules/families';
import { fitBreakpoints, fitCurve } from '../schedules/fit';
import type { ScheduleFit } from '../schedules/types';
import { formatLr } from '../schedules/describe';
import type { OverlayView } from './types';

/** At most this many points per overlay curve (corners are always included). */
export const OVERLAY_POINTS = 1500;

/** Sample steps over [first, last]: evenly spaced, plus the curve's corners. */
function sampleSteps(first: number, last: number, corners: readonly number[] = []): number[] {
  const n = Math.max(2, Math.min(OVERLAY_POINTS, Math.floor(last - first) + 1));
  const set = new Set<number>();
  for (let i = 0; i < n; i++) set.add(Math.round(first + ((last - first) * i) / (n - 1)));
  for (const c of corners) {
    if (c < first || c > last) continue;
    // Both sides of a jump, so staircases draw as staircases.
    set.add(c);
    if (c - 1 >= first) set.add(c - 1);
  }
  return [...set].sort((a, b) => a - b);
}

function extent(s: Series): [number, number] {
  return [s.steps[0] ?? 0, s.steps[s.steps.length - 1] ?? 0];
}

/** The schedule identified for a run, drawn over its LR. */
export function fittedOverlay(runId: string, run: Run, fit: ScheduleFit): OverlayView | undefined {
  const lr = primarySeries(run.series, 'lr');
  if (!lr) return undefined;
  const [first, last] = extent(lr);
  const f = fitCurve(fit);
  const x = sampleSteps(first, last, fitBreakpoints(fit, last));
  const y = x.map(f);
  if (!y.some(Number.isFinite)) return undefined;
  const label = fit.summary ?? fit.family.replace(/_/g, ' ');
  return { id: `fitted:${runId}`, runId, kind: 'fitted', label, x, y };
}

/** The run's own LR, sampled, as [x, y]; undefined without an LR series. */
function ownLr(run: Run): { x: number[]; y: number[]; f: (t: number) => number } | undefined {
  const lr = primarySeries(run.series, 'lr');
  if (!lr || lr.steps.length === 0) return undefined;
  const [first, last] = extent(lr);
  const x = sampleSteps(first, last);
  // The LR in force at step t: the last logged value at or before t.
  let i = 0;
  const f = (t: number): number => {
    while (i + 1 < lr.steps.length && lr.steps[i + 1]! <= t) i++;
    return lr.values[i]!;
  };
  const y = x.map(f);
  i = 0;
  return { x, y, f };
}

/** The run's length in steps: the last step any series reached, or the planned length. */
function runLength(run: Run): number {
  let last = 0;
  for (const s of run.series) last = Math.max(last, s.steps[s.steps.length - 1] ?? 0);
  return Math.max(last, run.meta.plannedSteps ?? 0);
}

/**
 * The LR curve a suggestion would give this run, or undefined when the suggestion does
 * not change the LR's shape (clipping, early stopping) or the run has no LR to start from.
 */
export function suggestionOverlay(runId: string, run: Run, s: Suggestion): OverlayView | undefined {
  const base = ownLr(run);
  const peak = base ? Math.max(...base.y.filter(Number.isFinite)) : undefined;
  const make = (label: string, x: number[], y: number[]): OverlayView | undefined =>
    y.some(Number.isFinite) ? { id: `preview:${runId}`, runId, kind: 'preview', label, x, y } : undefined;
  switch (s.fix) {
    case 'scale_lr':
      return base && make(`LR ×${Number(s.factor.toPrecision(3))}`, base.x, base.y.map((v) => v * s.factor));
    case 'switch_optimizer':
      return base && peak ? make(`${s.optimizer} at ${formatLr(s.lr)}`, base.x, base.y.map((v) => (v / peak) * s.lr)) : undefined;
    case 'add_warmup':
      return base && make(`+ ${s.steps}-step linear warmup`, base.x, base.x.map((t, k) => base.y[k]! * Math.min(1, t / s.steps)));
    case 'add_schedule': {
      const params = { ...s.params };
      if (params.lr === undefined && params.maxLr === undefined && peak !== undefined) params.lr = peak;
      const spec: ScheduleSpec = { family: s.family as ScheduleSpec['family'], params };
      const f = scheduleFn(spec);
      const last = Math.max(runLength(run), (params.warmupSteps ?? 0) + (params.decaySteps ?? 0));
      const x = sampleSteps(0, last, scheduleBreakpoints(spec, last));
      return make(`${s.family.replace(/_/g, ' ')} (suggested)`, x, x.map(f));
    }
    case 'add_reduce_on_plateau':
    case 'clip_grad_norm':
    case 'step_per_epoch':
    case 'early_stop':
      return undefined;
  }
}
