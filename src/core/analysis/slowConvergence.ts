// slow_convergence: the loss falls steadily but far too slowly: the LR is too low.
//
// Two shapes, on the binned log-scale training loss (and, for the first, also the
// validation loss, which is often the cleaner curve of the two):
//
// 1. Steady but tiny. The levels fall significantly (Mann-Kendall z ≤ −3 over the
//    bins, p ≈ 0.001), yet the whole run gained less than 10% (first bin to end) and
//    the fall has not slowed down: the second half gained at least half as much as the
//    first. A healthy run drops fast and then levels off (most of the gain in the first
//    half); a loss that creeps down in a straight line is limited by the step size, not
//    by the problem. Fine-tuning runs also gain little in total, but they gain most of
//    it early, so the straight-line condition keeps them quiet.
//
// 2. A late start. The loss stayed within max(4 noise sigmas, 5%) of its first level
//    for ≥ 25% of the run after any warmup (and then did fall, else it is a plateau),
//    falling per step at most a quarter as fast there as afterwards (a steady fall that
//    just takes a while to cover 5% is not a late start): the first updates were too
//    small to get anywhere. The flat start must span ≥ 6
//    logged points (five similar values in a row are common in a short noisy log). A
//    warmup or one-cycle ramp
//    legitimately delays progress, so the clock starts when the LR reaches its peak,
//    and the delay must exceed 15% of the run beyond that.
import type { Series } from '../model/series';
import { scaleLr, switchToAdamW, upToUsualLr } from '../advice/suggest';
import type { AnalysisContext } from './context';
import type { Finding, Suggestion } from './finding';
import { formatChange, formatPercent, formatStep, formatValue } from './format';
import { lrClause, makeFinding } from './report';
import { mannKendall } from './stats';
import { fractionOf, type SeriesView } from './view';

const MAX_TOTAL_GAIN = Math.log(1.1);
const FALLING_Z = -3;
const MIN_LATE_SHARE = 0.5;
const LATE_START = 0.25;
const LATE_BEYOND_WARMUP = 0.15;
const MIN_FLAT_POINTS = 6;

export function detectSlowConvergence(ctx: AnalysisContext): Finding[] {
  if (ctx.rl) return [];
  for (const s of [ctx.trainLoss, ctx.valLoss]) {
    if (!s) continue;
    const f = steadyButTiny(ctx, s);
    if (f) return [f];
  }
  if (ctx.trainLoss) {
    const f = lateStart(ctx, ctx.trainLoss);
    if (f) return [f];
  }
  return [];
}

function steadyButTiny(ctx: AnalysisContext, loss: Series): Finding | undefined {
  const view = ctx.view(loss);
  if (!view.log || view.nonFinite > 0 || view.bins.length < 6) return undefined;
  const levels = view.bins.map((b) => b.level);
  const { z } = mannKendall(levels);
  if (z > FALLING_Z) return undefined;
  const first = levels[0]!;
  const total = first - view.final;
  if (!(total > 0) || total >= MAX_TOTAL_GAIN) return undefined;
  const mid = levelAtFraction(view, 0.5);
  const early = first - mid;
  const late = mid - view.final;
  if (!(late >= MIN_LATE_SHARE * early)) return undefined;
  const span = view.lastStep - view.firstStep;
  const what = loss.role === 'val_loss' ? 'Validation loss' : 'Loss';
  const clause = lrClause(ctx, view.lastStep);
  const message =
    `${what} fell only ${formatPercent(1 - Math.exp(-total))} over ${formatStep(span)} steps (${formatChange(view.value(first), view.value(view.final))}), ` +
    `at a steady rate with no sign of leveling off${clause ? ` ${clause}` : ''}: the LR is likely far too low.`;
  return makeFinding(
    'slow_convergence',
    'warning',
    loss,
    view.firstStep,
    message,
    {
      totalGainPercent: 100 * (1 - Math.exp(-total)),
      firstHalfGain: early,
      secondHalfGain: late,
      trendZ: z,
      lr: ctx.lrProfile?.peak ?? null,
    },
    raiseSuggestions(ctx),
    view.lastStep,
  );
}

