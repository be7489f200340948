// warmup: instability at the start that warmup would prevent, or a warmup that never ends.
//
// Warmup that never ends: the logged LR rose from its first point to its last without
// ever coming down (warmup_steps ≥ the run's length), linearly rather than
// geometrically (a geometric ramp over a run is an LR range test, done on purpose). A
// `warning` when the run looks finished and the loss gained less than 2× over it (the
// ramp cost the run its training); `info` when the loss still halved (short fine-tunes
// that ramp for their whole length train fine, just slower) or when the run states a
// planned length it has not reached yet (a run still warming up while being watched).
//
// Early instability: in the first 5% of the run (or of what follows the warmup), the
// training loss more than doubled from its first value (≥ 2 consecutive logged points,
// or one point ≥ 4×, so one noisy batch does not count), and then recovered below its
// first value (if it does not recover, it is a divergence). Later jumps are spikes or
// oscillation, not a missing warmup. With no warmup (the LR starts at ≥ 50% of its peak) the
// suggestion is a warmup; with a warmup that ended before the jump, a longer one.
// Adam's second-moment estimate is unreliable for its first ~2/(1−β2) steps, which is
// why an adaptive optimizer at full LR from step one blows up (Ma & Yarats 2021; Liu et
// al. 2020, "On the variance of the adaptive learning rate and beyond").
import { addWarmup, clipGradNorm, warmupSteps } from '../advice/suggest';
import type { AnalysisContext } from './context';
import type { Finding } from './finding';
import { formatFactor, formatLr, formatStep, formatValue } from './format';
import { lrAt } from './lrProfile';
import { makeFinding } from './report';
import { fractionOf } from './view';

/** The jump must start in the first 5% of the run (after the warmup, when there is one)... */
const ONSET_FRACTION = 0.05;
/** ...and recover within the first 20%. */
const EARLY_FRACTION = 0.2;

export function detectWarmup(ctx: AnalysisContext): Finding[] {
  const out: Finding[] = [];
  const never = neverEnding(ctx);
  if (never) out.push(never);
  const early = earlyInstability(ctx);
  if (early) out.push(early);
  return out;
}

function neverEnding(ctx: AnalysisContext): Finding | undefined {
  const p = ctx.lrProfile;
  if (!p || !p.risingAtEnd || p.restarts.length > 0) return undefined;
  const { steps, values } = p.series;
  // Linear, not geometric: at the middle step a linear ramp is near the mean of its ends,
  // a geometric one near their geometric mean.
  const midStep = (p.firstStep + p.lastStep) / 2;
  const mid = lrAt(p, midStep);
  const first = p.initial;
  const last = p.final;
  const arith = (first + last) / 2;
  const geo = Math.sqrt(first * last);
  if (Math.abs(Math.log(mid / arith)) > Math.abs(Math.log(mid / geo))) return undefined;
  const planned = ctx.run.meta.plannedSteps;
  const unfinished = planned !== undefined && planned > p.lastStep * 1.05;
  // What it cost: a loss that still halved during the ramp trained fine at the lower LRs.
  const loss = ctx.trainLoss;
  const view = loss ? ctx.view(loss) : undefined;
  const trained = view !== undefined && view.log && view.bins.length >= 2 && view.bins[0]!.level - view.final >= Math.LN2;
  const message = unfinished
    ? `The LR has risen for all ${formatStep(p.lastStep - p.firstStep)} steps logged so far (${formatLr(first)} → ${formatLr(last)}) and the run is planned for ${formatStep(planned)}; if the warmup is meant to end before that, it has not yet.`
    : `The LR rose for the whole run (${formatLr(first)} → ${formatLr(last)} at step ${formatStep(p.lastStep)}) and never reached a plateau: the warmup never ended, so the run never trained at its intended LR (warmup steps ≥ total steps?).`;
  return makeFinding(
    'warmup',
    unfinished || trained ? 'info' : 'warning',
    p.series,
    p.firstStep,
    trained && !unfinished ? `${message} The loss still fell well (${formatValue(view.value(view.bins[0]!.level))} → ${formatValue(view.value(view.final))}), so the cost was mostly time.` : message,
    { lrFirst: first, lrLast: last, rampSteps: p.lastStep - p.firstStep, plannedSteps: planned ?? null, points: steps.length, lastValue: values[values.length - 1]! },
    [addWarmup(ctx, 'a warmup of a few percent of the run reaches the peak LR early and leaves the rest of the run for training', warmupSteps(ctx))],
    p.lastStep,
  );
}

