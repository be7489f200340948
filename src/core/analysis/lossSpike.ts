// loss_spike: the loss jumped well above its recent level and then recovered.
//
// Two signatures, both on the training loss (positive, not RL, no NaN: a NaN is a
// divergence) and both after the first 5% of the run (earlier instability is the warmup
// rule's):
//
// 1. Outliers against the local level. Each point is compared with a robust baseline:
//    its bin's median level (or, on coarse logs with < 5 points per bin, the median of
//    the 5 points before it). A spike is a run of consecutive points at least
//    max(6σ, ln 1.3) above the baseline, where σ is the robust (MAD) spread of all
//    points around their baselines: six robust sigmas essentially never happen by
//    chance, and the 30% floor keeps near-noiseless curves from flagging trivia (as does
//    a floor of 3 printing quanta for rounded values, see view.ts). The
//    loss must come back: the points after it return to within half the excursion
//    (otherwise it is a level shift or a divergence).
//    It is a `warning` when it matches the llm-foundry KillLossSpike rule
//    (llmfoundry/callbacks/kill_loss_spike_callback.py: loss > 2× the recent mean for
//    more than `patience` = 4, i.e. 5 consecutive steps) or, on sparse logs, when ≥ 2
//    logged points in a row are ≥ 2×, or when the run's metric (accuracy, ...) was ≥ 15%
//    worse after the spike than before it (damage that lasts); otherwise `info`. At most three spikes are
//    reported one by one; more are summarised in one finding.
//
// 2. A jump on an LR restart that the schedule did not plan. When the LR jumps back up
//    (≥ 1.5×) once, not as one of several periodic restarts (warm restarts, cyclic, as
//    the fitted schedule or the LR's own turning points say), and either the fitted
//    schedule says the whole schedule started over or the jump starts from well above
//    the LR's floor (≥ 10% of its peak: warm restarts restart from eta_min, a schedule
//    reset on resume restarts from wherever it was), a loss rise right after it of
//    ≥ max(4σ, ln 1.15) over the level before is a `warning`, with how far the loss had
//    recovered.
import { addWarmup, backToUsualLr, clipGradNorm, scaleLr, warmupSteps } from '../advice/suggest';
import type { AnalysisContext } from './context';
import type { Finding } from './finding';
import { formatFactor, formatLr, formatStep, formatValue } from './format';
import { lrAt, type LrProfile } from './lrProfile';
import { makeFinding, metricDamage, periodicFit } from './report';
import { MAD_TO_SIGMA, median, quantileInPlace } from './stats';
import { resolution, type SeriesView } from './view';

/** Spikes in the first 5% of the run belong to the warmup rule. */
const EARLY_FRACTION = 0.05;
/** Robust sigmas above the baseline for a point to be an outlier. */
const K_SIGMA = 6;
/** Smallest spike worth naming: 30% above the local level. */
const MIN_SPIKE = Math.log(1.3);
/** llm-foundry's outlier multiplier. */
const SEVERE = Math.LN2;
/** llm-foundry's patience 4 → the 5th consecutive outlying step triggers. */
const SEVERE_STEPS = 5;
/** At most this many spikes become findings of their own. */
const MAX_REPORTED = 3;
/** A spike that makes the run's metric ≥ 15% worse did damage worth a warning. */
const METRIC_DAMAGE = 0.15;
/** Points sampled to estimate the spread (bounded memory on huge series). */
const SIGMA_SAMPLE = 100_000;

interface Spike {
  first: number;
  last: number;
  peak: number;
  /** Peak excursion above the baseline (log units). */
  height: number;
  baseline: number;
  severe: boolean;
  /** The metric before and after the spike, when the spike cost it ≥ 15%. */
  hurt?: { before: number; after: number };
}

export function detectLossSpikes(ctx: AnalysisContext): Finding[] {
  const loss = ctx.trainLoss;
  if (!loss || ctx.rl) return [];
  const view = ctx.view(loss);
  if (!view.log || view.finite < 8 || view.nonFinite > 0) return [];
  const out: Finding[] = [];
  const restart = unplannedRestart(ctx);
  const restartFinding = restart ? restartSpike(ctx, view, restart) : undefined;
  if (restartFinding) out.push(restartFinding);
  const spikes = outlierSpikes(ctx, view).filter(
    (s) => !restartFinding || Math.abs(loss.steps[s.first]! - restartFinding.step) > 0.05 * (view.lastStep - view.firstStep),
  );
  return out.concat(spikeFindings(ctx, view, spikes));
}

