// Turning a symptom into suggestions with numbers sized to the run.
//
// Every builder takes its numbers from the run (its length, its LR, its evaluation
// cadence, its gradient norms) and says why in one sentence; the reasoning behind each
// default is next to it.
import type { AnalysisContext } from '../analysis/context';
import type { Suggestion } from '../analysis/finding';
import { formatLr, roundNice } from '../analysis/format';
import type { Series } from '../model/series';
import { median } from '../analysis/stats';
import { lrPosition, lrPriorOf } from './lrPriors';

/** The LR the user set: the peak of the logged LR, else a learning-rate hyperparameter. */
export function referenceLr(ctx: AnalysisContext): number | undefined {
  if (ctx.lrProfile) return ctx.lrProfile.peak;
  for (const [k, v] of Object.entries(ctx.run.hparams))
    if (/^(lr|learning_rate|learningrate|base_lr|lr0|max_lr|peak_lr)$/i.test(k) && typeof v === 'number' && v > 0) return v;
  return undefined;
}

/** The run's length in optimizer steps: the planned length when stated, else what was logged. */
export function runLength(ctx: AnalysisContext): number {
  const planned = ctx.run.meta.plannedSteps;
  const logged = Number.isFinite(ctx.lastStep) ? ctx.lastStep : 0;
  return planned !== undefined && planned > logged ? planned : logged;
}

/** Multiply the LR by `factor`, with the resulting LR when the run's LR is known. */
export function scaleLr(ctx: AnalysisContext, factor: number, why: string): Suggestion {
  const f = roundNice(factor);
  const lr = referenceLr(ctx);
  // The resulting LR from the exact factor (0.1 / 60.7 gives 0.1, not 9.7e-2).
  return lr !== undefined ? { fix: 'scale_lr', factor: f, lr: roundNice(lr * factor), why } : { fix: 'scale_lr', factor: f, why };
}

/**
 * When the run's LR is more than 10× above its optimizer's usual range (lrPriors.ts), a
 * grid step down is not enough: back to the usual first value for that optimizer.
 */
export function backToUsualLr(ctx: AnalysisContext): Suggestion | undefined {
  const prior = lrPriorOf(ctx.optimizer);
  const ref = referenceLr(ctx);
  if (ref === undefined || lrPosition(ref, prior) !== 'far_above') return undefined;
  return scaleLr(ctx, prior.typical / ref, `${formatLr(ref)} is far above the usual range for ${prior.name} (${formatLr(prior.low)}–${formatLr(prior.high)}); start again from ${formatLr(prior.typical)}`);
}

/**
 * When the run's LR is more than 10× below its optimizer's usual range: up to the low end
 * of that range, the smallest LR people train this optimizer with (a decade at a time
 * would take several more runs to get there).
 */
export function upToUsualLr(ctx: AnalysisContext): Suggestion | undefined {
  const prior = lrPriorOf(ctx.optimizer);
  const ref = referenceLr(ctx);
  if (ref === undefined || lrPosition(ref, prior) !== 'far_below') return undefined;
  return scaleLr(ctx, prior.low / ref, `${formatLr(ref)} is far below the usual range for ${prior.name} (${formatLr(prior.low)}–${formatLr(prior.high)}); start at its low end`);
}

/**
 * The factor that brings an LR that broke training back to safety: half the last LR at
 * which the loss was still stable ("half the largest stable LR" is the usual reading of
 * an LR range test, Smith 2017), never more than 0.5 and never below 0.01.
 * Without a known stable LR, 0.3: one step down a 3×-spaced LR grid (1e-3, 3e-4, 1e-4).
 */
export function factorBelow(stableLr: number | undefined, badLr: number | undefined): number {
  if (stableLr !== undefined && badLr !== undefined && stableLr > 0 && badLr > 0 && stableLr < badLr)
    return Math.min(0.5, Math.max(0.01, (0.5 * stableLr) / badLr));
  return 0.3;
}

/**
 * Warmup length. Adam-family: 2/(1−β2) steps (Ma & Yarats 2021, "On the adequacy of
 * untuned warmup for adaptive optimization": 2000 steps for the default β2 = 0.999),
 * capped at 10% of the run so a short run still spends most steps at full LR. Other
 * optimizers: 5% of the run (Goyal et al. 2017 warm up SGD for 5 of 90 epochs).
 * At least 1 step; rounded to 2 significant digits.
 */
