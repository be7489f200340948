// Healthy runs stay quiet: no warning or error on shapes that trained well.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeRun } from '../../src/core/analysis/analyze';
import { constant, decaying, loudRules, runOf, stepsOf, triangular, warmRestarts, warmupCosine, withNoise } from '../support/curves';

const quiet = (name: string, run: ReturnType<typeof runOf>) => assert.deepEqual(loudRules(analyzeRun(run)), [], name);

test('short runs with few points make no loud claims', () => {
  for (const values of [[2.3, 1.9, 1.2], [1, 2, 3, 4, 5], [0.5, 0.4, 0.45, 0.42, 0.6], [3, 3, 3, 3, 3, 3]]) {
    const steps = values.map((_, i) => (i + 1) * 100);
    quiet(`loss ${values.join(',')}`, runOf([{ tag: 'loss', steps, values }]));
  }
  // Three epochs: validation turning up once is too little to call overfitting.
  quiet('3 epochs', runOf([{ tag: 'train/cls_loss', steps: [1, 2, 3], values: [3.1, 2.5, 2.2] }, { tag: 'val/cls_loss', steps: [1, 2, 3], values: [2.9, 2.7, 2.8] }]));
});

test('warmup and cosine, warm restarts, cyclic and one-cycle schedules stay quiet', () => {
  const steps = stepsOf(2000, 2);
  const evals = stepsOf(2000, 100);
  const curve = (seed: number) => withNoise(decaying(steps, 4, 1.2, 300), 0.05, seed);
  const val = decaying(evals, 4, 1.35, 300);
  quiet('warmup+cosine', runOf([{ tag: 'loss', steps, values: curve(1) }, { tag: 'val_loss', steps: evals, values: val }, { tag: 'lr', steps, values: warmupCosine(steps, 6e-4, 200, 2000) }]));
  quiet('warm restarts', runOf([{ tag: 'loss', steps, values: curve(2) }, { tag: 'lr', steps, values: warmRestarts(steps, 1e-3, 500) }]));
  quiet('cyclic', runOf([{ tag: 'loss', steps, values: curve(3) }, { tag: 'lr', steps, values: triangular(steps, 1e-4, 1e-2, 200) }]));
  const oneCycle = steps.map((s) => (s < 600 ? 4e-5 + (1e-3 - 4e-5) * (1 - Math.cos((Math.PI * s) / 600)) / 2 : 1e-3 * (1 + Math.cos((Math.PI * (s - 600)) / 1400)) / 2));
  quiet('one-cycle', runOf([{ tag: 'loss', steps, values: curve(4) }, { tag: 'lr', steps, values: oneCycle }]));
});

test('RL returns go up and RL losses swing: quiet', () => {
  const steps = stepsOf(100_000, 500);
  quiet(
    'ppo',
    runOf([
      { tag: 'rollout/ep_rew_mean', steps, values: withNoise(steps.map((s) => 10 + s / 1000), 0.3, 1) },
      { tag: 'train/value_loss', steps, values: withNoise(steps.map((s) => 1 + s / 500), 0.8, 2) },
      { tag: 'train/loss', steps, values: withNoise(constant(steps, 50), 1.2, 3) },
      { tag: 'train/learning_rate', steps, values: constant(steps, 3e-4) },
    ]),
  );
});

test('a metric that goes up (accuracy) is not a loss', () => {
  const steps = stepsOf(1000, 10);
  quiet(
    'accuracy',
    runOf([
      { tag: 'loss', steps, values: withNoise(decaying(steps, 2.3, 0.3, 150), 0.05, 5) },
      { tag: 'train_acc', steps, values: steps.map((s) => 0.95 - 0.85 * Math.exp(-s / 150)) },
    ]),
  );
});
