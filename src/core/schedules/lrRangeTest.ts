// LR range tests ("LR finder" runs): recognising one, and the published rules that
// turn its loss curve into a suggested learning rate.
//
// Recognition. A range test raises the LR exponentially, step after step, across several
// decades while recording the loss (fastai `lr_find`: 1e-7 to 10 over 100 steps;
// Lightning `lr_find`: 1e-8 to 1; torch-lr-finder). We call a series a range test when it
// never goes down, spans at least two decades (last / first >= 100) and log(lr) is a
// straight line in the step: 90% of the points within 2% of the fitted exponential. The
// 2% is loose enough for printed values and for Lightning's first two points (it returns
// the start LR at step 0 and jumps to `(end/start) ** (2/N)` at step 1) and far too tight
// for a linear warmup, which over two decades bends away from any exponential by a factor
// of several.
//
// Suggestions. Each rule is applied as its library applies it, including the library's
// own loss smoothing and trimming, since the rules were tuned on those curves:
//
// - fastai (fastai/callback/schedule.py `lr_find`, `valley`, `slide`, `minimum`, `steep`):
//   the Recorder logs `AvgSmoothLoss` (debiased EMA, beta 0.98); the finder stops after
//   the first point whose smoothed loss exceeds 4x the best so far; the rules see
//   `lrs[num_it // 10 : -5]` cut before the first NaN. valley: the index a third and a
//   sixth into the longest strictly decreasing run of losses (computed here in
//   O(n log n), same result as fastai's O(n^2) loop, including its index -1 quirk);
//   slide: the interval slide rule on `np.gradient(losses)` (lr_diff 15, thresh 0.005);
//   minimum: the LR of the lowest loss, divided by 10; steep: the LR where the loss falls
//   fastest per unit of log(lr).
// - Lightning (lightning/pytorch/tuner/lr_finder.py `_LRCallback`, `suggestion`): losses
//   smoothed as `avg = 0.98 * avg + 0.02 * loss`, divided by `1 - 0.98 ** (global_step + 1)`
//   (global_step is 1 at the first batch), the search stops after the first point above
//   4x the best; `suggestion(skip_begin=10, skip_end=1)` drops non-finite losses and
//   takes the LR of the most negative `torch.gradient(losses, spacing=[lrs])` (second-
//   order central differences in lr, not log lr).
import { cleanSeries } from './fitData';

export interface RangeTestShape {
  /** LR at the first logged step. */
  startLr: number;
  /** LR at the last logged step. */
  endLr: number;
  startStep: number;
  /** Steps from the first to the last logged point. */
  numSteps: number;
  /** Factor by which the LR grows per step. */
  growthPerStep: number;
  /** log10(endLr / startLr). */
  decades: number;
}

/** Minimum points, decades and fit quality for a range test (see the module comment). */
export const RANGE_TEST_MIN_POINTS = 8;
export const RANGE_TEST_MIN_DECADES = 2;
const LOG_TOLERANCE = Math.log(1.02);
const INLIER_FRACTION = 0.9;

/** The range test an LR series is, or undefined when it is not one. */
export function recognizeRangeTest(steps: ArrayLike<number>, values: ArrayLike<number>): RangeTestShape | undefined {
  const c = cleanSeries(steps, values);
  const n = c.steps.length;
  if (n < RANGE_TEST_MIN_POINTS) return undefined;
  const s = c.steps;
  const v = c.values;
  if (!(v[0]! > 0)) return undefined;
  for (let i = 1; i < n; i++) if (v[i]! < v[i - 1]! * (1 - 1e-6)) return undefined;
  const decades = Math.log10(v[n - 1]! / v[0]!);
  if (!(decades >= RANGE_TEST_MIN_DECADES)) return undefined;
  // Robust line through (step, ln lr): the median slope between the two halves' medians.
  const half = n >> 1;
  const med = (a: number[]): number => {
    const x = [...a].sort((p, q) => p - q);
    return x[x.length >> 1]!;
  };
  const ls = Array.from(v, (x) => Math.log(x));
  const st = Array.from(s);
  const slope = (med(ls.slice(half)) - med(ls.slice(0, half))) / (med(st.slice(half)) - med(st.slice(0, half)));
  if (!(slope > 0)) return undefined;
  const intercepts = ls.map((l, i) => l - slope * st[i]!);
  const b = med(intercepts);
  const inliers = ls.filter((l, i) => Math.abs(l - (b + slope * st[i]!)) <= LOG_TOLERANCE).length;
  if (inliers < INLIER_FRACTION * n) return undefined;
  return {
    startLr: v[0]!,
    endLr: v[n - 1]!,
    startStep: s[0]!,
    numSteps: s[n - 1]! - s[0]!,
    growthPerStep: Math.exp(slope),
    decades,
  };
}