export function warmupSteps(ctx: AnalysisContext): number {
  const length = Math.max(1, runLength(ctx));
  const adam = ctx.optimizer !== undefined && /adam|lamb|lion|adafactor/.test(ctx.optimizer);
  const steps = adam || (ctx.optimizer === undefined && ctx.beta2 !== undefined)
    ? Math.min(2 / (1 - (ctx.beta2 ?? 0.999)), 0.1 * length)
    : 0.05 * length;
  return Math.max(1, roundNice(Math.round(steps)));
}

export function addWarmup(ctx: AnalysisContext, why: string, steps = warmupSteps(ctx)): Suggestion {
  return { fix: 'add_warmup', steps: Math.max(1, Math.round(steps)), why };
}

/**
 * Warmup plus cosine decay over the whole run, ending at 1% of the peak LR: the schedule
 * most recipes default to (GPT-3, Chinchilla, the HF Trainer's `cosine`), sized to the
 * run's own length so the LR reaches its floor exactly at the last step.
 */
export function cosineSchedule(ctx: AnalysisContext, why: string, peakLr = referenceLr(ctx)): Suggestion {
  const totalSteps = Math.max(1, Math.round(runLength(ctx)));
  const params: Record<string, number> = { totalSteps, warmupSteps: ctx.lrProfile?.warmup ? Math.round(ctx.lrProfile.warmup.endStep - ctx.lrProfile.firstStep) : warmupSteps(ctx) };
  if (peakLr !== undefined) {
    params.peakLr = roundNice(peakLr);
    params.minLr = roundNice(peakLr / 100);
  }
  return { fix: 'add_schedule', family: 'cosine', params, why };
}

/**
 * ReduceLROnPlateau sized to how often the monitored metric is logged: patience is
 * about a tenth of the evaluations seen (PyTorch's default of 10 assumes ~100 epochs),
 * kept between 2 (one noisy evaluation must not trigger it) and 10; factor 0.5, the
 * gentler halving Keras examples use, so one wrong trigger costs little.
 */
export function reduceOnPlateau(monitor: Series, why: string): Suggestion {
  const evals = monitor.steps.length;
  const patience = Math.min(10, Math.max(2, Math.round(evals / 10)));
  const name = monitor.role === 'val_loss' ? 'val_loss' : monitor.role === 'train_loss' ? 'train_loss' : monitor.tag;
  return { fix: 'add_reduce_on_plateau', monitor: name, patience, factor: 0.5, why };
}

/**
 * Gradient clipping at twice the median gradient norm of the stable part of the run
 * (before `beforeStep`): typical updates pass untouched, the rare huge ones are cut.
 * Without a gradient-norm series, 1.0, the default of the HF Trainer and nanoGPT.
 */
export function clipGradNorm(ctx: AnalysisContext, why: string, beforeStep?: number): Suggestion {
  const g = ctx.gradNorm;
  let maxNorm = 1;
  if (g && g.values.length >= 5) {
    let end = g.values.length;
    if (beforeStep !== undefined) {
      end = 0;
      while (end < g.steps.length && g.steps[end]! < beforeStep) end++;
    }
    const m = median(g.values, 0, Math.max(end, Math.min(5, g.values.length)));
    if (m > 0 && Number.isFinite(m)) maxNorm = roundNice(2 * m);
  }
  return { fix: 'clip_grad_norm', maxNorm, why };
}

/** AdamW at the usual first LR for it, for plain SGD that trains too slowly. */
export function switchToAdamW(why: string): Suggestion {
  const prior = lrPriorOf('adamw');
  return { fix: 'switch_optimizer', optimizer: prior.name, lr: prior.typical, why };
}

export function stepPerEpoch(ctx: AnalysisContext, why: string): Suggestion {
  return ctx.stepsPerEpoch !== undefined ? { fix: 'step_per_epoch', stepsPerEpoch: ctx.stepsPerEpoch, why } : { fix: 'step_per_epoch', why };
}

export function earlyStop(step: number, why: string): Suggestion {
  return { fix: 'early_stop', step, why };
}

/** "3e-3 → 1e-3" for messages about a scaled LR. */
export function describeScaled(ctx: AnalysisContext, factor: number): string {
  const lr = referenceLr(ctx);
  return lr !== undefined ? `${formatLr(lr)} → ${formatLr(roundNice(lr * roundNice(factor)))}` : `×${roundNice(factor)}`;
}
