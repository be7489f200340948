// LR range tests: recognition, and each published suggestion rule against a literal
// transcription of its source (fastai/callback/schedule.py `valley`, `slide`, `minimum`,
// `steep` and `lr_find`'s trimming; lightning/pytorch/tuner/lr_finder.py `suggestion`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  analyzeRangeTest,
  fastaiSmooth,
  lightningSmooth,
  longestDecreasingEndingAt,
  recognizeRangeTest,
  type LrSuggestion,
} from '../../src/core/schedules/lrRangeTest';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
/** fastai's default sweep: SchedExp(1e-7, 10) at pos = i / num_it. */
const fastaiLrs = (n: number): number[] => range(n).map((i) => 1e-7 * (10 / 1e-7) ** (i / n));

// --- literal transcriptions of the Python sources -------------------------------------

/** fastai `valley`, O(n^2) as written. */
function valleyPy(lrs: number[], losses: number[]): number {
  const n = losses.length;
  let maxStart = 0;
  let maxEnd = 0;
  const lds = new Array<number>(n).fill(1);
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[i]! < losses[j]! && lds[i]! < lds[j]! + 1) lds[i] = lds[j]! + 1;
      if (lds[maxEnd]! < lds[i]!) {
        maxEnd = i;
        maxStart = maxEnd - lds[maxEnd]!;
      }
    }
  }
  const sections = (maxEnd - maxStart) / 3;
  const idx = maxStart + Math.trunc(sections) + Math.trunc(sections / 2);
  return lrs.at(idx)!;
}

/** numpy.gradient, unit spacing. */
const npGradient = (f: number[]): number[] => f.map((_, i) => (i === 0 ? f[1]! - f[0]! : i === f.length - 1 ? f[i]! - f[i - 1]! : (f[i + 1]! - f[i - 1]!) / 2));

/** fastai `slide` with lr_diff=15, thresh=.005, adjust_value=1 (Python negative indices). */
function slidePy(lrs: number[], losses: number[]): number {
  const g = npGradient(losses);
  let r = -1;
  let l = r - 15;
  let local = lrs.at(l)!;
  while (l >= -losses.length && Math.abs(g.at(r)! - g.at(l)!) > 0.005) {
    local = lrs.at(l)!;
    r -= 1;
    l -= 1;
  }
  return local;
}

/** Lightning `suggestion(skip_begin=10, skip_end=1)` with torch.gradient(spacing=[lrs]). */
function lightningPy(lrsAll: number[], lossesAll: number[]): number | undefined {
  const idx = range(lossesAll.length).slice(10, -1).filter((i) => Number.isFinite(lossesAll[i]!));
  if (idx.length < 2) return undefined;
  const x = idx.map((i) => lrsAll[i]!);
  const f = idx.map((i) => lossesAll[i]!);
  const n = f.length;
  const grad = f.map((_, i) => {
    if (i === 0) return (f[1]! - f[0]!) / (x[1]! - x[0]!);
    if (i === n - 1) return (f[n - 1]! - f[n - 2]!) / (x[n - 1]! - x[n - 2]!);
    const h1 = x[i]! - x[i - 1]!;
    const h2 = x[i + 1]! - x[i]!;
    return (-h2 / (h1 * (h1 + h2))) * f[i - 1]! + ((h2 - h1) / (h1 * h2)) * f[i]! + (h1 / (h2 * (h1 + h2))) * f[i + 1]!;
  });
  let g = 0;
  for (let i = 1; i < n; i++) if (grad[i]! < grad[g]!) g = i;
  return lrsAll[idx[g]!];
}

const byRule = (s: LrSuggestion[], rule: LrSuggestion['rule']): LrSuggestion => s.find((x) => x.rule === rule)!;

// --- recognition ------------------------------------------------------------------------

test('recognises exponential sweeps over two decades or more, as fastai and Lightning run them', () => {
  const n = 100;
  const fastai = recognizeRangeTest(range(n), fastaiLrs(n));
  assert.ok(fastai);
  assert.ok(Math.abs(fastai.decades - 8 * 0.99) < 1e-9);
  assert.ok(Math.abs(fastai.growthPerStep - 10 ** (8 / 100)) < 1e-9);
  // Lightning's _ExponentialLR: base at step 0, then base * (end / base) ** ((i + 1) / N) from step 1.
  const lightning = range(n).map((i) => (i === 0 ? 1e-8 : 1e-8 * (1 / 1e-8) ** ((i + 1) / n)));
  assert.ok(recognizeRangeTest(range(n), lightning));
  // Printed with 3 digits, logged from step 1.
  assert.ok(recognizeRangeTest(range(n).map((i) => i + 1), fastaiLrs(n).map((v) => Number(v.toPrecision(3)))));
});