export type RangeTestRule = 'fastai_valley' | 'fastai_slide' | 'fastai_minimum' | 'fastai_steep' | 'lightning_steepest';

export interface LrSuggestion {
  rule: RangeTestRule;
  /** The suggested learning rate, or undefined when the rule could not be applied. */
  lr?: number;
  /** The step of the finder run the suggestion was read at. */
  step?: number;
  /** The (smoothed) loss at that point, as the library plots it. */
  loss?: number;
  /** What the rule does, or why it could not be applied. */
  note: string;
}

export interface RangeTestResult {
  shape: RangeTestShape;
  suggestions: LrSuggestion[];
}

export interface RangeTestOptions {
  /** Set when the logged loss is already smoothed (a fastai Recorder or Lightning finder export). */
  lossIsSmoothed?: boolean;
}

interface Pairs {
  steps: number[];
  lrs: number[];
  losses: number[];
}

/** Pairs each loss point with the LR logged at the same step (or the latest LR before it). */
function pair(lrSteps: Float64Array, lrValues: Float64Array, lossSteps: ArrayLike<number>, lossValues: ArrayLike<number>): Pairs {
  const out: Pairs = { steps: [], lrs: [], losses: [] };
  let j = 0;
  for (let i = 0; i < lossSteps.length; i++) {
    const st = lossSteps[i]!;
    while (j + 1 < lrSteps.length && lrSteps[j + 1]! <= st) j++;
    if (lrSteps.length === 0 || lrSteps[j]! > st) continue;
    out.steps.push(st);
    out.lrs.push(lrValues[j]!);
    out.losses.push(lossValues[i]!);
  }
  return out;
}

/** Recognises a range test and applies every rule; undefined when the LR series is not a range test. */
export function analyzeRangeTest(
  lr: { steps: ArrayLike<number>; values: ArrayLike<number> },
  loss: { steps: ArrayLike<number>; values: ArrayLike<number> },
  opts: RangeTestOptions = {},
): RangeTestResult | undefined {
  const shape = recognizeRangeTest(lr.steps, lr.values);
  if (!shape) return undefined;
  const clean = cleanSeries(lr.steps, lr.values);
  const p = pair(clean.steps, clean.values, loss.steps, loss.values);
  return { shape, suggestions: [...fastaiSuggestions(p, opts), lightningSuggestion(p, opts)] };
}

/** fastai's AvgSmoothLoss: debiased EMA (beta 0.98); a NaN poisons every later value, as in torch.lerp. */
export function fastaiSmooth(losses: readonly number[]): number[] {
  const beta = 0.98;
  let val = 0;
  return losses.map((l, k) => {
    val = beta * val + (1 - beta) * l;
    return val / (1 - beta ** (k + 1));
  });
}