function earlyInstability(ctx: AnalysisContext): Finding | undefined {
  const loss = ctx.trainLoss;
  if (!loss || ctx.rl) return undefined;
  const view = ctx.view(loss);
  if (!view.log || view.nonFinite > 0 || view.finite < 10) return undefined;
  const { steps } = loss;
  const n = steps.length;
  const i0 = view.initialIndex;
  const I = view.initial;
  const endStep = view.firstStep + EARLY_FRACTION * (view.lastStep - view.firstStep);
  let peak = -1;
  let run = 0;
  let hit = -1;
  for (let i = i0 + 1; i < n && steps[i]! <= endStep; i++) {
    const d = view.y(i) - I;
    run = d >= Math.LN2 ? run + 1 : 0;
    if (d >= Math.LN2 && (peak < 0 || view.y(i) > view.y(peak))) peak = i;
    if (hit < 0 && (run >= 2 || d >= Math.log(4))) hit = i - run + 1;
  }
  if (hit < 0) return undefined;
  const onsetLimit = Math.max(view.firstStep + ONSET_FRACTION * (view.lastStep - view.firstStep), (ctx.lrProfile?.warmup?.endStep ?? -Infinity) + ONSET_FRACTION * (view.lastStep - view.firstStep));
  if (steps[hit]! > onsetLimit) return undefined;
  // Recovered: the loss later went below where it started, and the end of the run did too.
  let recovered = -1;
  for (let i = peak + 1; i < n; i++)
    if (view.y(i) < I) {
      recovered = i;
      break;
    }
  if (recovered < 0 || !(view.final < I)) return undefined;
  const p = ctx.lrProfile;
  const onsetStep = steps[hit]!;
  const lr = p ? lrAt(p, onsetStep) : undefined;
  const noWarmup = p !== undefined && !p.warmup && p.initial >= 0.5 * p.peak;
  const shortWarmup = p?.warmup !== undefined && p.warmup.endStep <= onsetStep;
  if (p && !noWarmup && !shortWarmup) return undefined;
  const from = view.value(I);
  const to = view.value(view.y(peak));
  let message = `Loss jumped from ${formatValue(from)} to ${formatValue(to)} (${formatFactor(to / from)}) at step ${formatStep(steps[peak]!)}`;
  if (noWarmup) message += `, at the full LR ${formatLr(lr!)} from the first step (no warmup)`;
  else if (shortWarmup) message += `, right after a warmup that ended at step ${formatStep(p.warmup!.endStep)} (LR ${formatLr(lr!)})`;
  message += `, and only recovered by step ${formatStep(steps[recovered]!)}: early instability that a ${shortWarmup ? 'longer ' : ''}warmup would prevent.`;
  const span = view.lastStep - view.firstStep;
  const steps0 = shortWarmup ? Math.max(warmupSteps(ctx), 2 * (p.warmup!.endStep - p.firstStep)) : warmupSteps(ctx);
  return makeFinding(
    'warmup',
    'warning',
    loss,
    onsetStep,
    message,
    {
      initialLoss: from,
      peakLoss: to,
      peakStep: steps[peak]!,
      recoveredStep: steps[recovered]!,
      lrAtOnset: lr ?? null,
      warmupEndStep: p?.warmup?.endStep ?? null,
      onsetFraction: fractionOf(view, onsetStep),
    },
    [
      addWarmup(ctx, shortWarmup ? 'the loss broke right after the warmup ended; twice as long a ramp reaches the peak more gently' : 'ramping the LR up over the first steps lets the optimizer state settle before full-size updates', Math.min(steps0, 0.25 * span)),
      clipGradNorm(ctx, 'clipping caps the first, largest updates', onsetStep),
    ],
    steps[recovered],
  );
}
