// Small shared pieces for writing findings: the Finding itself and the LR's story at a step.
import { tagWords } from '../model/roles';
import type { Series } from '../model/series';
import { lineAt, type AnalysisContext } from './context';
import type { EvidenceValue, Finding, Rule, Severity, Suggestion } from './finding';
import { formatLr, formatStep } from './format';
import { lrAt } from './lrProfile';

export function makeFinding(
  rule: Rule,
  severity: Severity,
  series: Series,
  step: number,
  message: string,
  evidence: Record<string, EvidenceValue>,
  suggestions: Suggestion[],
  endStep?: number,
): Finding {
  const line = lineAt(series, step);
  return {
    rule,
    severity,
    series: series.tag,
    step,
    ...(endStep !== undefined && endStep !== step ? { endStep } : {}),
    ...(line !== undefined ? { line } : {}),
    message,
    evidence: Object.fromEntries(Object.entries(evidence).map(([k, v]) => [k, typeof v === 'number' && !Number.isFinite(v) ? null : v])),
    suggestions,
  };
}

/**
 * What the LR was doing at `step`, as a clause for a message: "at a constant LR of 3e-3",
 * "while the LR was still warming up (1.5, 70% of its peak 2.15)", "40 steps after the
 * LR reached its peak 3e-3", "at LR 1e-4 (peak 1e-3 at step 500)". Empty without an LR.
 */
export function lrClause(ctx: AnalysisContext, step: number): string {
  const p = ctx.lrProfile;
  if (!p) return '';
  const lr = lrAt(p, step);
  if (p.constant) return `at a constant LR of ${formatLr(lr)}`;
  if (p.warmup && step < p.warmup.endStep && lr < 0.95 * p.peak)
    return `while the LR was still warming up (${formatLr(lr)}, ${Math.round((100 * lr) / p.peak)}% of its peak ${formatLr(p.peak)})`;
  // The highest LR up to `step`, and when it was first reached (the run's peak once
  // `step` is past it; otherwise a scan up to `step`).
  let peak = p.peak;
  let peakStep = p.peakStep;
  if (step < p.peakStep) {
    const { steps, values } = p.series;
    peak = -Infinity;
    for (let i = 0; i < steps.length && steps[i]! <= step; i++)
      if (values[i]! > peak) {
        peak = values[i]!;
        peakStep = steps[i]!;
      }
  }
  if (!(peak > 0)) return `at LR ${formatLr(lr)}`;
  if (lr >= 0.9 * peak && step - peakStep <= 0.1 * Math.max(1, p.lastStep - p.firstStep))
    return step === peakStep ? `as the LR reached its peak ${formatLr(peak)}` : `${formatStep(step - peakStep)} steps after the LR reached its peak ${formatLr(peak)}`;
  if (lr >= 0.9 * peak) return `at LR ${formatLr(lr)}`;
  return `at LR ${formatLr(lr)} (peak ${formatLr(peak)} at step ${formatStep(peakStep)})`;
}

/**
 * The fitted schedule is periodic (warm restarts, cyclic) and fits the logged LR closely
 * (exactly, or within 2% mean relative error): only then is its family trusted to
 * explain a loss that rises and falls, since an approximate fit of a one-off LR jump can
 * also come out as "cyclic".
 */
export function periodicFit(ctx: AnalysisContext): boolean {
  const fit = ctx.schedule;
  if (!fit) return false;
  const periodic = fit.family === 'cosine_warm_restarts' || fit.family.startsWith('cyclic');
  return periodic && (fit.exact === true || fit.fitError <= 0.02);
}

/** Whether higher is better for a metric tag (accuracy, reward) or lower (perplexity, error); undefined when unknown. */
export function metricDirection(tag: string): boolean | undefined {
  const words = tagWords(tag);
  if (words.some((w) => /^(wer|cer|ppl|perplexity|mae|mse|rmse|error|err|bpb|bpc|fid)$/.test(w))) return false;
  if (words.some((w) => /^(acc|accuracy|top\d|f1|map|precision|recall|auc|auroc|iou|miou|dice|bleu|rouge\w*|reward|return|score|r2|psnr|ssim|em|exact)$/.test(w) || /^(acc|map|top)\d/.test(w)))
    return true;
  return undefined;
}

/**
 * How much a metric worsened across [from, to]: its last logged value at or before
 * `from` against its first at or after `to`, as a relative loss (0.2 = 20% worse), for
 * a metric whose direction is known. Undefined when it cannot say.
 */
export function metricDamage(m: Series | undefined, from: number, to: number): { before: number; after: number; worse: number } | undefined {
  if (!m) return undefined;
  const up = metricDirection(m.tag);
  if (up === undefined) return undefined;
  let before = NaN;
  let after = NaN;
  for (let i = 0; i < m.steps.length; i++) {
    const s = m.steps[i]!;
    const v = m.values[i]!;
    if (!Number.isFinite(v)) continue;
    if (s <= from) before = v;
    else if (s >= to) {
      after = v;
      break;
    }
  }
  if (!Number.isFinite(before) || !Number.isFinite(after) || before === 0) return undefined;
  const worse = up ? (before - after) / Math.abs(before) : (after - before) / Math.abs(before);
  return { before, after, worse };
}
