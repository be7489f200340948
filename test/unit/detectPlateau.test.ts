import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeRun } from '../../src/core/analysis/analyze';
import { contextOf } from '../../src/core/analysis/context';
import { detectPlateau } from '../../src/core/analysis/plateau';
import { constant, decaying, loudRules, runOf, stepsOf, warmupCosine, withNoise } from '../support/curves';

test('a loss that never moved, with accuracy stuck on one value, is a warning that suggests a lower LR first', () => {
  const steps = stepsOf(720);
  const evals = stepsOf(720, 60);
  const run = runOf([
    { tag: 'loss', steps, values: withNoise(constant(steps, 3.15), 0.02, 1) },
    { tag: 'val_acc', steps: evals, values: evals.map((_, i) => (i === 6 ? 0.1478 : 0.1528)) },
    { tag: 'lr', steps, values: constant(steps, 0.05) },
  ]);
  const f = detectPlateau(contextOf(run));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'warning');
  assert.match(f[0]!.message, /^Loss never improved: it stayed at 3\.1\d for the whole run \(719 steps\), at a constant LR of 5e-2; val_acc stayed at 0\.153: the model predicts the same thing for every input\.$/);
  assert.equal(f[0]!.suggestions[0]!.fix, 'scale_lr');
  assert.equal((f[0]!.suggestions[0] as { factor: number }).factor, 0.1);
});

test('a loss flat at ln 4 for the whole run is a uniform guess over 4 classes', () => {
  const steps = stepsOf(3000, 50);
  const run = runOf([
    { tag: 'loss', steps, values: withNoise(constant(steps, Math.log(4)), 0.003, 2) },
    { tag: 'learning_rate', steps, values: warmupCosine(steps, 5e-5, 300, 3000) },
  ]);
  const f = detectPlateau(contextOf(run));
  assert.equal(f[0]?.severity, 'warning');
  assert.match(f[0].message, /ln 4 = 1\.39, the loss of a uniform guess over 4 classes/);
});

test('a loss that never moved at an SGD LR of 1.6e-6 goes straight to the low end of SGD’s range, not one decade up', () => {
  const steps = stepsOf(690, 10);
  const run = runOf([
    { tag: 'loss', steps, values: withNoise(constant(steps, Math.log(10)), 0.003, 7) },
    { tag: 'lr-SGD', steps, values: constant(steps, 1.6e-6) },
  ]);
  const f = detectPlateau(contextOf(run));
  assert.equal(f[0]?.severity, 'warning');
  const s = f[0].suggestions[0]!;
  assert.ok(s.fix === 'scale_lr' && s.lr === 1e-3, JSON.stringify(s));
  assert.match(s.why ?? '', /far below the usual range for SGD \(1e-3–1\)/);
});

test('a flat log with nothing to say it never learned is only info (it may have converged before the first point)', () => {
  const steps = stepsOf(1000, 5);
  const run = runOf([{ tag: 'loss', steps, values: withNoise(constant(steps, 0.39), 0.15, 3) }, { tag: 'lr', steps, values: constant(steps, 0.05) }]);
  const f = detectPlateau(contextOf(run));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'info');
  assert.match(f[0]!.message, /or it had already converged before the first logged point/);
});

test('a loss that converged early at a constant LR is an info with ReduceLROnPlateau sized to the evaluations', () => {
  const steps = stepsOf(1000);
  const evals = stepsOf(1000, 50);
  const run = runOf([
    { tag: 'loss', steps, values: withNoise(decaying(steps, 1, 0.01, 20), 0.1, 4) },
    { tag: 'val_loss', steps: evals, values: withNoise(decaying(evals, 1, 0.01, 20), 0.01, 5) },
    { tag: 'lr', steps, values: constant(steps, 0.02) },
  ]);
  const f = detectPlateau(contextOf(run)).filter((x) => x.series === 'loss');
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'info');
  assert.deepEqual(f[0]!.suggestions[0], { fix: 'add_reduce_on_plateau', monitor: 'val_loss', patience: 2, factor: 0.5, why: f[0]!.suggestions[0]!.why });
});

test('the same stall at an LR of 60, far above what any optimizer uses, is a warning that brings the LR back', () => {
  const steps = stepsOf(600, 10);
  const run = runOf([
    { tag: 'loss', steps, values: withNoise(decaying(steps, 60, 22, 40), 0.12, 6) },
    { tag: 'learning_rate', steps, values: constant(steps, 60.7) },
  ]);
  const f = detectPlateau(contextOf(run));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'warning');
  assert.match(f[0]!.message, /60\.7.*far above the usual range for any common optimizer \(1e-5–1\)/);
  const s = f[0]!.suggestions[0]!;
  assert.ok(s.fix === 'scale_lr' && s.lr === 0.1, JSON.stringify(s));
});

test('the flat end of a cosine decay is not a plateau', () => {
  const steps = stepsOf(1000);
  const lr = warmupCosine(steps, 1e-3, 50, 1000);
  const loss = withNoise(steps.map((s, i) => 0.5 + 2 * Math.exp(-s / 150) + 0.3 * lr[i]! / 1e-3 * Math.exp(-s / 400)), 0.03, 6);
  assert.deepEqual(detectPlateau(contextOf(runOf([{ tag: 'loss', steps, values: loss }, { tag: 'lr', steps, values: lr }]))), []);
});

test('a loss whose batch-to-batch noise vanishes on a plateau has collapsed to a constant output', () => {
  const steps = stepsOf(690);
  const loss = steps.map((s, i) => (s < 250 ? withNoise([2.2], 0.15, i)[0]! : 2.3026 + 0.0005 * Math.sin(i)));
  const run = runOf([{ tag: 'loss', steps, values: loss }, { tag: 'lr', steps, values: constant(steps, 1.47) }]);
  const f = analyzeRun(run).filter((x) => x.rule === 'plateau' || x.rule === 'divergence');
  assert.equal(f.length, 1);
  assert.equal(f[0]!.rule, 'plateau');
  assert.equal(f[0]!.severity, 'warning');
  assert.match(f[0]!.message, /barely varies from one batch to the next any more \(\d+× less than before\)/);
});

test('a healthy run that keeps improving has no plateau', () => {
  const steps = stepsOf(3000, 10);
  const loss = withNoise(steps.map((s) => 1 + 3 / Math.sqrt(1 + s / 50)), 0.02, 7);
  assert.deepEqual(loudRules(analyzeRun(runOf([{ tag: 'loss', steps, values: loss }]))), []);
});

test('a loss that keeps falling by small steps after its fast start has no plateau (the gains add up)', () => {
  // Shaped like a character-level transformer at a low constant SGD LR: logged every 24
  // steps, ±2% batch noise, a fast first drop and then a slow, steady fall (2.7 → 2.5).
  const steps = stepsOf(720, 24);
  const loss = withNoise(
    steps.map((s) => 2.45 + 2 * Math.exp(-s / 50) + 0.25 * (1 - s / 720)),
    0.02,
    11,
  );
  const run = runOf([
    { tag: 'loss', steps, values: loss },
    { tag: 'learning_rate', steps, values: constant(steps, 0.043) },
  ]);
  assert.deepEqual(detectPlateau(contextOf(run)), []);
});
