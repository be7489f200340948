// divergence: the loss became NaN/Inf, or rose far above its best and never came back.
//
// Non-finite loss. The first NaN/Inf of the training loss (or, without one, of the
// validation loss). When the loss stays non-finite (at least half of the points after
// it, or the last point), the run is lost: `error`. A few isolated NaNs that training
// recovers from (an fp16 overflow the loss scaler skipped) are only `info`.
//
// Finite blow-up (training loss, positive values, not RL). On the run's own log scale
// (see view.ts), with I the first logged value, B the best level it held for more than
// one bin and F the level of
// the last 10% of the run, the loss diverged when either
//   (a) it ended at ≥ 2× where it started (F − I ≥ ln 2, plus 3 sigmas of single-point
//       noise since I is one value): training made things worse, which no healthy run
//       does; or
//   (b) it gave back ≥ 75% of the progress it had made (F − B ≥ 0.75 (I − B)), after
//       progress worth naming (I − B ≥ ln 1.25, a 25% drop) and by a rise that is
//       itself large (F − B ≥ ln 1.15); or
//   (c) it ended at ≥ 3× its best (F − B ≥ ln 3), however far it had come down first;
// and in every case the rise (from the start for (a), from the best otherwise) is at
// least 4 noise sigmas of the bin levels (6 for (c), the least specific of the three),
// so noise cannot produce it, and it stays: every bin from the rise point to the end is
// at least halfway up the rise, over ≥ 3 bins and at least the last 15% of the run. For
// (a), which rests on one logged value, 90% of the points from the rise on must also be
// ≥ 2× that first value, and before the rise the loss must have been below halfway up
// (a low first draw of noisy data is not a start to compare with).
// A loss bump that comes back down is a spike (loss_spike.ts) or a warm restart, not a
// divergence.
import type { Series } from '../model/series';
import { addWarmup, backToUsualLr, clipGradNorm, describeScaled, factorBelow, referenceLr, scaleLr } from '../advice/suggest';
import type { AnalysisContext } from './context';
import type { Finding, Suggestion } from './finding';
import { formatFactor, formatLr, formatStep, formatValue } from './format';
import { lrAt } from './lrProfile';
import { lrClause, makeFinding } from './report';
import { median, quantile } from './stats';
import { fractionOf } from './view';

/**
 * A finite blow-up must hold for the last 15% of the run (≥ 3 bins): only then can we say
 * it did not come back, and noise rarely keeps six bins in a row on one side.
 */
const MIN_ELEVATED = 0.15;

/** A run that diverges on a ramping LR did so at this fraction of the run or earlier → suggest warmup. */
const EARLY_FRACTION = 0.2;

export function detectDivergence(ctx: AnalysisContext): Finding[] {
  const out: Finding[] = [];
  const train = ctx.trainLoss;
  const nonFiniteTrain = train ? nonFinite(ctx, train) : undefined;
  if (nonFiniteTrain) out.push(nonFiniteTrain);
  else if (ctx.valLoss) {
    const v = nonFinite(ctx, ctx.valLoss);
    if (v) out.push(v);
  }
  if (!nonFiniteTrain && train && !ctx.rl) {
    const f = finiteBlowUp(ctx, train);
    if (f) out.push(f);
  }
  return out;
}

function nonFinite(ctx: AnalysisContext, loss: Series): Finding | undefined {
  if (ctx.view(loss).nonFinite === 0) return undefined;
  const { steps, values } = loss;
  const n = values.length;
  let bad = -1;
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(values[i]!)) {
      bad = i;
      break;
    }
  if (bad < 0) return undefined;
  let lastFinite = NaN;
  for (let i = bad - 1; i >= 0; i--)
    if (Number.isFinite(values[i]!)) {
      lastFinite = values[i]!;
      break;
    }
  let badAfter = 0;
  for (let i = bad; i < n; i++) if (!Number.isFinite(values[i]!)) badAfter++;
  const step = steps[bad]!;
  const kind = Number.isNaN(values[bad]!) ? 'NaN' : 'infinite';
  const lost = badAfter * 2 >= n - bad || !Number.isFinite(values[n - 1]!);
  const what = loss.role === 'val_loss' ? 'Validation loss' : 'Loss';
  const evidence: Finding['evidence'] = {
    lastFiniteLoss: Number.isFinite(lastFinite) ? lastFinite : null,
    nonFinitePoints: badAfter,
    lrAtOnset: ctx.lrProfile ? lrAt(ctx.lrProfile, step) : null,
  };
  if (!lost) {
    return makeFinding(
      'divergence',
      'info',
      loss,
      step,
      `${what} was ${kind} at step ${formatStep(step)} (${badAfter} of ${n - bad} points from there) but training continued with finite values; isolated overflows that the loss scaler skips are harmless, repeated ones are not.`,
      evidence,
      [],
    );
  }
  const rise = riseBefore(ctx, loss, bad);
  let message = `${what} became ${kind} at step ${formatStep(step)}`;
  const clause = lrClause(ctx, step);
  if (clause) message += `, ${clause}`;
  if (rise) {
    message += `; it had been rising since step ${formatStep(rise.step)} (${formatValue(rise.from)} → ${formatValue(lastFinite)})`;
    evidence.riseStartStep = rise.step;
    evidence.lossAtRiseStart = rise.from;
  }
  message += '.';
  if (ctx.lrProfile) {
    evidence.lrPeak = ctx.lrProfile.peak;
    evidence.lrPeakStep = ctx.lrProfile.peakStep;
  }
  return makeFinding('divergence', 'error', loss, step, message, evidence, suggestionsFor(ctx, step, rise?.step), steps[n - 1]);
}