/**
 * The baseline of each point: on dense logs its bin's level (or the previous bin's, if
 * lower, so a spike at a bin's start does not hide in a falling curve), on coarse logs
 * the median of the 5 finite points before it. Returns a lookup and, for dense logs,
 * the per-bin levels (a scan walks the bins instead of looking each point up).
 */
function baselines(view: SeriesView): { at: (i: number) => number; binLevels?: number[] } {
  const { series, bins } = view;
  const n = series.values.length;
  if (median(bins.map((b) => b.n)) >= 5) {
    const binLevels = bins.map((b, k) => (k > 0 ? Math.min(b.level, bins[k - 1]!.level) : b.level));
    const at = (i: number): number => {
      let lo = 0;
      let hi = bins.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (bins[mid]!.first <= i) lo = mid;
        else hi = mid - 1;
      }
      return binLevels[lo]!;
    };
    return { at, binLevels };
  }
  const base = new Float64Array(n).fill(NaN);
  const prev: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = view.y(i);
    if (Number.isNaN(y)) continue;
    if (prev.length >= 3) base[i] = median(prev);
    prev.push(y);
    if (prev.length > 5) prev.shift();
  }
  return { at: (i) => base[i]! };
}

function outlierSpikes(ctx: AnalysisContext, view: SeriesView): Spike[] {
  const { series, bins } = view;
  const { values } = series;
  const n = values.length;
  const base = baselines(view);
  const r = (i: number): number => view.y(i) - base.at(i);
  // Robust spread of residuals, from an evenly spaced sample.
  const stride = Math.max(1, Math.floor(n / SIGMA_SAMPLE));
  const sample = new Float64Array(Math.ceil(n / stride));
  let k = 0;
  for (let i = 0; i < n; i += stride) {
    const ri = r(i);
    if (Number.isFinite(ri)) sample[k++] = ri;
  }
  const res = sample.subarray(0, k);
  const center = quantileInPlace(res, 0.5);
  for (let i = 0; i < k; i++) res[i] = Math.abs(res[i]! - center);
  const sigma = MAD_TO_SIGMA * quantileInPlace(res, 0.5);
  if (!Number.isFinite(sigma)) return [];
  const thr = Math.max(K_SIGMA * sigma, MIN_SPIKE);
  const startStep = earlyEnd(ctx, view);
  // Candidates are found on raw values against a per-bin raw limit (no logarithm per
  // point on dense logs); only candidates are examined on the log scale.
  const limits = base.binLevels?.map((l) => view.value(l + thr));
  const spikes: Spike[] = [];
  let b = 0;
  let i = 0;
  while (i < n) {
    let candidate: boolean;
    if (limits) {
      while (b + 1 < bins.length && bins[b + 1]!.first <= i) b++;
      candidate = values[i]! >= limits[b]!;
    } else candidate = r(i) >= thr;
    if (!candidate || series.steps[i]! < startStep) {
      i++;
      continue;
    }
    const first = i;
    let peak = i;
    while (i < n && r(i) >= thr) {
      if (r(i) > r(peak)) peak = i;
      i++;
    }
    const last = i - 1;
    if (last < first) {
      i++;
      continue;
    }
    const basePeak = base.at(peak);
    const height = view.y(peak) - basePeak;
    // A jump of a few printing quanta is rounding, not a spike.
    if (height < 3 * resolution(view, basePeak)) continue;
    // It must come back: the next points (as many as the spike lasted, at least 3) sit
    // within half the excursion of the baseline.
    const m = Math.max(3, last - first + 1);
    if (i + m > n) break;
    const after: number[] = [];
    for (let j = i; j < i + m; j++) after.push(view.y(j) - basePeak);
    if (!(median(after) <= 0.5 * height)) continue;
    let severeRun = 0;
    let longest = 0;
    for (let j = first; j <= last; j++) {
      severeRun = r(j) >= SEVERE ? severeRun + 1 : 0;
      longest = Math.max(longest, severeRun);
    }
    const interval = (series.steps[n - 1]! - series.steps[0]!) / Math.max(1, n - 1);
    // Severe: the llm-foundry rule, or a spike that cost the run's metric ≥ 15% of its
    // value (e.g. accuracy 47% → 34%), whatever its size in the loss.
    const damage = metricDamage(ctx.valMetric ?? ctx.trainMetric, series.steps[first]!, series.steps[last]!);
    const hurt = damage !== undefined && damage.worse >= METRIC_DAMAGE ? damage : undefined;
    const severe = longest * Math.max(1, interval) >= SEVERE_STEPS || (interval > 1 && longest >= 2) || hurt !== undefined;
    spikes.push({ first, last, peak, height, baseline: basePeak, severe, ...(hurt ? { hurt } : {}) });
  }
  return spikes;
}

