// The orchestrator: runs every detector over a run, removes double counting, orders the findings.
import type { Run } from '../model/run';
import type { Series } from '../model/series';
import { fitSchedule } from '../schedules/fit';
import type { ScheduleFit } from '../schedules/types';
import { contextOf, type AnalysisContext } from './context';
import { detectDivergence } from './divergence';
import { SEVERITY_RANK, type Finding, type Rule } from './finding';
import { detectLossSpikes } from './lossSpike';
import { detectLrCollapse } from './lrCollapse';
import { lrAt } from './lrProfile';
import { detectOscillation } from './oscillation';
import { detectOverfitting } from './overfitting';
import { detectPlateau } from './plateau';
import { detectSlowConvergence } from './slowConvergence';
import { detectWarmup } from './warmup';

export interface Detector {
  rule: Rule;
  detect(ctx: AnalysisContext): Finding[];
}

export const DETECTORS: readonly Detector[] = [
  { rule: 'divergence', detect: detectDivergence },
  { rule: 'loss_spike', detect: detectLossSpikes },
  { rule: 'oscillation', detect: detectOscillation },
  { rule: 'plateau', detect: detectPlateau },
  { rule: 'slow_convergence', detect: detectSlowConvergence },
  { rule: 'lr_collapse', detect: detectLrCollapse },
  { rule: 'overfitting', detect: detectOverfitting },
  { rule: 'warmup', detect: detectWarmup },
];

export interface AnalyzeOptions {
  /** Rules to skip. */
  disabled?: readonly Rule[];
  /** The schedule the run's LR followed, when the caller has already identified it. */
  schedule?: ScheduleFit;
  /** Fit the schedule when none is given (default true). */
  fitSchedule?: boolean;
}

export interface Analysis {
  schedule?: ScheduleFit;
  findings: Finding[];
}

/** Every finding for a run, most severe first, then by step. */
export function analyzeRun(run: Run, opts: AnalyzeOptions = {}): Finding[] {
  return analyze(run, opts).findings;
}

/**
 * The run's schedule (fitted to its LR series unless given) and findings. An LR range
 * test (the LR swept up over decades on purpose) is reported as its schedule only: its
 * loss is meant to blow up at the end, so the loss rules do not apply.
 */
export function analyze(run: Run, opts: AnalyzeOptions = {}): Analysis {
  const ctx = contextOf(run, opts.schedule ? { schedule: opts.schedule } : {});
  if (!ctx.schedule && ctx.lr && opts.fitSchedule !== false) {
    const fit = fitSchedule(forFitting(ctx.lr), run.meta);
    if (fit) ctx.schedule = fit;
  }
  const findings: Finding[] = [];
  if (!isRangeTest(ctx))
    for (const d of DETECTORS) {
      if (opts.disabled?.includes(d.rule)) continue;
      findings.push(...d.detect(ctx));
    }
  const kept = dedupe(findings).sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.step - b.step);
  return { ...(ctx.schedule ? { schedule: ctx.schedule } : {}), findings: kept };
}

/** LR series longer than this are thinned before the schedule is fitted. */
const FIT_POINTS = 10_000;

/**
 * The LR series the schedule fit sees: the series itself, or for very long ones every
 * k-th point plus every point where the LR jumped by more than 1% (so the drops of a
 * step schedule stay exact). An LR is set, not measured: a 10-million-step schedule is
 * as well described by 10k of its points, and the fit's cost grows with the points.
 */
function forFitting(lr: Series): Pick<Series, 'steps' | 'values'> {
  const n = lr.values.length;
  if (n <= FIT_POINTS) return lr;
  const stride = Math.ceil(n / FIT_POINTS);
  const keep: number[] = [];
  let last = lr.values[0]!;
  for (let i = 0; i < n; i++) {
    const v = lr.values[i]!;
    if (i % stride === 0 || i === n - 1 || Math.abs(v - last) > 0.01 * Math.abs(last)) {
      keep.push(i);
      last = v;
    }
  }
  // A schedule that jumps at nearly every step (a fast cyclic LR) is thinned evenly.
  const idx = keep.length <= 4 * FIT_POINTS ? keep : Array.from({ length: Math.ceil(n / stride) }, (_, k) => Math.min(n - 1, k * stride));
  return { steps: Float64Array.from(idx, (i) => lr.steps[i]!), values: Float64Array.from(idx, (i) => lr.values[i]!) };
}

/**
 * An LR range test: the fitted schedule says so, or the LR rose over the whole run,
 * geometrically, across at least two decades (the shape of fastai's and Lightning's LR
 * finders, which sweep 1e-7…10 exponentially).
 */
function isRangeTest(ctx: AnalysisContext): boolean {
  if (ctx.schedule?.family === 'lr_range_test') return true;
  const p = ctx.lrProfile;
  if (!p || !p.risingAtEnd || !(p.initial > 0) || p.final < 100 * p.initial) return false;
  const mid = lrAt(p, (p.firstStep + p.lastStep) / 2);
  return Math.abs(Math.log(mid / Math.sqrt(p.initial * p.final))) < Math.abs(Math.log(mid / ((p.initial + p.final) / 2)));
}

/**
 * One symptom, one finding:
 * - after a divergence of a series, what that series does later (spikes, swings, a
 *   plateau, a slow crawl) is the divergence's consequence, not a separate problem;
 * - a validation loss that rose is overfitting, not also a plateau;
 * - a loss that crept down steadily is slow convergence, not also a plateau;
 * - a loss that swings around a flat trend is an oscillation; its flat trend is not
 *   also a plateau.
 */
function dedupe(findings: Finding[]): Finding[] {
  const diverged = new Map<string, number>();
  for (const f of findings) if (f.rule === 'divergence' && f.severity === 'error') diverged.set(f.series, Math.min(f.step, diverged.get(f.series) ?? Infinity));
  const overfit = new Set(findings.filter((f) => f.rule === 'overfitting').map((f) => f.series));
  const slow = findings.some((f) => f.rule === 'slow_convergence');
  const oscillating = findings.some((f) => f.rule === 'oscillation');
  return findings.filter((f) => {
    if (f.rule !== 'divergence' && f.rule !== 'lr_collapse' && f.rule !== 'warmup') {
      const at = diverged.get(f.series);
      if (at !== undefined && (f.endStep ?? f.step) >= at) return false;
    }
    if (f.rule === 'plateau' && overfit.has(f.series)) return false;
    if (f.rule === 'plateau' && (slow || oscillating)) return false;
    return true;
  });
}