/**
 * Where a blow-up to NaN began: the best point before it, when the last finite values
 * had already climbed to ≥ 2× that best (on the binned view, so noise does not count).
 */
function riseBefore(ctx: AnalysisContext, loss: Series, bad: number): { step: number; from: number } | undefined {
  const view = ctx.view(loss);
  if (!view.log) return undefined;
  const badStep = loss.steps[bad]!;
  let best = Infinity;
  let bestStep = NaN;
  for (const b of view.bins) {
    if (b.step >= badStep) break;
    if (b.level < best) {
      best = b.level;
      bestStep = b.step;
    }
  }
  let lastFinite = NaN;
  for (let i = bad - 1; i >= 0; i--) {
    const y = view.y(i);
    if (!Number.isNaN(y)) {
      lastFinite = y;
      break;
    }
  }
  if (!(lastFinite - best >= Math.LN2) || !Number.isFinite(bestStep)) return undefined;
  return { step: bestStep, from: view.value(best) };
}

function finiteBlowUp(ctx: AnalysisContext, loss: Series): Finding | undefined {
  const view = ctx.view(loss);
  if (!view.log || view.finite < 6 || view.bins.length < 4) return undefined;
  // The best level the loss held for more than one bin (view.ts), so one lucky bin of
  // a noisy curve does not count as "its best".
  const { initial: I, bestSmooth: B, final: F, bins } = view;
  const noise = Math.max(view.levelNoise, 1e-9);
  // (a) ended at ≥ 2× the start; the rise is measured from the start. The start is one
  // logged value, so its own noise (the spread of single points) is added to the margin:
  // a first value that is merely a low draw of noisy data is no evidence.
  const pointNoise = Number.isFinite(view.pointNoise) ? view.pointNoise : 0;
  const endedWorse = F - I >= Math.LN2 + 3 * pointNoise && F - I >= 4 * noise;
  // (b) gave back most of the progress; the rise is measured from the best.
  const gaveBack = !endedWorse && I - B >= Math.log(1.25) && F - B >= 0.75 * (I - B) && F - B >= Math.log(1.15) && F - B >= 4 * noise;
  // (c) ended at ≥ 3× its best.
  const farAboveBest = !endedWorse && !gaveBack && F - B >= Math.log(3) && F - B >= 6 * noise;
  if (!endedWorse && !gaveBack && !farAboveBest) return undefined;
  const from = endedWorse ? Math.min(I, B) : B;
  const fromBin = endedWorse ? -1 : view.bestSmoothBin;
  const half = from + 0.5 * (F - from);
  // The rise point: the first bin after `fromBin` from which every bin stays halfway up.
  let riseBin = bins.length;
  for (let b = bins.length - 1; b > fromBin; b--) {
    if (bins[b]!.level >= half) riseBin = b;
    else break;
  }
  if (riseBin >= bins.length) return undefined;
  const elevated = bins.length - riseBin;
  const riseStep = firstStepAbove(view, riseBin, half);
  if (elevated < 3 || fractionOf(view, riseStep) > 1 - MIN_ELEVATED) return undefined;
  if (endedWorse) {
    const after: number[] = [];
    const from = bins[riseBin]!.first;
    const stride = Math.max(1, Math.floor((loss.values.length - from) / 10_000));
    for (let i = from; i < loss.values.length; i += stride) {
      const y = view.y(i);
      if (!Number.isNaN(y)) after.push(y);
    }
    if (!(quantile(after, 0.1) >= I + Math.LN2)) return undefined;
    // And before the rise the loss was down near its start, not up there all along.
    if (riseBin > 0 && !(median(bins.slice(0, riseBin).map((b) => b.level)) < half)) return undefined;
  }

  const best = view.value(B);
  const final = view.value(F);
  const initial = view.value(I);
  const bestStep = bins[view.bestSmoothBin]!.step;
  const evidence: Finding['evidence'] = {
    initialLoss: initial,
    bestLoss: best,
    bestStep,
    finalLoss: final,
    riseStep,
    finalOverBest: final / best,
    finalOverInitial: final / initial,
    lrAtRise: ctx.lrProfile ? lrAt(ctx.lrProfile, riseStep) : null,
  };
  let message: string;
  if (endedWorse && (riseBin === 0 || B >= I - Math.log(1.05))) {
    message = `Loss rose from ${formatValue(initial)} at the start to ${formatValue(final)} (${formatFactor(final / initial)}) from step ${formatStep(riseStep)} on and never came back down`;
  } else {
    message = `Loss rose from its best ${formatValue(best)} (step ${formatStep(bestStep)}) to ${formatValue(final)} from step ${formatStep(riseStep)} on and never came back`;
    if (endedWorse) message += `, ending ${formatFactor(final / initial)} above where it started (${formatValue(initial)})`;
    else if (gaveBack) message += `, giving back ${Math.round((100 * (F - B)) / (I - B))}% of its progress`;
    else message += ` (${formatFactor(final / best)} its best)`;
  }
  const clause = lrClause(ctx, riseStep);
  message += clause ? `, ${clause}.` : '.';
  return makeFinding('divergence', 'error', loss, riseStep, message, evidence, suggestionsFor(ctx, riseStep, endedWorse ? undefined : bestStep, endedWorse), view.lastStep);
}

