import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeRun } from '../../src/core/analysis/analyze';
import { contextOf } from '../../src/core/analysis/context';
import { detectWarmup } from '../../src/core/analysis/warmup';
import { constant, decaying, runOf, stepsOf, withNoise } from '../support/curves';

test('an LR that rises linearly for the whole run is a warmup that never ended', () => {
  const steps = stepsOf(420, 10);
  const run = runOf([
    { tag: 'loss', steps, values: withNoise(constant(steps, 1.4), 0.02, 1) },
    { tag: 'learning_rate', steps, values: steps.map((s) => 1e-7 * s) },
  ], { meta: { plannedSteps: 420 } });
  const f = detectWarmup(contextOf(run));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'warning');
  assert.match(f[0]!.message, /The LR rose for the whole run \(1e-6 → 4\.2e-5 at step 420\)/);
  assert.equal(f[0]!.suggestions[0]!.fix, 'add_warmup');
});

test('a run still in its warmup with a planned length ahead is only info', () => {
  const steps = stepsOf(100, 10);
  const run = runOf([{ tag: 'learning_rate', steps, values: steps.map((s) => 1e-6 * s) }], { meta: { plannedSteps: 5000 } });
  assert.equal(detectWarmup(contextOf(run))[0]?.severity, 'info');
});

test('a geometric ramp over the run is an LR range test, not a warmup', () => {
  const steps = stepsOf(300);
  const run = runOf([{ tag: 'lr', steps, values: steps.map((s) => 1e-7 * 10 ** (s / 50)) }]);
  assert.deepEqual(detectWarmup(contextOf(run)), []);
});

test('a loss that jumps 45x in the first steps at full LR (no warmup) and recovers is a warmup warning with Adam-sized steps', () => {
  const steps = stepsOf(1000);
  const loss = withNoise(decaying(steps, 1.16, 0.02, 30), 0.05, 2);
  loss[1] = 52;
  loss[2] = 30;
  const run = runOf([{ tag: 'loss', steps, values: loss }, { tag: 'lr-Adam', steps, values: constant(steps, 0.17) }]);
  const f = detectWarmup(contextOf(run));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'warning');
  assert.match(f[0]!.message, /^Loss jumped from 1\.1\d* to 52 \(4\d(\.\d)?×\) at step 2, at the full LR 0\.17 from the first step \(no warmup\)/);
  // Adam: min(2/(1-0.999), 10% of the run) = 100 steps.
  assert.deepEqual(f[0]!.suggestions[0], { fix: 'add_warmup', steps: 100, why: f[0]!.suggestions[0]!.why });
});

test('a smooth start at full LR needs no warmup', () => {
  const steps = stepsOf(1000);
  const run = runOf([{ tag: 'loss', steps, values: withNoise(decaying(steps, 4.7, 1.4, 50), 0.03, 3) }, { tag: 'lr', steps, values: constant(steps, 0.013) }]);
  assert.deepEqual(detectWarmup(contextOf(run)), []);
});

test('an LR range test (LR swept up over decades, loss blowing up at the end) raises nothing', () => {
  const steps = stepsOf(100);
  const lr = steps.map((s) => 1e-7 * 10 ** (s / 12.5));
  const loss = steps.map((s) => (s < 70 ? 2.3 - s * 0.01 : 1.6 * Math.exp((s - 70) / 5)));
  assert.deepEqual(analyzeRun(runOf([{ tag: 'loss', steps, values: loss }, { tag: 'lr', steps, values: lr }])), []);
});
