// overfitting: the validation loss rises while the training loss keeps falling.
//
// On the validation loss's own points (binned only beyond 40 evaluations), log scale:
// - the best evaluation is followed by ≥ 3 more (one or two bad evaluations are noise);
// - the end of the run (median of the last three evaluations, fewer if fewer) sits
//   ≥ max(5%, 3 noise sigmas) above the best: a rise that matters and that the
//   evaluation noise cannot explain;
// - the evaluations after the best trend upward (Mann-Kendall z ≥ 1.5 when there are
//   ≥ 4 of them; with 3, each of the last two is above the best);
// - the training loss fell over the same stretch by ≥ max(3 noise sigmas, 2%): both
//   rising would be a divergence or an LR problem, not overfitting.
// The step reported is the best-validation step, the checkpoint to keep.
import type { Series } from '../model/series';
import { earlyStop, reduceOnPlateau } from '../advice/suggest';
import type { AnalysisContext } from './context';
import type { Finding } from './finding';
import { formatPercent, formatStep, formatValue } from './format';
import { makeFinding } from './report';
import { mannKendall, median } from './stats';

const MIN_AFTER = 3;
const MIN_RISE = Math.log(1.05);
const RISING_Z = 1.5;
const MIN_TRAIN_GAIN = Math.log(1.02);

export function detectOverfitting(ctx: AnalysisContext): Finding[] {
  const val = ctx.valLoss;
  const train = ctx.trainLoss;
  if (!val || !train || ctx.rl) return [];
  const vv = ctx.view(val);
  const tv = ctx.view(train);
  if (!vv.log || !tv.log || vv.nonFinite > 0 || tv.nonFinite > 0 || vv.bins.length < 5) return [];
  const levels = vv.bins.map((b) => b.level);
  const bestBin = vv.bestBin;
  const after = levels.slice(bestBin + 1);
  if (after.length < MIN_AFTER) return [];
  const best = levels[bestBin]!;
  const end = median(levels.slice(-Math.min(3, after.length)));
  const rise = end - best;
  if (!(rise >= Math.max(MIN_RISE, 3 * vv.levelNoise))) return [];
  const rising = after.length >= 4 ? mannKendall(after).z >= RISING_Z : after.slice(-2).every((l) => l > best);
  if (!rising) return [];

  // The best evaluation itself (bins hold several evaluations only beyond 40 of them).
  const bb = vv.bins[bestBin]!;
  let bestStep = bb.step;
  let lowest = Infinity;
  for (let i = bb.first; i <= bb.last; i++)
    if (vv.y(i) < lowest) {
      lowest = vv.y(i);
      bestStep = val.steps[i]!;
    }
  const tAt = levelAtOrBefore(ctx, train, bestStep);
  const trainGain = tAt - tv.final;
  if (!(trainGain >= Math.max(MIN_TRAIN_GAIN, 3 * tv.levelNoise))) return [];

  // Evaluations after the best that were above it: "rose for N evaluations".
  const evals = after.length;
  const bestVal = vv.value(best);
  const lastVal = vv.value(levels[levels.length - 1]!);
  const message =
    `Validation loss rose for ${evals} evaluations after step ${formatStep(bestStep)} (best ${formatValue(bestVal)}, last ${formatValue(lastVal)}, +${formatPercent(Math.exp(rise) - 1)})` +
    ` while training loss kept falling (${formatValue(tv.value(tAt))} → ${formatValue(tv.value(tv.final))}).`;
  return [
    makeFinding(
      'overfitting',
      'warning',
      val,
      bestStep,
      message,
      {
        bestStep,
        bestValLoss: bestVal,
        lastValLoss: lastVal,
        evaluationsAfterBest: evals,
        risePercent: 100 * (Math.exp(rise) - 1),
        trainLossAtBest: tv.value(tAt),
        trainLossAtEnd: tv.value(tv.final),
      },
      [
        earlyStop(bestStep, `the validation loss was lowest at step ${formatStep(bestStep)}; keep that checkpoint (or stop there)`),
        reduceOnPlateau(val, 'lowering the LR when the validation loss stops improving often delays the turn'),
      ],
      vv.lastStep,
    ),
  ];
}

function levelAtOrBefore(ctx: AnalysisContext, s: Series, step: number): number {
  const view = ctx.view(s);
  let level = view.bins[0]!.level;
  for (const b of view.bins) {
    if (b.step > step) break;
    level = b.level;
  }
  return level;
}
