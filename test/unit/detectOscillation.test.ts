import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeRun } from '../../src/core/analysis/analyze';
import { contextOf } from '../../src/core/analysis/context';
import { detectOscillation } from '../../src/core/analysis/oscillation';
import { constant, decaying, loudRules, runOf, stepsOf, triangular, withNoise } from '../support/curves';

const evals = stepsOf(1000, 50);

test('a validation loss bouncing ±50% around a flat trend at a constant LR is an oscillation', () => {
  const steps = stepsOf(1000);
  const val = evals.map((s, i) => (s < 300 ? 1 * Math.exp(-s / 100) + 0.2 : 0.25 * (i % 2 === 0 ? 1.8 : 0.6)));
  const run = runOf([
    { tag: 'train_loss', steps, values: withNoise(decaying(steps, 1.2, 0.2, 100), 0.05, 1) },
    { tag: 'val_loss', steps: evals, values: val },
    { tag: 'lr', steps, values: constant(steps, 0.17) },
  ]);
  const f = detectOscillation(contextOf(run));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'warning');
  assert.equal(f[0]!.series, 'val_loss');
  assert.match(f[0]!.message, /^Validation loss swung between 0\.15 and 0\.45 .* at a constant LR of 0\.17; swings like this/);
  assert.equal(f[0]!.suggestions[0]!.fix, 'scale_lr');
});

test('a smoothly converging validation loss does not oscillate', () => {
  const steps = stepsOf(1000);
  const run = runOf([
    { tag: 'train_loss', steps, values: withNoise(decaying(steps, 2, 0.3, 200), 0.1, 2) },
    { tag: 'val_loss', steps: evals, values: withNoise(decaying(evals, 2, 0.4, 200), 0.01, 3) },
  ]);
  assert.deepEqual(detectOscillation(contextOf(run)), []);
});

test('per-step minibatch noise of a small batch is not an oscillation', () => {
  const steps = stepsOf(2000);
  const run = runOf([{ tag: 'loss', steps, values: withNoise(constant(steps, 0.4), 0.7, 4) }]);
  assert.deepEqual(detectOscillation(contextOf(run)), []);
});

test('swings of the binned training loss far beyond its minibatch noise are an oscillation', () => {
  const steps = stepsOf(2000);
  const loss = withNoise(steps.map((s) => 0.3 * Math.exp(0.8 * Math.sin(s / 40))), 0.05, 5);
  const f = detectOscillation(contextOf(runOf([{ tag: 'loss', steps, values: loss }])));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.series, 'loss');
});

test('a cyclic LR explains the loss following it up and down', () => {
  const steps = stepsOf(2000);
  const lr = triangular(steps, 1e-3, 0.1, 100);
  const loss = withNoise(lr.map((x) => 0.3 * Math.exp(5 * x)), 0.05, 6);
  const val = evals.map((s) => 0.3 * Math.exp(5 * triangular([s * 2], 1e-3, 0.1, 100)[0]!));
  const run = runOf([{ tag: 'loss', steps, values: loss }, { tag: 'lr', steps, values: lr }, { tag: 'val_loss', steps: evals, values: val }]);
  assert.deepEqual(loudRules(analyzeRun(run)), []);
});

test('an LR far above its optimizer’s usual range is brought back to the usual value, not one grid step down', () => {
  const steps = stepsOf(1000);
  const val = evals.map((s, i) => (s < 300 ? 1 * Math.exp(-s / 100) + 0.2 : 0.25 * (i % 2 === 0 ? 1.8 : 0.6)));
  const curves = (lrTag: string, lr: number) => [
    { tag: 'train_loss', steps, values: withNoise(decaying(steps, 1.2, 0.2, 100), 0.05, 1) },
    { tag: 'val_loss', steps: evals, values: val },
    { tag: lrTag, steps, values: constant(steps, lr) },
  ];
  const first = (lrTag: string, lr: number) => detectOscillation(contextOf(runOf(curves(lrTag, lr))))[0]!.suggestions[0]!;
  // Lightning's LearningRateMonitor names the tag after the optimizer: Adam, usually 1e-5…3e-3.
  const adam = first('lr-Adam', 0.17);
  assert.ok(adam.fix === 'scale_lr' && adam.lr === 1e-3, JSON.stringify(adam));
  assert.match(adam.why ?? '', /far above the usual range for Adam/);
  // Unknown optimizer: 847 is far too high for any of them; 0.17 could be SGD's, so one grid step.
  const any = first('lr', 847);
  assert.ok(any.fix === 'scale_lr' && any.lr === 0.1, JSON.stringify(any));
  assert.match(any.why ?? '', /far above the usual range for any common optimizer/);
  const step = first('lr', 0.17);
  assert.ok(step.fix === 'scale_lr' && step.factor === 0.3, JSON.stringify(step));
});
