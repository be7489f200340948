import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextOf } from '../../src/core/analysis/context';
import { detectOverfitting } from '../../src/core/analysis/overfitting';
import { decaying, runOf, stepsOf, withNoise } from '../support/curves';

const steps = stepsOf(600);
const evals = stepsOf(600, 15);

test('validation loss rising for many evaluations while training loss falls is overfitting, reported at the best step', () => {
  const val = evals.map((s) => 2.08 + 0.0000035 * (s - 225) ** 2 * (s > 225 ? 1.3 : 1));
  const run = runOf([
    { tag: 'train_loss', steps, values: withNoise(decaying(steps, 3.4, 0.2, 200), 0.03, 1) },
    { tag: 'val_loss', steps: evals, values: val },
  ]);
  const f = detectOverfitting(contextOf(run));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'warning');
  assert.equal(f[0]!.step, 225);
  assert.match(f[0]!.message, /^Validation loss rose for 25 evaluations after step 225 \(best 2\.08, last 2\.\d+, \+\d+%\) while training loss kept falling \(\d\.\d+ → 0\.\d+\)\.$/);
  assert.deepEqual(f[0]!.suggestions[0], { fix: 'early_stop', step: 225, why: f[0]!.suggestions[0]!.why });
});

test('a noisy but flat validation loss is not overfitting', () => {
  const run = runOf([
    { tag: 'train_loss', steps, values: withNoise(decaying(steps, 3.4, 0.2, 200), 0.03, 2) },
    { tag: 'val_loss', steps: evals, values: withNoise(decaying(evals, 3, 1.5, 100), 0.015, 3) },
  ]);
  assert.deepEqual(detectOverfitting(contextOf(run)), []);
});

test('validation and training loss rising together is not overfitting', () => {
  const run = runOf([
    { tag: 'train_loss', steps, values: steps.map((s) => 1 + s / 300) },
    { tag: 'val_loss', steps: evals, values: evals.map((s) => 1.1 + s / 300) },
  ]);
  assert.deepEqual(detectOverfitting(contextOf(run)), []);
});

test('one or two bad evaluations at the end are not enough', () => {
  const val = patchedEnd(decaying(evals, 3, 1.5, 100), [1.6, 1.7]);
  const run = runOf([{ tag: 'train_loss', steps, values: decaying(steps, 3.4, 0.2, 200) }, { tag: 'val_loss', steps: evals, values: val }]);
  assert.deepEqual(detectOverfitting(contextOf(run)), []);
});

function patchedEnd(values: number[], end: number[]): number[] {
  return [...values.slice(0, values.length - end.length), ...end];
}
