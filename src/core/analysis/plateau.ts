// plateau: the loss stopped improving while the LR was still far from its floor.
//
// "No improvement" is measured on the binned log-scale loss (view.ts): the plateau starts
// at the first bin after which the loss never gets more than δ below the best it had
// reached (the best it held for more than one bin, so one lucky bin does not count), δ = max(3 noise sigmas of the bin levels, ln 1.02): smaller gains are noise
// or 2% at most. Small gains that keep coming are progress, though: when the levels
// after that bin still fall significantly and by ≥ 2% (stillFalling), it is no plateau
// unless the model is visibly stuck (below). A plateau must cover ≥ 30% of the run (a flat tail is how every run
// that converged ends) and, when the run logs its LR, start while the LR is still at
// ≥ 10% of its peak and stay there for its first half: the flat end of a cosine or
// linear decay is the schedule finishing, and an LR that fell to nothing is lr_collapse.
//
// Severity follows the evidence that the model is stuck rather than done:
// - `warning` when the loss never improved at all (flat from the first bin, without a
//   significant downward trend, which would be slow_convergence) and something confirms
//   that it never learned rather than converged before its first logged point: a stuck
//   metric, a level equal to ln k (a uniform guess over k ≤ 10 classes), or an LR
//   outside its optimizer's usual range (advice/lrPriors.ts); `info` without;
// - `warning` when a logged metric (accuracy, ...) is stuck on one exact value over
//   the plateau, or the loss's batch-to-batch noise dropped fivefold when the plateau
//   began: the model predicts the same thing for every input;
// - `warning` when the LR is more than 10× above its optimizer's usual range (any
//   common optimizer's when the run does not say which): stalled, not converged;
// - `info` otherwise: a loss that settled early at a constant LR may simply have
//   converged, but a decay would usually still buy something.
// A validation loss that stalls for ≥ 30% of the run (≥ 5 evaluations) while the
// training loss keeps falling is reported too, as `info`: it is the case
// ReduceLROnPlateau exists for, but also how most healthy runs end.
import type { Series } from '../model/series';
import { lrPosition, lrPriorOf } from '../advice/lrPriors';
import { backToUsualLr, cosineSchedule, reduceOnPlateau, scaleLr, upToUsualLr } from '../advice/suggest';
import type { AnalysisContext } from './context';
import type { Finding, Suggestion } from './finding';
import { formatLr, formatPercent, formatStep, formatValue } from './format';
import { lrAt } from './lrProfile';
import { lrClause, makeFinding, metricDirection } from './report';
import { mannKendall, median, robustSigma } from './stats';
import { fractionOf, resolution, type Bin, type SeriesView } from './view';

const MIN_FRACTION = 0.3;
const MIN_GAIN = Math.log(1.02);
/** How many times quieter the loss must become for a collapse (see noiseCollapse). */
const NOISE_DROP = 5;
/** Mann-Kendall z below which the bin levels are significantly falling (p ≈ 0.001). */
const FALLING_Z = -3;
/** Bins a plateau's levels need before their trend is tested (Mann-Kendall needs a few). */
const MIN_TAIL_BINS = 6;

/** Where a series stopped improving: the first bin after which it never beat its best by more than δ. */
export function plateauStart(view: SeriesView, minGain = MIN_GAIN): number {
  const { bins } = view;
  const delta = gainThreshold(view, minGain);
  const best = view.bestSmooth;
  let running = Infinity;
  for (let b = 0; b < bins.length; b++) {
    running = Math.min(running, bins[b]!.level);
    if (running - best <= delta) return b;
  }
  return bins.length - 1;
}

/** The smallest gain that counts as an improvement: 3 noise sigmas of the bin levels, at least `minGain`. */
function gainThreshold(view: SeriesView, minGain = MIN_GAIN): number {
  return Math.max(3 * view.levelNoise, minGain);
}

/**
 * A metric stuck on one exact value over [from, to]: that value makes up ≥ 75% of the
 * window's ≥ 4 points (a model that predicts the same class for every input scores the
 * same accuracy every time, give or take an evaluation), and it is not the best the
 * metric reached: either every earlier value was that value too (stuck from the first
 * evaluation) or an earlier one was ≥ 10% better (it fell to it and stuck). A metric
 * that froze at its best (a few remaining errors on a small validation set) is a
 * finished model, not a stuck one.
 */
