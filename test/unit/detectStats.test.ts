import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mannKendall, median, noiseSigma, quantile, robustSigma, theilSen } from '../../src/core/analysis/stats';
import { viewOf } from '../../src/core/analysis/view';
import { lrProfileOf } from '../../src/core/analysis/lrProfile';
import { runOf, stepsOf, warmRestarts, warmupCosine, withNoise, constant } from '../support/curves';

test('median and quantiles ignore NaN and interpolate', () => {
  assert.equal(median([3, NaN, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(quantile([1, 2, 3, 4, 5], 0.25), 2);
  assert.ok(Number.isNaN(median([NaN])));
});

test('robust sigma and second-difference noise are not moved by outliers or a linear trend', () => {
  const noisy = withNoise(constant(stepsOf(2000), 1), 0.1, 3).map(Math.log);
  assert.ok(Math.abs(robustSigma(noisy) - 0.1) < 0.01);
  const trended = noisy.map((v, i) => v + i * 0.01);
  trended[100] = 50;
  assert.ok(Math.abs(noiseSigma(trended) - 0.1) < 0.015, String(noiseSigma(trended)));
});

test('Theil-Sen slope survives outliers; Mann-Kendall sees a monotone trend', () => {
  const x = Array.from({ length: 30 }, (_, i) => i);
  const y = x.map((i) => 2 * i + 1);
  y[5] = 1000;
  y[20] = -1000;
  assert.equal(theilSen(x, y).slope, 2);
  assert.ok(mannKendall(x.map((i) => -i)).z < -5);
  assert.ok(Math.abs(mannKendall([1, 3, 2, 3, 1, 2, 3, 1, 2, 1]).z) < 1);
});

test('a view bins by step, so a per-step log and a 10-step log of the same curve agree', () => {
  const dense = stepsOf(1000);
  const sparse = stepsOf(1000, 10);
  const f = (s: number) => 1 + 3 * Math.exp(-s / 200);
  const a = viewOf(runOf([{ tag: 'loss', steps: dense, values: dense.map(f) }]).series[0]!);
  const b = viewOf(runOf([{ tag: 'loss', steps: sparse, values: sparse.map(f) }]).series[0]!);
  assert.equal(a.bins.length, 40);
  assert.equal(b.bins.length, 40);
  assert.ok(Math.abs(a.final - b.final) < 0.01);
  assert.ok(a.log && b.log);
  assert.equal(a.quantum, 0);
});

test('values printed to 4 decimals have a printing quantum', () => {
  const steps = stepsOf(500);
  const v = viewOf(runOf([{ tag: 'loss', steps, values: withNoise(constant(steps, 0.5), 0.05, 1).map((x) => Math.round(x * 1e4) / 1e4) }]).series[0]!);
  assert.ok(Math.abs(v.quantum - 1e-4) < 1e-9, String(v.quantum));
});

test('the LR profile tells warmup, restarts and a ramp that never ended apart', () => {
  const steps = stepsOf(1000);
  const wc = lrProfileOf(runOf([{ tag: 'lr', steps, values: warmupCosine(steps, 1e-3, 100, 1000) }]).series[0]!)!;
  assert.ok(wc.warmup && Math.abs(wc.warmup.endStep - 95) <= 5);
  assert.equal(wc.restarts.length, 0);
  assert.equal(wc.risingAtEnd, false);
  const wrSteps = stepsOf(999);
  const wr = lrProfileOf(runOf([{ tag: 'lr', steps: wrSteps, values: warmRestarts(wrSteps, 1e-3, 250) }]).series[0]!)!;
  assert.equal(wr.restarts.length, 3);
  const ramp = lrProfileOf(runOf([{ tag: 'lr', steps, values: steps.map((s) => s * 1e-6) }]).series[0]!)!;
  assert.equal(ramp.risingAtEnd, true);
  assert.equal(lrProfileOf(runOf([{ tag: 'lr', steps, values: constant(steps, 0) }]).series[0]!), undefined);
});