test('does not take warmups, decays, short sweeps or noise for range tests', () => {
  const n = 200;
  assert.equal(recognizeRangeTest(range(n), range(n).map((i) => 1e-6 * (i + 1))), undefined, 'linear warmup over 2.3 decades');
  assert.equal(recognizeRangeTest(range(n), fastaiLrs(n).reverse()), undefined, 'decreasing');
  assert.equal(recognizeRangeTest(range(n), range(n).map((i) => 1e-3 * 1.01 ** i)), undefined, 'under two decades');
  assert.equal(recognizeRangeTest(range(5), fastaiLrs(5)), undefined, 'too few points');
  const zigzag = fastaiLrs(n).map((v, i) => (i % 2 ? v : v * 3));
  assert.equal(recognizeRangeTest(range(n), zigzag), undefined, 'not monotone');
  assert.equal(analyzeRangeTest({ steps: range(n), values: range(n).map(() => 1e-3) }, { steps: range(n), values: range(n) }), undefined);
});

// --- suggestions -------------------------------------------------------------------------

/** A finder curve (already smoothed): flat, a steady descent with one steep step at 45, a minimum at 59, then a blow-up. */
function designedLosses(n: number): number[] {
  return range(n).map((i) => {
    if (i < 30) return 3;
    if (i <= 59) return 3 - 0.05 * (i - 30) - (i > 45 ? 0.15 : 0);
    return 1.35 + 0.1 * (i - 59) ** 1.5;
  });
}

test('fastai rules on a designed curve: minimum / 10, steepest log-slope, valley, slide', () => {
  const n = 100;
  const lrs = fastaiLrs(n);
  const losses = designedLosses(n);
  const res = analyzeRangeTest({ steps: range(n), values: lrs }, { steps: range(n), values: losses }, { lossIsSmoothed: true })!;
  assert.ok(res);
  const s = res.suggestions;
  // stop_div: the first point above 4x the best (1.35 at 59) is i = 72; fastai keeps it, then
  // lr_find drops the first num_it // 10 = 10 and the last 5: indices 10 .. 67.
  assert.equal(byRule(s, 'fastai_minimum').lr, lrs[59]! / 10);
  assert.equal(byRule(s, 'fastai_minimum').step, 59);
  assert.equal(byRule(s, 'fastai_steep').lr, lrs[45]);
  // Longest strictly decreasing run: 30 long, ending at 59; 59 - 30 + 10 + 5 = 44.
  assert.equal(byRule(s, 'fastai_valley').lr, lrs[44]);
  const kept = losses.slice(10, 68);
  const keptLrs = lrs.slice(10, 68);
  assert.equal(byRule(s, 'fastai_valley').lr, valleyPy(keptLrs, kept));
  assert.equal(byRule(s, 'fastai_slide').lr, slidePy(keptLrs, kept));
});

test('Lightning steepest descent on the same curve: the gradient is in lr, so it picks the start of the descent', () => {
  const n = 100;
  const lrs = fastaiLrs(n);
  const losses = designedLosses(n);
  const res = analyzeRangeTest({ steps: range(n), values: lrs }, { steps: range(n), values: losses }, { lossIsSmoothed: true })!;
  const l = byRule(res.suggestions, 'lightning_steepest');
  // Lightning's early stop keeps points 0 .. 72.
  assert.equal(l.lr, lightningPy(lrs.slice(0, 73), losses.slice(0, 73)));
  assert.ok(l.step! >= 29 && l.step! <= 31, `step ${l.step}`);
});