/** Emulates `stop_div`: keeps points up to and including the first whose smoothed loss exceeds 4x the best. */
function stopDiv(losses: number[], lightning: boolean): number {
  let best = lightning ? 0 : Infinity;
  for (let k = 0; k < losses.length; k++) {
    const l = losses[k]!;
    const globalStep = k + 1;
    if (lightning) {
      if (globalStep > 1 && l > 4 * best) return k + 1;
      if (l < best || globalStep === 1) best = l;
    } else {
      if (l < best) best = l;
      if (l > 4 * best) return k + 1;
    }
  }
  return losses.length;
}

function fastaiSuggestions(p: Pairs, opts: RangeTestOptions): LrSuggestion[] {
  const numIt = p.losses.length;
  const smoothed = opts.lossIsSmoothed ? p.losses : fastaiSmooth(p.losses);
  const kept = stopDiv(smoothed, false);
  // lr_find: recorder.lrs[num_it // 10 : -5], cut at the first NaN.
  const from = Math.floor(numIt / 10);
  const to = kept - 5;
  let lrs = p.lrs.slice(from, Math.max(from, to));
  let losses = smoothed.slice(from, Math.max(from, to));
  let steps = p.steps.slice(from, Math.max(from, to));
  const nan = losses.findIndex((l) => Number.isNaN(l));
  if (nan >= 0) {
    lrs = lrs.slice(0, nan);
    losses = losses.slice(0, nan);
    steps = steps.slice(0, nan);
  }
  const n = losses.length;
  const none = (rule: RangeTestRule, why: string): LrSuggestion => ({ rule, note: why });
  if (n < 2) {
    const why = `needs at least 2 points after fastai's trimming (first num_it // 10 and last 5 dropped); ${n} left`;
    return (['fastai_valley', 'fastai_slide', 'fastai_minimum', 'fastai_steep'] as const).map((r) => none(r, why));
  }
  const at = (rule: RangeTestRule, i: number, lrValue: number, note: string): LrSuggestion => ({ rule, lr: lrValue, step: steps[i], loss: losses[i], note });
  const out: LrSuggestion[] = [];

  // valley
  const lds = longestDecreasingEndingAt(losses);
  let maxEnd = 0;
  for (let i = 1; i < n; i++) if (lds[maxEnd]! < lds[i]!) maxEnd = i;
  // fastai sets max_start only when it moves max_end: with no falling stretch at all it stays 0.
  const maxStart = maxEnd === 0 ? 0 : maxEnd - lds[maxEnd]!;
  const sections = (maxEnd - maxStart) / 3;
  let vi = maxStart + Math.trunc(sections) + Math.trunc(sections / 2);
  if (vi < 0) vi += n; // Python's lrs[-1]
  out.push(at('fastai_valley', vi, lrs[vi]!, 'a third plus a sixth into the longest stretch of falling loss'));

  // slide
  if (n < 16) out.push(none('fastai_slide', `needs at least 16 points (lr_diff 15); ${n} left`));
  else {
    const grad = uniformGradient(losses);
    let r = n - 1;
    let l = r - 15;
    let local = lrs[l]!;
    let li = l;
    while (l >= 0 && Math.abs(grad[r]! - grad[l]!) > 0.005) {
      local = lrs[l]!;
      li = l;
      r--;
      l--;
    }
    out.push(at('fastai_slide', li, local, 'interval slide rule: where the loss gradient stops changing by more than 0.005 across 15 steps'));
  }

  // minimum
  let im = 0;
  for (let i = 1; i < n; i++) if (losses[i]! < losses[im]!) im = i;
  out.push(at('fastai_minimum', im, lrs[im]! / 10, 'the LR of the lowest loss, divided by 10'));

  // steep
  let is = -1;
  let best = Infinity;
  for (let i = 0; i + 1 < n; i++) {
    const g = (losses[i + 1]! - losses[i]!) / (Math.log(lrs[i + 1]!) - Math.log(lrs[i]!));
    if (g < best) {
      best = g;
      is = i;
    }
  }
  if (is < 0) out.push(none('fastai_steep', 'no finite slope (repeated LRs)'));
  else out.push(at('fastai_steep', is, lrs[is]!, 'where the loss falls fastest per unit of log(lr)'));
  return out;
}

