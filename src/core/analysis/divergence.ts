// divergence: the loss became NaN/Inf (the run is lost from that point on).
//
// Rule: the first non-finite value of the training loss (or, without one, the
// validation loss). NaN/Inf is unambiguous, so the severity is `error`. The message puts
// the onset next to what the LR was doing, because a blow-up shortly after the LR peaks
// is the classic signature of an LR that is too high.
import type { AnalysisContext } from './context';
import { lineAt, valueAt } from './context';
import type { Finding, Suggestion } from './finding';
import { formatLr, formatNumber } from './format';

export function detectDivergence(ctx: AnalysisContext): Finding[] {
  const loss = ctx.trainLoss ?? ctx.valLoss;
  if (!loss) return [];
  const { steps, values } = loss;
  let bad = -1;
  let lastFinite = NaN;
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      bad = i;
      break;
    }
    lastFinite = values[i]!;
  }
  if (bad < 0) return [];
  const step = steps[bad]!;
  const kind = Number.isNaN(values[bad]!) ? 'NaN' : 'infinite';
  let message = `Loss became ${kind} at step ${formatNumber(step)}`;
  const evidence: Finding['evidence'] = {
    lastFiniteLoss: Number.isFinite(lastFinite) ? lastFinite : null,
    lrAtOnset: null,
  };
  const suggestions: Suggestion[] = [];
  if (ctx.lr) {
    const lrAt = valueAt(ctx.lr, step);
    evidence.lrAtOnset = Number.isFinite(lrAt) ? lrAt : null;
    let peak = -Infinity;
    let peakStep = NaN;
    for (let i = 0; i < ctx.lr.steps.length && ctx.lr.steps[i]! <= step; i++) {
      if (ctx.lr.values[i]! > peak) {
        peak = ctx.lr.values[i]!;
        peakStep = ctx.lr.steps[i]!;
      }
    }
    if (Number.isFinite(peak)) {
      evidence.lrPeak = peak;
      evidence.lrPeakStep = peakStep;
      message += `, ${formatNumber(step - peakStep)} steps after the LR reached its peak ${formatLr(peak)}`;
    }
    suggestions.push({ fix: 'scale_lr', factor: 0.3, why: 'a lower learning rate keeps the updates stable' });
  } else {
    suggestions.push({ fix: 'scale_lr', factor: 0.3, why: 'loss blow-ups usually mean the learning rate is too high' });
  }
  message += '.';
  const line = lineAt(loss, step);
  return [
    {
      rule: 'divergence',
      severity: 'error',
      series: loss.tag,
      step,
      ...(steps.length > bad + 1 ? { endStep: steps[steps.length - 1]! } : {}),
      ...(line !== undefined ? { line } : {}),
      message,
      evidence,
      suggestions,
    },
  ];
}