test('each rule matches its Python transcription on random finder curves', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0.5, max: 5, noNaN: true }), { minLength: 40, maxLength: 120 }), (raw) => {
      const n = raw.length;
      const lrs = fastaiLrs(n);
      const res = analyzeRangeTest({ steps: range(n), values: lrs }, { steps: range(n), values: raw })!;
      // fastai: smoothed by AvgSmoothLoss, cut after stop_div, trimmed [n // 10 : -5].
      const sm = fastaiSmooth(raw);
      let best = Infinity;
      let kept = n;
      for (let k = 0; k < n; k++) {
        best = Math.min(best, sm[k]!);
        if (sm[k]! > 4 * best) {
          kept = k + 1;
          break;
        }
      }
      const from = Math.floor(n / 10);
      // Python's recorder.lrs[num_it // 10 : -5] on a list of `kept` entries.
      const L = sm.slice(0, kept).slice(from, -5);
      const R = lrs.slice(0, kept).slice(from, -5);
      if (L.length >= 2) {
        assert.equal(byRule(res.suggestions, 'fastai_valley').lr, valleyPy(R, L));
        let im = 0;
        L.forEach((v, i) => (v < L[im]! ? (im = i) : 0));
        assert.equal(byRule(res.suggestions, 'fastai_minimum').lr, R[im]! / 10);
      }
      if (L.length >= 16) assert.equal(byRule(res.suggestions, 'fastai_slide').lr, slidePy(R, L));
      // Lightning: its own smoothing and early stop.
      const ls = lightningSmooth(raw);
      let lbest = 0;
      let lkept = n;
      for (let k = 0; k < n; k++) {
        const gs = k + 1;
        if (gs > 1 && ls[k]! > 4 * lbest) {
          lkept = k + 1;
          break;
        }
        if (ls[k]! < lbest || gs === 1) lbest = ls[k]!;
      }
      assert.equal(byRule(res.suggestions, 'lightning_steepest').lr, lightningPy(lrs.slice(0, lkept), ls.slice(0, lkept)));
    }),
    {
      numRuns: 60,
      // Found by this property: a flat stretch with no falling run (fastai keeps max_start at 0).
      examples: [[[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 2.3204029504769688, 4.999999999999983, 4.999999999999989, 4.999999999999996, ...new Array<number>(38).fill(0.5)]]],
    },
  );
});

test("the O(n log n) longest-decreasing run equals fastai's O(n^2) loop, ties and repeats included", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 80 }), (xs) => {
      const lds = longestDecreasingEndingAt(xs);
      const ref = new Array<number>(xs.length).fill(1);
      for (let i = 1; i < xs.length; i++) for (let j = 0; j < i; j++) if (xs[i]! < xs[j]! && ref[i]! < ref[j]! + 1) ref[i] = ref[j]! + 1;
      assert.deepEqual(lds, ref);
    }),
  );
  // A rising curve has no falling stretch: fastai never moves max_end, so max_start stays 0
  // and valley returns the first LR it looked at (index 5 after skipping num_it // 10).
  const lrs = fastaiLrs(50);
  const res = analyzeRangeTest({ steps: range(50), values: lrs }, { steps: range(50), values: range(50).map((i) => 1 + i * 0.001) }, { lossIsSmoothed: true })!;
  assert.equal(byRule(res.suggestions, 'fastai_valley').lr, lrs[5], 'first kept LR');
});

test('the libraries\' own loss smoothing: fastai debiases exactly, Lightning counts one step ahead', () => {
  assert.deepEqual(fastaiSmooth([2, 2, 2]).map((v) => +v.toPrecision(12)), [2, 2, 2]);
  const l = lightningSmooth([2, 2]);
  assert.ok(Math.abs(l[0]! / ((2 * 0.02) / (1 - 0.98 ** 2)) - 1) < 1e-14);
  assert.ok(Math.abs(l[1]! / ((2 * (0.02 * 0.98 + 0.02)) / (1 - 0.98 ** 3)) - 1) < 1e-14);
});

test('rules that cannot run say why; NaN losses end fastai\'s range, are skipped by Lightning', () => {
  const n = 30;
  const lrs = fastaiLrs(n);
  const losses = range(n).map((i) => (i > 12 ? NaN : 3 - 0.1 * i));
  const res = analyzeRangeTest({ steps: range(n), values: lrs }, { steps: range(n), values: losses }, { lossIsSmoothed: true })!;
  // fastai: indices 3 .. 24, cut at the first NaN (index 13): 10 points, too few for slide.
  assert.match(byRule(res.suggestions, 'fastai_slide').note, /needs at least 16 points/);
  assert.equal(byRule(res.suggestions, 'fastai_minimum').lr, lrs[12]! / 10);
  const l = byRule(res.suggestions, 'lightning_steepest');
  assert.equal(l.lr, lightningPy(lrs, losses));
  const tiny = analyzeRangeTest({ steps: range(8), values: fastaiLrs(8) }, { steps: range(8), values: range(8).map(() => 1) })!;
  assert.equal(byRule(tiny.suggestions, 'lightning_steepest').lr, undefined);
  assert.match(byRule(tiny.suggestions, 'lightning_steepest').note, /needs at least 2 finite points/);
});

test('losses logged at other steps than the LR are paired with the LR in force', () => {
  const n = 100;
  const lrs = fastaiLrs(n);
  const losses = designedLosses(n);
  // The LR logged every step, the loss every step but from step 1 (step 0's loss missing).
  const res = analyzeRangeTest({ steps: range(n), values: lrs }, { steps: range(n).slice(1), values: losses.slice(1) }, { lossIsSmoothed: true })!;
  assert.equal(byRule(res.suggestions, 'fastai_minimum').step, 59);
});