function firstStepAbove(view: ReturnType<AnalysisContext['view']>, bin: number, level: number): number {
  const b = view.bins[bin]!;
  for (let i = b.first; i <= b.last; i++) if (view.y(i) >= level) return view.series.steps[i]!;
  return b.step;
}

/**
 * Best first: lower the LR; add warmup when it broke early on a ramp or without one;
 * clip gradients. The factor: half the LR at which the loss was last stable when the LR
 * moved before the break (see factorBelow); a whole decade (0.1) when the loss never
 * trained at its LR at all (ended above where it started); one 3× grid step (0.3)
 * otherwise. An LR more than 10× above its optimizer's usual range is brought back to
 * the usual first value for that optimizer instead.
 */
function suggestionsFor(ctx: AnalysisContext, onset: number, stableStep: number | undefined, neverTrained = false): Suggestion[] {
  const p = ctx.lrProfile;
  const out: Suggestion[] = [];
  const lrOnset = p ? lrAt(p, onset) : referenceLr(ctx);
  const lrStable = p && !p.constant && stableStep !== undefined ? lrAt(p, stableStep) : undefined;
  const usual = backToUsualLr(ctx);
  if (usual) {
    out.push(usual);
  } else if (lrStable !== undefined && lrOnset !== undefined && lrStable < lrOnset) {
    const factor = factorBelow(lrStable, p!.peak);
    out.push(scaleLr(ctx, factor, `the loss was still stable at LR ${formatLr(lrStable)}; half of that (${describeScaled(ctx, factor)} for the peak) leaves a margin`));
  } else if (neverTrained) {
    out.push(scaleLr(ctx, 0.1, 'the loss never trained at this LR; go down a whole decade'));
  } else {
    out.push(scaleLr(ctx, 0.3, 'the loss blew up at this LR; one step down a 3×-spaced LR grid is the first thing to try'));
  }
  const early = Number.isFinite(ctx.lastStep) && fractionOf(ctx, onset) <= EARLY_FRACTION;
  const warmupLength = p?.warmup ? p.warmup.endStep - p.firstStep : 0;
  const span = Math.max(1, ctx.lastStep - ctx.firstStep);
  // Breaking while the LR was still ramping up means the peak is too high: a longer
  // ramp would only get there later. Right after the ramp, a longer one can help.
  if (p?.warmup && onset >= p.warmup.endStep && onset <= p.warmup.endStep + 2 * warmupLength && 2 * warmupLength <= 0.25 * span)
    out.push(addWarmup(ctx, 'the loss broke right after the warmup; twice as long a ramp reaches the peak LR more gently', 2 * warmupLength));
  else if (!p?.warmup && early) out.push(addWarmup(ctx, 'the loss broke early, before the optimizer state had settled; a warmup ramps the LR up gradually'));
  out.push(clipGradNorm(ctx, 'clipping caps the size of a single bad update so one large gradient cannot throw training off', onset));
  return out;
}
