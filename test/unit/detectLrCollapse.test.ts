import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeRun } from '../../src/core/analysis/analyze';
import { contextOf } from '../../src/core/analysis/context';
import { detectLrCollapse } from '../../src/core/analysis/lrCollapse';
import { decaying, loudRules, runOf, stepDecay, stepsOf, warmupCosine, withNoise } from '../support/curves';

test('StepLR(step_size=30) stepped per batch with 23-step epochs collapses the LR and is named', () => {
  const steps = stepsOf(690);
  const lr = stepDecay(steps, 0.1, 30, 0.1);
  const loss = withNoise(steps.map((s) => 0.6 + 1.7 * Math.exp(-Math.min(s, 60) / 20)), 0.05, 1);
  const epoch = steps.map((s) => Math.floor((s - 1) / 23));
  const run = runOf([{ tag: 'loss', steps, values: loss }, { tag: 'lr', steps, values: lr }, { tag: 'epoch', steps, values: epoch }]);
  const f = detectLrCollapse(contextOf(run));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'warning');
  assert.equal(f[0]!.series, 'lr');
  assert.match(f[0]!.message, /drops every 30 steps, which is not a whole number of 23-step epochs/);
  assert.deepEqual(f[0]!.suggestions[0], { fix: 'step_per_epoch', stepsPerEpoch: 23, why: f[0]!.suggestions[0]!.why });
  assert.equal(f[0]!.suggestions[1]!.fix, 'add_schedule');
  assert.equal((f[0]!.suggestions[1] as { params: Record<string, number> }).params.totalSteps, 690);
});

test('cosine to zero over the run is a planned decay', () => {
  const steps = stepsOf(1000);
  const run = runOf([{ tag: 'loss', steps, values: withNoise(decaying(steps, 3, 1, 200), 0.02, 2) }, { tag: 'lr', steps, values: warmupCosine(steps, 1e-3, 50, 1000) }]);
  assert.deepEqual(detectLrCollapse(contextOf(run)), []);
});

test('the ResNet step schedule (x0.1 at 1/3 and 2/3) is a planned decay', () => {
  const steps = stepsOf(900);
  const run = runOf([{ tag: 'loss', steps, values: withNoise(decaying(steps, 3, 0.5, 200), 0.05, 3) }, { tag: 'lr', steps, values: stepDecay(steps, 0.1, 300, 0.1) }]);
  assert.deepEqual(loudRules(analyzeRun(run)), []);
});

test('an LR that collapsed while the loss still improved is only info', () => {
  const steps = stepsOf(1000);
  const lr = stepDecay(steps, 1e-3, 100, 0.05);
  const run = runOf([{ tag: 'loss', steps, values: decaying(steps, 3, 0.2, 900) }, { tag: 'lr', steps, values: lr }]);
  const f = detectLrCollapse(contextOf(run));
  assert.equal(f[0]?.severity, 'info');
});
