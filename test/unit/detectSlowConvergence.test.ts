import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeRun } from '../../src/core/analysis/analyze';
import { contextOf } from '../../src/core/analysis/context';
import { detectSlowConvergence } from '../../src/core/analysis/slowConvergence';
import { constant, decaying, loudRules, runOf, stepsOf, warmupCosine, withNoise } from '../support/curves';

test('a loss creeping down in a straight line by 2% is too slow; the LR far below Adam\'s range goes straight into it', () => {
  const steps = stepsOf(600);
  const run = runOf([
    { tag: 'loss', steps, values: withNoise(steps.map((s) => 4.65 - 0.0002 * s), 0.004, 1) },
    { tag: 'lr-Adam', steps, values: constant(steps, 8e-7) },
  ]);
  const f = detectSlowConvergence(contextOf(run));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'warning');
  assert.match(f[0]!.message, /^Loss fell only 2\.\d% over 599 steps \(4\.6\d → 4\.5\d\), at a steady rate with no sign of leveling off at a constant LR of 8e-7: the LR is likely far too low\.$/);
  const s = f[0]!.suggestions[0] as { fix: string; factor: number; lr: number };
  assert.equal(s.fix, 'scale_lr');
  assert.equal(s.lr, 1e-5);
});

test('a fine-tune that gains little but levels off is not slow', () => {
  const steps = stepsOf(5000, 25);
  const run = runOf([{ tag: 'loss', steps, values: withNoise(decaying(steps, 2.0, 1.85, 400), 0.01, 2) }]);
  assert.deepEqual(detectSlowConvergence(contextOf(run)), []);
});

test('a loss that sat at its start for half the run before falling started too slowly', () => {
  const steps = stepsOf(675);
  const loss = withNoise(steps.map((s) => (s < 330 ? 2.3 - s * 0.0002 : 2.23 - 1.5 * (1 - Math.exp(-(s - 330) / 150)))), 0.01, 3);
  const run = runOf([{ tag: 'loss', steps, values: loss }, { tag: 'lr-SGD', steps, values: constant(steps, 0.012) }]);
  const f = detectSlowConvergence(contextOf(run));
  assert.equal(f.length, 1);
  assert.match(f[0]!.message, /stayed at 2\.3 for the first [45]\d% of the run/);
  assert.deepEqual(f[0]!.suggestions.map((x) => x.fix), ['scale_lr', 'switch_optimizer']);
});

test('a warmup that delays progress is not a late start', () => {
  const steps = stepsOf(1000);
  const lr = warmupCosine(steps, 2e-3, 300, 1000);
  const loss = withNoise(steps.map((s) => (s < 250 ? 4.5 : 1.5 + 3 * Math.exp(-(s - 250) / 100))), 0.01, 4);
  assert.deepEqual(loudRules(analyzeRun(runOf([{ tag: 'loss', steps, values: loss }, { tag: 'lr', steps, values: lr }]))), []);
});

test('a steady fall from the first step is not a late start, however long it takes to cover 5%', () => {
  const steps = stepsOf(50);
  const run = runOf([
    { tag: 'loss', steps, values: steps.map((s) => 3 - 0.01 * s) },
    { tag: 'lr', steps, values: constant(steps, 1e-3) },
  ]);
  assert.deepEqual(detectSlowConvergence(contextOf(run)), []);
});