export function frozenMetric(ctx: AnalysisContext, from: number, to: number): { series: Series; value: number } | undefined {
  for (const m of [ctx.valMetric, ctx.trainMetric]) {
    if (!m) continue;
    const counts = new Map<number, number>();
    let n = 0;
    let firstIn = -1;
    for (let i = 0; i < m.steps.length; i++) {
      const s = m.steps[i]!;
      const v = m.values[i]!;
      if (s < from || s > to || !Number.isFinite(v)) continue;
      if (firstIn < 0) firstIn = i;
      n++;
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    if (n < 4) continue;
    let mode = NaN;
    let modeCount = 0;
    for (const [v, c] of counts)
      if (c > modeCount) {
        mode = v;
        modeCount = c;
      }
    if (modeCount < 0.75 * n) continue;
    const higherIsBetter = metricDirection(m.tag);
    let sameBefore = true;
    let betterBefore = false;
    for (let i = 0; i < firstIn; i++) {
      const v = m.values[i]!;
      if (!Number.isFinite(v)) continue;
      if (v !== mode) sameBefore = false;
      if (higherIsBetter !== undefined && (higherIsBetter ? v > mode * 1.1 : v < mode / 1.1)) betterBefore = true;
    }
    if (sameBefore || betterBefore) return { series: m, value: mode };
  }
  return undefined;
}

export function detectPlateau(ctx: AnalysisContext): Finding[] {
  if (ctx.rl) return [];
  const out: Finding[] = [];
  if (ctx.trainLoss) {
    const f = trainPlateau(ctx, ctx.trainLoss);
    if (f) out.push(f);
  }
  if (ctx.valLoss && ctx.trainLoss) {
    const f = valPlateau(ctx, ctx.valLoss, ctx.trainLoss);
    if (f) out.push(f);
  }
  return out;
}

/** The LR is far from its floor at `from` and through the first half of [from, to]. */
function lrFarFromFloor(ctx: AnalysisContext, from: number, to: number): boolean {
  const p = ctx.lrProfile;
  if (!p) return true;
  const mid = from + 0.5 * (to - from);
  return lrAt(p, from) >= 0.1 * p.peak && lrAt(p, mid) >= 0.1 * p.peak;
}

/** The LR fell by more than half between `from` and `to` (a decay in progress). */
function lrDecaying(ctx: AnalysisContext, from: number, to: number): boolean {
  const p = ctx.lrProfile;
  return p !== undefined && lrAt(p, to) < 0.5 * lrAt(p, from);
}

function trainPlateau(ctx: AnalysisContext, loss: Series): Finding | undefined {
  const view = ctx.view(loss);
  if (!view.log || view.nonFinite > 0 || view.bins.length < 6) return undefined;
  const p = plateauStart(view);
  const start = view.series.steps[view.bins[p]!.first]!;
  const fraction = 1 - fractionOf(view, start);
  if (fraction < MIN_FRACTION || !lrFarFromFloor(ctx, start, view.lastStep)) return undefined;
  const levels = view.bins.map((b) => b.level);
  const falling = mannKendall(levels).z <= FALLING_Z;
  // Never improved: neither the first bin nor the first point is meaningfully above the
  // best. The first point alone counts only when it stands out of its bin by more than
  // its own noise (a drop within the first bin), not by one noisy batch.
  const first = view.bins[0]!.level;
  const startLevel = Number.isFinite(view.pointNoise) && view.initial - first <= 3 * view.pointNoise ? first : Math.max(view.initial, first);
  const neverImproved = p === 0 && !falling && startLevel - view.bestSmooth <= gainThreshold(view);
  // A loss that levels off while the schedule is still decaying the LR is the schedule
  // doing its work; only a loss that never moved at all is stuck whatever the LR did.
  if (!neverImproved && lrDecaying(ctx, start, view.lastStep)) return undefined;
  const frozen = frozenMetric(ctx, start, view.lastStep);
  const quiet = noiseCollapse(view, p);
  // Gains each smaller than δ still add up: a tail that keeps falling is slow progress
  // (slow_convergence's business), not a plateau, unless the model is visibly stuck.
  if (!frozen && quiet === undefined && stillFalling(levels.slice(p))) return undefined;
  const level = view.value(median(levels.slice(p)));
  const evidence: Finding['evidence'] = {
    plateauStart: start,
    plateauFraction: fraction,
    plateauLoss: level,
    initialLoss: view.value(view.initial),
    bestLoss: view.value(view.best),
    lrAtStart: ctx.lrProfile ? lrAt(ctx.lrProfile, start) : null,
    frozenMetric: frozen ? frozen.series.tag : null,
    frozenValue: frozen ? frozen.value : null,
    noiseDrop: quiet ?? null,
    neverImproved,
  };
  const clause = lrClause(ctx, start);
  const stuck = frozen
    ? `${frozen.series.tag} stayed at ${formatValue(frozen.value)}: the model predicts the same thing for every input`
    : quiet !== undefined
      ? `the loss barely varies from one batch to the next any more (${Math.round(quiet)}× less than before): the model gives nearly the same output for every input`
      : '';
  const valLevel = ctx.valLoss ? medianIn(ctx.valLoss, start, view.lastStep) : NaN;
  const classes = chanceClasses(Math.log(level)) ?? (Number.isFinite(valLevel) && valLevel > 0 ? chanceClasses(Math.log(valLevel)) : undefined);
  const lrPos = ctx.lrProfile ? lrPosition(ctx.lrProfile.peak, lrPriorOf(ctx.optimizer)) : undefined;
  evidence.uniformGuessClasses = classes ?? null;
  let message: string;
  let severity: Finding['severity'] = 'info';
  let suggestions: Suggestion[];
  if (neverImproved) {
    // A flat log is also what a run looks like that converged before its first logged
    // point; only corroborated "never learned" is a warning.
    const corroborated = Boolean(stuck) || classes !== undefined || lrPos === 'far_below' || lrPos === 'far_above';
    severity = corroborated ? 'warning' : 'info';
    const lrs = ctx.lrProfile ? (ctx.lrProfile.constant ? `at a constant LR of ${formatLr(ctx.lrProfile.peak)}` : `with the LR peaking at ${formatLr(ctx.lrProfile.peak)}`) : '';
    message = `Loss never improved: it stayed at ${formatValue(level)} for the whole run (${formatStep(view.lastStep - view.firstStep)} steps)${lrs ? `, ${lrs}` : ''}`;
    const why: string[] = [];
    if (classes !== undefined) why.push(`that is ln ${classes} = ${formatValue(Math.log(classes))}, the loss of a uniform guess over ${classes} classes`);
    if (stuck) why.push(stuck);
    message += why.length ? `; ${why.join('; ')}.` : corroborated ? '.' : ' (or it had already converged before the first logged point).';
    suggestions = stuckSuggestions(ctx, Boolean(stuck));
  } else if (stuck) {
    severity = 'warning';
    message = `Loss stopped improving at step ${formatStep(start)} and stayed at ${formatValue(level)} for the last ${formatPercent(fraction)} of the run${clause ? `, ${clause}` : ''}; ${stuck}.`;
    suggestions = stuckSuggestions(ctx, true);
  } else if (lrPos === 'far_above') {
    // Stalled at an LR ten times beyond what any run of this optimizer uses: not a model
    // that converged, but one bouncing around at a level it cannot get below.
    severity = 'warning';
    const prior = lrPriorOf(ctx.optimizer);
    message =
      `Loss has not improved since step ${formatStep(start)} (the last ${formatPercent(fraction)} of the run, around ${formatValue(level)})${clause ? `, ${clause}` : ''}; ` +
      `that LR is far above the usual range for ${prior.name} (${formatLr(prior.low)}–${formatLr(prior.high)}), too large for the loss to settle any lower.`;
    suggestions = [backToUsualLr(ctx)!];
  } else {
    message =
      `Loss has not improved since step ${formatStep(start)} (the last ${formatPercent(fraction)} of the run, around ${formatValue(level)})${clause ? `, ${clause}` : ''}. ` +
      'If that is above what the model should reach, a decaying LR usually lowers it further.';
    suggestions = [
      reduceOnPlateau(ctx.valLoss ?? loss, 'lowers the LR when the loss stops improving, which typically buys another drop'),
      cosineSchedule(ctx, 'a decay over the whole run spends the late steps at a small LR, where the loss can settle lower'),
    ];
  }
  return makeFinding('plateau', severity, loss, start, message, evidence, suggestions, view.lastStep);
}

/**
 * Log-scale bin levels that still fall: significantly (Mann-Kendall z ≤ −3 over ≥ 6
 * bins) and by a gain worth having (the median of their last third ≥ ln 1.02 below
 * that of their first third). A flat tail with a trend of a fraction of a percent is
 * still flat.
 */
function stillFalling(levels: readonly number[]): boolean {
  if (levels.length < MIN_TAIL_BINS || mannKendall(levels).z > FALLING_Z) return false;
  const third = Math.floor(levels.length / 3);
  return median(levels.slice(0, third)) - median(levels.slice(-third)) >= MIN_GAIN;
}

/**
 * The k (2…10) for which the loss exp(`logLevel`) is ln k within 0.2%: the cross-
 * entropy of a uniform guess over k classes (binary, 4-way multiple choice, 10-class
 * digits or CIFAR), which a classifier that learned nothing sits at. The windows cover
 * about 1% of the losses between ln 2 and ln 10, so a match is worth naming, never a
 * verdict on its own.
 */
function chanceClasses(logLevel: number): number | undefined {
  const level = Math.exp(logLevel);
  for (let k = 2; k <= 10; k++) if (Math.abs(level - Math.log(k)) <= 0.002 * Math.log(k)) return k;
  return undefined;
}

/** Median of a series' finite values with from ≤ step ≤ to. */
function medianIn(s: Series, from: number, to: number): number {
  const vals: number[] = [];
  for (let i = 0; i < s.steps.length; i++) if (s.steps[i]! >= from && s.steps[i]! <= to) vals.push(s.values[i]!);
  return median(vals);
}

/**
 * How much quieter the loss became on the plateau: the ratio of its batch-to-batch noise
 * before bin `p` to its noise after, when that ratio is ≥ 5 (else undefined). Noise is
 * the robust sigma of differences between consecutive logged points (/√2), which a slow
 * trend does not inflate. Only bins before the plateau whose level was already within
 * ln 1.5 of the plateau's count as "before" (≥ 3 of them): a fast initial descent moves
 * a lot between points without being noisy. A model that outputs a constant has almost
 * no batch-to-batch variation in its loss; a model that is learning (or has converged)
 * keeps its minibatch noise (relative to the loss, it usually grows as the loss falls),
 * so a fivefold drop at a steady LR is a collapse, not convergence. Needs ≥ 4 bins on
 * the plateau.
 */
function noiseCollapse(view: SeriesView, p: number): number | undefined {
  const { bins } = view;
  if (bins.length - p < 4) return undefined;
  const plateauLevel = median(bins.slice(p).map((b) => b.level));
  const before = bins.slice(0, p).filter((b) => Math.abs(b.level - plateauLevel) <= Math.log(1.5));
  if (before.length < 3) return undefined;
  const noise = (group: readonly Bin[]): number => {
    const total = group.reduce((k, b) => k + (b.last - b.first + 1), 0);
    const stride = Math.max(1, Math.floor(total / 20_000));
    const diffs: number[] = [];
    for (const b of group)
      for (let i = b.first; i < b.last + (b === group[group.length - 1] ? 0 : 1) && i + 1 < view.series.values.length; i += stride) {
        const d = view.y(i + 1) - view.y(i);
        if (Number.isFinite(d)) diffs.push(d);
      }
    return robustSigma(diffs) / Math.SQRT2;
  };
  const noiseBefore = noise(before);
  // Rounded values can look perfectly flat: no less than half a printing quantum.
  const noiseAfter = Math.max(noise(bins.slice(p)), 0.5 * resolution(view, plateauLevel));
  if (!(noiseBefore > 0) || !(noiseAfter >= 0)) return undefined;
  const ratio = noiseAfter > 0 ? noiseBefore / noiseAfter : Infinity;
  return ratio >= NOISE_DROP ? Math.min(ratio, 1000) : undefined;
}

/**
 * A loss that never moved (or a model that predicts a constant) can mean an LR far too
 * low or one so high it broke the model. The optimizer's usual range decides when the
 * run says which optimizer it used; a frozen prediction points at too high; otherwise
 * updates that are too small are the likelier reading.
 */
function stuckSuggestions(ctx: AnalysisContext, collapsed: boolean): Suggestion[] {
  const lr = ctx.lrProfile?.peak;
  const prior = lrPriorOf(ctx.optimizer);
  const pos = lr !== undefined ? lrPosition(lr, prior) : undefined;
  const raise = upToUsualLr(ctx) ?? scaleLr(ctx, 10, lr !== undefined && pos === 'below'
    ? `${formatLr(lr)} is below the usual range for ${prior.name} (${formatLr(prior.low)}–${formatLr(prior.high)}): the updates are too small to move the loss`
    : 'a loss that does not move at all usually means the updates are too small');
  const lower = backToUsualLr(ctx) ?? scaleLr(ctx, 0.1, lr !== undefined && pos === 'above'
    ? `${formatLr(lr)} is above the usual range for ${prior.name} (${formatLr(prior.low)}–${formatLr(prior.high)})`
    : 'a model stuck at one prediction is typically knocked there by an LR that is too high (dead units, saturated outputs)');
  // When the optimizer's range says which side the LR is on, only that direction.
  if (pos === 'below' || pos === 'far_below') return [raise];
  if (pos === 'above' || pos === 'far_above') return [lower];
  return collapsed ? [lower, raise] : [raise, lower];
}

function valPlateau(ctx: AnalysisContext, val: Series, train: Series): Finding | undefined {
  const view = ctx.view(val);
  if (!view.log || view.nonFinite > 0 || view.bins.length < 8) return undefined;
  const p = plateauStart(view, Math.log(1.01));
  const start = view.series.steps[view.bins[p]!.first]!;
  const evals = view.bins.length - p;
  const span = Math.max(1, ctx.lastStep - ctx.firstStep);
  const fraction = (ctx.lastStep - start) / span;
  if (p === 0 || evals < 5 || fraction < MIN_FRACTION || !lrFarFromFloor(ctx, start, ctx.lastStep)) return undefined;
  // Training loss still falling over the stall: its level at the start vs the end.
  const tv = ctx.view(train);
  if (!tv.log || tv.nonFinite > 0) return undefined;
  const tStart = levelNear(tv, start);
  const trainGain = tStart - tv.final;
  if (!(trainGain >= Math.max(3 * tv.levelNoise, Math.log(1.05)))) return undefined;
  const bestLevel = view.best;
  const bestStep = view.bins[view.bestBin]!.step;
  const clause = lrClause(ctx, start);
  const message =
    `Validation loss has not improved since step ${formatStep(start)} (best ${formatValue(view.value(bestLevel))} at step ${formatStep(bestStep)}; ${evals} evaluations, the last ${formatPercent(fraction)} of the run)` +
    ` while training loss kept falling (${formatValue(tv.value(tStart))} → ${formatValue(tv.value(tv.final))})${clause ? `, ${clause}` : ''}.`;
  return makeFinding(
    'plateau',
    'info',
    val,
    start,
    message,
    {
      plateauStart: start,
      plateauFraction: fraction,
      evaluations: evals,
      bestValLoss: view.value(bestLevel),
      bestStep,
      trainLossAtStart: tv.value(tStart),
      trainLossAtEnd: tv.value(tv.final),
      lrAtStart: ctx.lrProfile ? lrAt(ctx.lrProfile, start) : null,
    },
    [
      reduceOnPlateau(val, 'halving the LR when the validation loss stalls usually buys another improvement'),
      cosineSchedule(ctx, 'a decay over the whole run reaches small LRs by the time the validation loss stalls'),
    ],
    ctx.lastStep,
  );
}

/** The bin level at (or just before) `step`. */
function levelNear(view: SeriesView, step: number): number {
  let level = view.bins[0]!.level;
  for (const b of view.bins) {
    if (b.step > step) break;
    level = b.level;
  }
  return level;
}
