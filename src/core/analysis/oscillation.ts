// oscillation: the loss swings up and down around a flat trend, not explained by the schedule.
//
// Looked for in the second half of the run, where a healthy loss has settled into a slow
// decline: on the validation loss (one value per evaluation, the same in every log
// format) and on the binned training loss. On the log scale, a robust line (Theil-Sen)
// through the window's levels is the trend; the residuals are the swings. It is an
// oscillation when
// - there are ≥ 6 levels in the window and the residuals change direction at least
//   3 times (a drift or a single bump is not a swing);
// - the swings are large: a robust sigma (MAD) of the residuals of ≥ ln 1.2, i.e. the
//   loss routinely sits ±20% off its trend. A settled validation loss moves by a few
//   percent between evaluations, and a binned training loss averages its minibatch
//   noise away;
// - for the training loss, the bins hold ≥ 3 points each (single logged points cannot
//   tell swings from minibatch noise) and the swings are ≥ 3× what the minibatch noise
//   leaves in a bin median (1.25 σ_point / √(points per bin)), so per-step noise of a
//   small batch does not count;
// - the swings are ≥ 3 printing quanta (view.ts): a loss of 1e-4 printed with 4
//   decimals only shows 1e-4, 2e-4, 3e-4;
// - the trend is flat: over the window it moves by less than 3 sigmas of the swings
//   (the loss is no longer making progress that would explain the movement);
// - the LR schedule does not explain it: several LR restarts (warm restarts, cyclic
//   schedules) make the loss rise and fall with the LR by design.
import type { Series } from '../model/series';
import { backToUsualLr, cosineSchedule, reduceOnPlateau, scaleLr } from '../advice/suggest';
import type { AnalysisContext } from './context';
import type { Finding } from './finding';
import { formatStep, formatValue } from './format';
import { lrClause, makeFinding, periodicFit } from './report';
import { median, robustSigma, theilSen } from './stats';
import { resolution } from './view';

const MIN_LEVELS = 6;
const MIN_REVERSALS = 3;
const MIN_SWING = Math.log(1.2);
/** How many times larger than what minibatch noise leaves in a bin median. */
const OVER_NOISE = 3;

interface Swing {
  series: Series;
  fromStep: number;
  toStep: number;
  amplitude: number;
  low: number;
  high: number;
  levels: number;
  reversals: number;
}

export function detectOscillation(ctx: AnalysisContext): Finding[] {
  if (ctx.rl) return [];
  const p = ctx.lrProfile;
  if (p && p.restarts.length >= 2) return [];
  if (periodicFit(ctx)) return [];
  const found: Swing[] = [];
  if (ctx.valLoss) {
    const s = swingOf(ctx, ctx.valLoss, false);
    if (s) found.push(s);
  }
  if (ctx.trainLoss) {
    const s = swingOf(ctx, ctx.trainLoss, true);
    if (s) found.push(s);
  }
  if (found.length === 0) return [];
  // One finding: the validation loss when it swings (what the user judges the run by).
  const s = found[0]!;
  const what = s.series.role === 'val_loss' ? 'Validation loss' : 'Loss';
  const unit = s.series.role === 'val_loss' ? 'evaluations' : 'stretches of the run';
  const clause = lrClause(ctx, s.fromStep);
  const message =
    `${what} swung between ${formatValue(s.low)} and ${formatValue(s.high)} (typically ±${Math.round(100 * (Math.exp(s.amplitude) - 1))}% off a flat trend, ${s.reversals} reversals over ${s.levels} ${unit}) from step ${formatStep(s.fromStep)} to the end` +
    (clause ? `, ${clause}` : '') +
    '; swings like this mean the LR is too high to settle into the minimum.';
  const suggestions = [
    backToUsualLr(ctx) ?? scaleLr(ctx, 0.3, 'an LR past the edge of stability makes the loss bounce instead of settling; one 3× grid step down usually stops it'),
    p && !p.constant ? undefined : cosineSchedule(ctx, 'a decaying LR lets the loss settle as training goes on'),
    ctx.valLoss ? reduceOnPlateau(ctx.valLoss, 'lowers the LR automatically once the validation loss stops improving') : undefined,
  ].filter((x) => x !== undefined);
  return [
    makeFinding(
      'oscillation',
      'warning',
      s.series,
      s.fromStep,
      message,
      {
        swingPercent: Math.round(100 * (Math.exp(s.amplitude) - 1)),
        reversals: s.reversals,
        levels: s.levels,
        low: s.low,
        high: s.high,
        trainLossSwings: found.some((f) => f.series.role === 'train_loss'),
        valLossSwings: found.some((f) => f.series.role === 'val_loss'),
      },
      suggestions,
      s.toStep,
    ),
  ];
}

function swingOf(ctx: AnalysisContext, series: Series, binned: boolean): Swing | undefined {
  const view = ctx.view(series);
  if (!view.log || view.nonFinite > 0) return undefined;
  const half = view.firstStep + 0.5 * (view.lastStep - view.firstStep);
  const bins = view.bins.filter((b) => b.step >= half);
  if (bins.length < MIN_LEVELS) return undefined;
  const x = bins.map((b) => b.step);
  const y = bins.map((b) => b.level);
  const { slope, intercept } = theilSen(x, y);
  if (!Number.isFinite(slope)) return undefined;
  const r = y.map((v, i) => v - (slope * x[i]! + intercept));
  const amplitude = robustSigma(r);
  if (!(amplitude >= MIN_SWING)) return undefined;
  // Swings of a few printing quanta are rounding (a loss of 1e-4 printed to 4 decimals).
  if (amplitude < 3 * resolution(view, median(y))) return undefined;
  // Trend movement over the window must be smaller than the swings.
  if (Math.abs(slope * (x[x.length - 1]! - x[0]!)) >= 3 * amplitude) return undefined;
  let reversals = 0;
  for (let i = 2; i < r.length; i++) if (Math.sign(r[i]! - r[i - 1]!) * Math.sign(r[i - 1]! - r[i - 2]!) < 0) reversals++;
  if (reversals < MIN_REVERSALS) return undefined;
  if (binned) {
    // Single logged points cannot tell swings from minibatch noise; bins of several can.
    const perBin = median(bins.map((b) => b.n));
    if (perBin < 3 || !Number.isFinite(view.pointNoise)) return undefined;
    const expected = (1.25 * view.pointNoise) / Math.sqrt(perBin);
    if (amplitude < OVER_NOISE * expected) return undefined;
  }
  return {
    series,
    fromStep: bins[0]!.step,
    toStep: view.lastStep,
    amplitude,
    low: view.value(Math.min(...y)),
    high: view.value(Math.max(...y)),
    levels: bins.length,
    reversals,
  };
}
