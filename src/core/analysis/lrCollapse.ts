// lr_collapse: the LR fell to near zero long before the end of the run.
//
// From the logged LR (never smoothed): the LR collapsed when it stays at or below
// - 1e-3 × its peak from a point before 75% of the run, or
// - 1e-2 × its peak from a point before 50% of the run.
// Planned schedules do not do that: cosine and linear decays reach 1e-2 × peak at
// ~94% and ~99% of their length and 1e-3 × at ~98% / 99.9%; the classic step schedule
// (×0.1 at 1/3 and 2/3 of training, as for ResNet) reaches 1e-2 at 67% and never 1e-3.
// Beyond those points the remaining steps barely move the weights.
//
// It is a `warning` when the loss then stopped improving: the steps after the collapse
// gained less than max(3 noise sigmas, 2%, a tenth of what the steps before it gained);
// `info` when the loss still improved.
//
// The cause is named when the LR says it: when the run's steps per epoch are known and
// a step-wise LR drops every P steps where P is not a whole number of epochs, while P
// read as a number of epochs would fit the run (P × steps-per-epoch ≤ 2 × the run's
// length), a per-epoch scheduler (StepLR(step_size=P), MultiStepLR, ExponentialLR) is
// being stepped once per batch; the fix is to move that call out of the batch loop.
// (Iteration-based schedules, as detectron2 writes them, do not collapse this early, so
// the collapse itself is the main evidence.) Else the schedule is too short for the
// run, and a schedule sized to the run is suggested.
import { cosineSchedule, stepPerEpoch } from '../advice/suggest';
import type { AnalysisContext } from './context';
import type { Finding, Suggestion } from './finding';
import { formatLr, formatNumber, formatPercent, formatStep, formatValue, roundNice } from './format';
import { dropPeriod, stepStayingBelow } from './lrProfile';
import { makeFinding } from './report';
import { fractionOf } from './view';

const DEEP = { fraction: 1e-3, before: 0.75 };
const SHALLOW = { fraction: 1e-2, before: 0.5 };
const MIN_GAIN = Math.log(1.02);

export function detectLrCollapse(ctx: AnalysisContext): Finding[] {
  const p = ctx.lrProfile;
  if (!p || p.constant) return [];
  const end = Number.isFinite(ctx.lastStep) ? ctx.lastStep : p.lastStep;
  const run = { firstStep: Number.isFinite(ctx.firstStep) ? ctx.firstStep : p.firstStep, lastStep: end };
  let at: number | undefined;
  for (const rule of [DEEP, SHALLOW]) {
    const s = stepStayingBelow(p, rule.fraction);
    if (s !== undefined && fractionOf(run, s) <= rule.before && (at === undefined || s < at)) at = s;
  }
  if (at === undefined) return [];
  const atFraction = fractionOf(run, at);

  // Did the loss improve after the collapse?
  let stalled: boolean | undefined;
  let lossAt: number | undefined;
  let lossEnd: number | undefined;
  const loss = ctx.trainLoss ?? ctx.valLoss;
  if (loss) {
    const view = ctx.view(loss);
    if (view.log && view.bins.length >= 4) {
      let before = view.bins[0]!.level;
      for (const b of view.bins) {
        if (b.step > at) break;
        before = b.level;
      }
      const gain = before - view.final;
      const earlier = view.initial - before;
      stalled = gain < Math.max(3 * view.levelNoise, MIN_GAIN, 0.1 * earlier);
      lossAt = view.value(before);
      lossEnd = view.value(view.final);
    }
  }

  const period = dropPeriod(p);
  const spe = ctx.stepsPerEpoch;
  const perBatch =
    spe !== undefined &&
    p.stepwise &&
    Number.isFinite(period) &&
    Math.abs(period / spe - Math.round(period / spe)) > 0.05 &&
    period * spe <= 2 * (run.lastStep - run.firstStep);
  const lrAtCollapse = p.series.values[p.series.steps.indexOf(at)] ?? NaN;
  const ratio = lrAtCollapse / p.peak;
  let message = `The LR fell to ${formatLr(lrAtCollapse)} (${ratio > 0 ? `1/${formatNumber(roundNice(1 / ratio))}` : 'none'} of its peak ${formatLr(p.peak)}) at step ${formatStep(at)}, ${formatPercent(atFraction)} into the run, and stayed there`;
  if (perBatch)
    message += `; it drops every ${formatStep(period)} steps, which is not a whole number of ${formatStep(spe)}-step epochs, so a scheduler meant per epoch (step_size=${formatStep(period)} epochs?) seems to be stepped once per batch`;
  if (stalled === true && lossAt !== undefined) message += `. The loss made no progress after that (${formatValue(lossAt)} → ${formatValue(lossEnd!)})`;
  else if (stalled === false && lossAt !== undefined) message += `. The loss still improved after that (${formatValue(lossAt)} → ${formatValue(lossEnd!)}), but slowly`;
  message += `: the last ${formatPercent(1 - atFraction)} of the steps barely moved the weights.`;
  const suggestions: Suggestion[] = [];
  if (perBatch) suggestions.push(stepPerEpoch(ctx, `the LR changes every ${formatStep(period)} steps, not on the ${formatStep(spe)}-step epoch boundaries; calling scheduler.step() once per epoch restores the decay the schedule was written for`));
  suggestions.push(cosineSchedule(ctx, 'a schedule sized to the whole run reaches its floor at the last step, not part-way through'));
  return [
    makeFinding(
      'lr_collapse',
      stalled === false ? 'info' : 'warning',
      p.series,
      at,
      message,
      {
        collapseStep: at,
        collapseFraction: atFraction,
        lrAtCollapse,
        lrPeak: p.peak,
        lrFinal: p.final,
        dropPeriod: Number.isFinite(period) ? period : null,
        stepsPerEpoch: spe ?? null,
        steppedPerBatch: perBatch,
        lossAtCollapse: lossAt ?? null,
        lossAtEnd: lossEnd ?? null,
      },
      suggestions,
      p.lastStep,
    ),
  ];
}