function lateStart(ctx: AnalysisContext, loss: Series): Finding | undefined {
  const view = ctx.view(loss);
  if (!view.log || view.nonFinite > 0 || view.bins.length < 8) return undefined;
  const { bins } = view;
  const start = bins[0]!.level;
  const tol = Math.max(4 * view.levelNoise, Math.log(1.05));
  let takeoff = -1;
  for (let b = 1; b < bins.length; b++)
    if (bins[b]!.level < start - tol) {
      takeoff = b;
      break;
    }
  if (takeoff < 0) return undefined; // never fell: a plateau, not a late start
  const takeoffStep = view.series.steps[bins[takeoff]!.first]!;
  const frac = fractionOf(view, takeoffStep);
  // Few points, weaker claims: the flat start must hold ≥ 6 logged points.
  if (bins[takeoff]!.first - view.initialIndex < MIN_FLAT_POINTS) return undefined;
  const p = ctx.lrProfile;
  const rampEnd = p?.warmup ? fractionOf(view, p.warmup.endStep) : 0;
  if (frac < LATE_START || frac < rampEnd + LATE_BEYOND_WARMUP) return undefined;
  // And it then fell for real (otherwise the plateau rule speaks).
  if (!(start - view.final >= 2 * tol)) return undefined;
  // And the start was flat, not the first stretch of a steady fall that merely took a
  // while to cover the tolerance: per step, the "flat" part must fall at most a quarter
  // as fast as the rest of the run.
  const stepOf = (b: number): number => bins[b]!.step;
  const flatRate = (start - bins[takeoff - 1]!.level) / Math.max(1, stepOf(takeoff - 1) - stepOf(0));
  const fallRate = (bins[takeoff]!.level - view.final) / Math.max(1, stepOf(bins.length - 1) - stepOf(takeoff));
  if (flatRate > 0.25 * fallRate) return undefined;
  const clause = lrClause(ctx, view.firstStep);
  const message =
    `Loss stayed at ${formatValue(view.value(start))} for the first ${formatPercent(frac)} of the run (until step ${formatStep(takeoffStep)}) before it started to fall${clause ? `, ${clause}` : ''}: ` +
    'the early updates were too small to get anywhere, the mark of an LR that is too low.';
  return makeFinding(
    'slow_convergence',
    'warning',
    loss,
    view.firstStep,
    message,
    { takeoffStep, takeoffFraction: frac, startLoss: view.value(start), finalLoss: view.value(view.final), lr: p?.peak ?? null },
    raiseSuggestions(ctx, 3),
    takeoffStep,
  );
}

/**
 * Raise the LR: by 10× (one decade, the step of a coarse sweep) for a steady crawl, 3×
 * for a late start; straight into the optimizer's usual range when the run's LR is far
 * below it. Plain SGD far below its range: switching to AdamW at its usual LR is listed
 * too, since Adam-family optimizers are much less sensitive to the LR's scale.
 */
function raiseSuggestions(ctx: AnalysisContext, base = 10): Suggestion[] {
  const out: Suggestion[] = [
    upToUsualLr(ctx) ?? scaleLr(ctx, base, base === 10 ? 'a steady crawl means each step is too small; one decade up is the usual next try' : 'a larger LR gets the first phase of training going sooner'),
  ];
  if (ctx.optimizer === 'sgd') out.push(switchToAdamW('Adam-family optimizers scale each update by the gradient history and are far less sensitive to the LR'));
  return out;
}

function levelAtFraction(view: SeriesView, f: number): number {
  const target = view.firstStep + f * (view.lastStep - view.firstStep);
  let best = view.bins[0]!;
  for (const b of view.bins) if (Math.abs(b.step - target) < Math.abs(best.step - target)) best = b;
  return best.level;
}
