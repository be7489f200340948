import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lrPosition, lrPriorOf } from '../../src/core/advice/lrPriors';
import { clipGradNorm, cosineSchedule, factorBelow, reduceOnPlateau, scaleLr, warmupSteps } from '../../src/core/advice/suggest';
import { contextOf } from '../../src/core/analysis/context';
import { constant, runOf, stepsOf, warmupCosine } from '../support/curves';

const ctxOf = (lastStep: number, opts: Parameters<typeof runOf>[1] = {}, lrTag = 'lr') => {
  const steps = stepsOf(lastStep, Math.max(1, Math.floor(lastStep / 200)));
  return contextOf(runOf([{ tag: 'loss', steps, values: constant(steps, 1) }, { tag: lrTag, steps, values: constant(steps, 3e-3) }], opts));
};

test('the LR factor after a break is half the last stable LR, within [0.01, 0.5]; 0.3 without one', () => {
  const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≉ ${b}`);
  near(factorBelow(1e-3, 1e-2), 0.05);
  near(factorBelow(9e-3, 1e-2), 0.45);
  assert.equal(factorBelow(1e-6, 1e-2), 0.01);
  assert.equal(factorBelow(undefined, 1e-2), 0.3);
  assert.equal(factorBelow(2e-2, 1e-2), 0.3);
});

test('scale_lr carries the resulting LR, rounded as one would type it', () => {
  const s = scaleLr(ctxOf(1000), 0.3, 'why');
  assert.deepEqual(s, { fix: 'scale_lr', factor: 0.3, lr: 9e-4, why: 'why' });
});

test('warmup: 2/(1-beta2) steps for Adam (Ma & Yarats), capped at 10% of the run; 5% of the run otherwise', () => {
  assert.equal(warmupSteps(ctxOf(100_000, {}, 'lr-AdamW')), 2000);
  assert.equal(warmupSteps(ctxOf(100_000, { hparams: { optimizer: 'AdamW', beta2: 0.95 } })), 40);
  assert.equal(warmupSteps(ctxOf(720, {}, 'lr-Adam')), 72);
  assert.equal(warmupSteps(ctxOf(1000, {}, 'lr-SGD')), 50);
  assert.equal(warmupSteps(ctxOf(1000, { meta: { plannedSteps: 20_000 } }, 'lr-SGD')), 1000);
});

test('ReduceLROnPlateau patience follows the evaluation cadence: a tenth of the evaluations, 2 to 10', () => {
  const few = runOf([{ tag: 'val_loss', steps: stepsOf(12), values: constant(stepsOf(12), 1) }]).series[0]!;
  const many = runOf([{ tag: 'val_loss', steps: stepsOf(300), values: constant(stepsOf(300), 1) }]).series[0]!;
  const mid = runOf([{ tag: 'val_loss', steps: stepsOf(50), values: constant(stepsOf(50), 1) }]).series[0]!;
  assert.equal((reduceOnPlateau(few, 'w') as { patience: number }).patience, 2);
  assert.equal((reduceOnPlateau(mid, 'w') as { patience: number }).patience, 5);
  assert.equal((reduceOnPlateau(many, 'w') as { patience: number }).patience, 10);
  assert.equal((reduceOnPlateau(many, 'w') as { monitor: string }).monitor, 'val_loss');
});

test('clipping at twice the median gradient norm before the break; 1.0 without a gradient norm', () => {
  const steps = stepsOf(100);
  const run = runOf([{ tag: 'loss', steps, values: constant(steps, 1) }, { tag: 'grad_norm', steps, values: steps.map((s) => (s < 50 ? 0.4 : 50)) }]);
  assert.equal((clipGradNorm(contextOf(run), 'w', 50) as { maxNorm: number }).maxNorm, 0.8);
  assert.equal((clipGradNorm(ctxOf(100), 'w') as { maxNorm: number }).maxNorm, 1);
});

test('a cosine schedule is sized to the run: its length, its warmup, its peak LR, a floor at 1% of the peak', () => {
  const steps = stepsOf(2000, 10);
  const run = runOf([{ tag: 'loss', steps, values: constant(steps, 1) }, { tag: 'lr', steps, values: warmupCosine(steps, 6e-4, 200, 2000) }]);
  const s = cosineSchedule(contextOf(run), 'w') as { family: string; params: Record<string, number> };
  assert.equal(s.family, 'cosine');
  assert.equal(s.params.totalSteps, 2000);
  assert.equal(s.params.peakLr, 6e-4);
  assert.equal(s.params.minLr, 6e-6);
  assert.ok(Math.abs(s.params.warmupSteps! - 190) <= 10, String(s.params.warmupSteps));
});

test('LR priors say which side of the usual range an LR is on', () => {
  assert.equal(lrPosition(1.6e-6, lrPriorOf('sgd')), 'far_below');
  assert.equal(lrPosition(3e-4, lrPriorOf('adamw')), 'within');
  assert.equal(lrPosition(1.3, lrPriorOf('adam')), 'far_above');
  assert.equal(lrPosition(3e-4, undefined), undefined);
});
