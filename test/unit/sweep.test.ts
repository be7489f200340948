import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeSweep, type SweepInput } from '../../src/core/advice/sweep';
import { analyzeRun } from '../../src/core/analysis/analyze';
import { constant, runOf, stepsOf, withNoise } from '../support/curves';

/** A run of a made-up task whose outcome depends on the LR like a real one: too low crawls, too high blows up. */
function trial(lr: number, seed: number, opts: { steps?: number; optimizer?: string; hparamLr?: boolean } = {}): SweepInput {
  const steps = stepsOf(opts.steps ?? 2000, 10);
  const rate = lr / 3e-4; // progress per step scales with the LR...
  const loss = steps.map((s) => {
    if (lr >= 3e-3) return s < 100 ? 7.5 - s * 0.005 : 7.4; // ...until it is too large to train at all
    return 3.5 + 4 * Math.exp(-(s * rate) / 400) + (lr >= 1e-3 ? 0.4 : 0);
  });
  const run = runOf(
    [
      { tag: 'train_loss', steps, values: withNoise(loss, 0.01, seed) },
      { tag: opts.optimizer ? `lr-${opts.optimizer}` : 'lr', steps, values: constant(steps, lr) },
    ],
    { hparams: opts.hparamLr === false ? {} : { lr }, source: `sweep/lr_${lr}`, ...(opts.optimizer ? {} : {}) },
  );
  return { run, findings: analyzeRun(run) };
}

test('a grid from 1e-5 to 3e-3: ranked, with the unstable and too-slow LRs named and an LR recommended between them', () => {
  const lrs = [1e-5, 3e-5, 1e-4, 3e-4, 6e-4, 1e-3, 3e-3];
  const result = analyzeSweep(lrs.map((lr, i) => trial(lr, i + 1)));
  assert.equal(result.groups.length, 1);
  const g = result.groups[0]!;
  assert.equal(g.best?.lr, 6e-4);
  assert.equal(g.unstableFrom, 1e-3);
  assert.equal(g.tooSlowUpTo, 1e-4);
  assert.ok(g.recommendedLr! > g.tooSlowUpTo && g.recommendedLr! < g.unstableFrom, String(g.recommendedLr));
  assert.deepEqual(
    g.entries.map((e) => [e.lr, e.status]),
    [
      [6e-4, 'best'],
      [3e-4, 'good'],
      [1e-3, 'unstable'],
      [1e-4, 'too_slow'],
      [3e-5, 'too_slow'],
      [1e-5, 'too_slow'],
      [3e-3, 'unstable'],
    ],
  );
  assert.match(g.summary, /^Best run: .* \(LR 6e-4\), train_loss 3\.\d+\. Training was unstable at LR 1e-3 and above\. It was too slow at LR 1e-4 and below\. Recommended LR: 4\.2e-4\.$/);
});

test('a much longer final run in the same folder is listed but not compared; a pruned run still is', () => {
  const inputs = [trial(1e-4, 1), trial(3e-4, 2), trial(3e-3, 3, { steps: 400 }), trial(3e-4, 4, { steps: 20_000 })];
  const g = analyzeSweep(inputs).groups[0]!;
  const long = g.entries.find((e) => e.lastStep === 20_000)!;
  assert.equal(long.status, 'not_compared');
  assert.match(long.note, /much longer than the other runs/);
  const pruned = g.entries.find((e) => e.lastStep === 400)!;
  assert.equal(pruned.status, 'unstable');
});

test('the LR is read from the LR series when the hyperparameters do not say it', () => {
  const g = analyzeSweep([trial(1e-5, 1, { hparamLr: false }), trial(3e-4, 2, { hparamLr: false })]).groups[0]!;
  assert.equal(g.best?.lr, 3e-4);
  assert.equal(g.best?.lrFrom, 'series');
  assert.equal(g.tooSlowUpTo, 1e-5);
});

test('runs that differ in optimizer are analysed per optimizer', () => {
  const inputs = [trial(1e-4, 1, { optimizer: 'Adam' }), trial(3e-4, 2, { optimizer: 'Adam' }), trial(1e-3, 3, { optimizer: 'SGD' }), trial(3e-3, 4, { optimizer: 'SGD' })];
  const groups = analyzeSweep(inputs).groups;
  assert.deepEqual(groups.map((g) => g.optimizer).sort(), ['adam', 'sgd']);
  assert.equal(groups.find((g) => g.optimizer === 'adam')!.best?.lr, 3e-4);
});

test('runs without a loss are reported, not guessed at', () => {
  const steps = stepsOf(100);
  const noLoss = () => runOf([{ tag: 'lr', steps, values: constant(steps, 1e-3) }]);
  const g = analyzeSweep([{ run: noLoss(), findings: [] }, { run: noLoss(), findings: [] }]).groups[0]!;
  assert.equal(g.entries[0]!.note, 'no loss logged');
  assert.match(g.summary, /No run could be scored/);
});

test('a folder that also holds other experiments is split by the losses the runs log', () => {
  const steps = stepsOf(500, 5);
  const other = runOf([{ tag: 'train/box_loss', steps, values: constant(steps, 0.01) }]);
  const result = analyzeSweep([trial(1e-5, 1), trial(3e-4, 2), { run: other, findings: [] }]);
  assert.equal(result.groups.length, 2);
  assert.equal(result.groups[0]!.best?.lr, 3e-4);
  assert.equal(result.groups[1]!.entries[0]!.note, 'no other run logs the same losses');
});