/**
 * Lightning's `_LRCallback` smoothing: EMA (beta 0.98) divided by `1 - beta ** (global_step + 1)`
 * with global_step = 1 at the first batch, so the first value is 0.02 / 0.0396 of the loss.
 */
export function lightningSmooth(losses: readonly number[]): number[] {
  const beta = 0.98;
  let avg = 0;
  return losses.map((l, k) => {
    avg = beta * avg + (1 - beta) * l;
    return avg / (1 - beta ** (k + 2));
  });
}

function lightningSuggestion(p: Pairs, opts: RangeTestOptions): LrSuggestion {
  const smoothed = opts.lossIsSmoothed ? p.losses : lightningSmooth(p.losses);
  const kept = stopDiv(smoothed, true);
  const idx: number[] = [];
  for (let i = 10; i < kept - 1; i++) if (Number.isFinite(smoothed[i]!)) idx.push(i);
  if (idx.length < 2) return { rule: 'lightning_steepest', note: `needs at least 2 finite points after skipping the first 10 and the last 1; ${idx.length} left` };
  const x = idx.map((i) => p.lrs[i]!);
  const f = idx.map((i) => smoothed[i]!);
  const grad = spacedGradient(f, x);
  let g = 0;
  for (let i = 1; i < grad.length; i++) if (grad[i]! < grad[g]! || Number.isNaN(grad[g]!)) g = i;
  const i = idx[g]!;
  return { rule: 'lightning_steepest', lr: p.lrs[i], step: p.steps[i], loss: smoothed[i], note: 'the steepest negative gradient of the loss with respect to the LR' };
}

/** numpy.gradient with unit spacing (edge_order 1). */
function uniformGradient(f: number[]): number[] {
  const n = f.length;
  return f.map((_, i) => (i === 0 ? f[1]! - f[0]! : i === n - 1 ? f[n - 1]! - f[n - 2]! : (f[i + 1]! - f[i - 1]!) / 2));
}

/** numpy.gradient / torch.gradient with coordinates `x` (second order inside, first order at the edges). */
function spacedGradient(f: number[], x: number[]): number[] {
  const n = f.length;
  return f.map((_, i) => {
    if (i === 0) return (f[1]! - f[0]!) / (x[1]! - x[0]!);
    if (i === n - 1) return (f[n - 1]! - f[n - 2]!) / (x[n - 1]! - x[n - 2]!);
    const dx1 = x[i]! - x[i - 1]!;
    const dx2 = x[i + 1]! - x[i]!;
    const a = -dx2 / (dx1 * (dx1 + dx2));
    const b = (dx2 - dx1) / (dx1 * dx2);
    const c = dx1 / (dx2 * (dx1 + dx2));
    return a * f[i - 1]! + b * f[i]! + c * f[i + 1]!;
  });
}

/**
 * For each i, the length of the longest strictly decreasing subsequence ending at i
 * (fastai's `lds`), in O(n log n) with a Fenwick tree of maxima over value ranks.
 */
export function longestDecreasingEndingAt(values: readonly number[]): number[] {
  const n = values.length;
  const sorted = [...new Set(values)].sort((a, b) => b - a); // descending: rank 1 = largest
  const rank = new Map(sorted.map((v, i) => [v, i + 1]));
  const tree = new Array<number>(sorted.length + 1).fill(0);
  const query = (r: number): number => {
    let m = 0;
    for (let i = r; i > 0; i -= i & -i) m = Math.max(m, tree[i]!);
    return m;
  };
  const update = (r: number, v: number): void => {
    for (let i = r; i < tree.length; i += i & -i) tree[i] = Math.max(tree[i]!, v);
  };
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const r = rank.get(values[i]!)!;
    // Predecessors must be strictly larger: ranks 1 .. r-1.
    const len = query(r - 1) + 1;
    out[i] = len;
    update(r, len);
  }
  return out;
}