/** The step before which the run is still in its initial phase (warmup included). */
function earlyEnd(ctx: AnalysisContext, view: SeriesView): number {
  const byFraction = view.firstStep + EARLY_FRACTION * (view.lastStep - view.firstStep);
  return Math.max(byFraction, ctx.lrProfile?.warmup?.endStep ?? -Infinity);
}

function spikeFindings(ctx: AnalysisContext, view: SeriesView, spikes: Spike[]): Finding[] {
  if (spikes.length === 0) return [];
  const loss = view.series;
  const { steps } = loss;
  const sorted = [...spikes].sort((a, b) => Number(b.severe) - Number(a.severe) || b.height - a.height);
  const describe = (s: Spike): string => {
    const from = view.value(s.baseline);
    const to = view.value(view.y(s.peak));
    const len = s.last - s.first + 1;
    const metric = ctx.valMetric ?? ctx.trainMetric;
    const cost = s.hurt && metric ? `, and ${metric.tag} fell from ${formatValue(s.hurt.before)} to ${formatValue(s.hurt.after)}` : '';
    return `Loss spiked from ${formatValue(from)} to ${formatValue(to)} (${formatFactor(to / from)}) at step ${formatStep(steps[s.first]!)}${len > 1 ? ` for ${len} logged points` : ''} and recovered${cost}`;
  };
  const suggestions = (s: Spike) => {
    const list = [clipGradNorm(ctx, 'clipping caps the update from the rare batch whose gradient is far larger than usual', steps[s.first])];
    if (s.severe) list.push(backToUsualLr(ctx) ?? scaleLr(ctx, 0.5, 'repeated large spikes mean the LR sits near the edge of stability; halving it gives a margin'));
    return list;
  };
  if (spikes.length > MAX_REPORTED) {
    const severe = spikes.filter((s) => s.severe).length;
    const top = sorted[0]!;
    return [
      makeFinding(
        'loss_spike',
        severe > 0 ? 'warning' : 'info',
        loss,
        steps[spikes[0]!.first]!,
        `Loss spiked ${spikes.length} times between step ${formatStep(steps[spikes[0]!.first]!)} and step ${formatStep(steps[spikes[spikes.length - 1]!.last]!)}${severe > 0 ? ` (${severe} of them to ≥ 2× the recent level)` : ''}; the largest: ${describe(top).replace(/^Loss spiked from /, '')}.`,
        { spikes: spikes.length, severeSpikes: severe, largestSpikeStep: steps[top.first]!, largestSpikeFactor: Math.exp(top.height) },
        suggestions(top),
        steps[spikes[spikes.length - 1]!.last],
      ),
    ];
  }
  return sorted.map((s) =>
    makeFinding(
      'loss_spike',
      s.severe ? 'warning' : 'info',
      loss,
      steps[s.first]!,
      `${describe(s)}${ctx.lrProfile ? ` (LR ${formatLr(lrAt(ctx.lrProfile, steps[s.first]!))})` : ''}.`,
      {
        baselineLoss: view.value(s.baseline),
        peakLoss: view.value(view.y(s.peak)),
        factor: Math.exp(s.height),
        points: s.last - s.first + 1,
        lrAtSpike: ctx.lrProfile ? lrAt(ctx.lrProfile, steps[s.first]!) : null,
      },
      suggestions(s),
      steps[s.last],
    ),
  );
}

/**
 * The one LR restart that looks unplanned: not part of a periodic pattern (≤ 1 restart),
 * starting from ≥ 10% of the peak (warm restarts start from the floor).
 */
function unplannedRestart(ctx: AnalysisContext): LrProfile['restarts'][number] | undefined {
  const p = ctx.lrProfile;
  if (!p || p.restarts.length !== 1) return undefined;
  const r = p.restarts[0]!;
  const fit = ctx.schedule;
  if (periodicFit(ctx)) return undefined;
  // The fitted schedule says the whole schedule started over (a resumed run whose
  // scheduler state was lost): unplanned, wherever the LR was.
  if (fit?.restarts?.some((s) => Math.abs(s - r.step) <= 0.05 * Math.max(1, p.lastStep - p.firstStep))) return r;
  if (r.from < 0.1 * p.peak) return undefined;
  return r;
}

function restartSpike(ctx: AnalysisContext, view: SeriesView, r: LrProfile['restarts'][number]): Finding | undefined {
  const loss = view.series;
  const { bins } = view;
  const span = view.lastStep - view.firstStep;
  // Level before: the median of the last ~5% of the run before the jump (≥ 1 point).
  const before = pointsIn(view, r.step - 0.05 * span, r.step, 'before');
  const after = pointsIn(view, r.step, r.step + 0.1 * span, 'after');
  if (before.length === 0 || after.length === 0) return undefined;
  const pre = median(before.map((i) => view.y(i)));
  // Peak after the jump, robustly: the highest median of 3 consecutive points (1 on coarse logs).
  let post = -Infinity;
  let postIdx = after[0]!;
  const w = after.length >= 9 ? 3 : 1;
  for (let a = 0; a + w <= after.length; a++) {
    const m = median(after.slice(a, a + w).map((i) => view.y(i)));
    if (m > post) {
      post = m;
      postIdx = after[a]!;
    }
  }
  const jump = post - pre;
  if (!(jump >= Math.max(4 * view.levelNoise, Math.log(1.15)))) return undefined;
  const binsAfter = bins.filter((b) => b.step > loss.steps[postIdx]!);
  const recoveredTo = binsAfter.length ? Math.min(...binsAfter.map((b) => b.level)) : NaN;
  const p = ctx.lrProfile!;
  const recovery = Number.isFinite(recoveredTo)
    ? recoveredTo <= pre + 0.1 * jump
      ? `it recovered to ${formatValue(view.value(recoveredTo))}`
      : `it had come back to ${formatValue(view.value(recoveredTo))} by the end, still above the ${formatValue(view.value(pre))} before the jump`
    : 'the run ended before it recovered';
  const lrBefore = lrAt(p, r.step);
  const message =
    `Loss jumped from ${formatValue(view.value(pre))} to ${formatValue(view.value(post))} at step ${formatStep(loss.steps[after[0]!]!)}, right when the LR jumped back up from ${formatLr(lrBefore)} to ${formatLr(r.to)}` +
    ` (a schedule that restarted mid-way, e.g. a scheduler whose state was not restored on resume); ${recovery}.`;
  // The cure for a reset on resume is restoring the scheduler's state with the
  // checkpoint; what the script can change is how hard the jump hits.
  const suggestions = [
    addWarmup(ctx, 'if the LR jump is intended, a short ramp back up from a low LR softens the shock', Math.min(warmupSteps(ctx), 0.05 * span)),
    clipGradNorm(ctx, 'clipping limits the damage of the first updates at the higher LR', r.step),
  ];
  return makeFinding(
    'loss_spike',
    'warning',
    loss,
    loss.steps[after[0]!]!,
    message,
    {
      lossBefore: view.value(pre),
      lossPeak: view.value(post),
      lossRecoveredTo: Number.isFinite(recoveredTo) ? view.value(recoveredTo) : null,
      lrBefore,
      lrAfter: r.to,
      restartStep: r.step,
    },
    suggestions,
    loss.steps[postIdx],
  );
}

/** Finite points with from < step ≤ to; on coarse logs with none there, the nearest one on the `side`. */
function pointsIn(view: SeriesView, from: number, to: number, side: 'before' | 'after'): number[] {
  const { steps } = view.series;
  const out: number[] = [];
  let lastBefore = -1;
  let firstAfter = -1;
  for (let i = 0; i < steps.length; i++) {
    if (Number.isNaN(view.y(i))) continue;
    const s = steps[i]!;
    if (s <= from) lastBefore = i;
    else if (s <= to) out.push(i);
    else {
      firstAfter = i;
      break;
    }
  }
  if (out.length > 0) return out;
  const nearest = side === 'before' ? lastBefore : firstAfter;
  return nearest >= 0 ? [nearest] : [];
}
