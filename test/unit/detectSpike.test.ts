import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeRun } from '../../src/core/analysis/analyze';
import { contextOf } from '../../src/core/analysis/context';
import { detectLossSpikes } from '../../src/core/analysis/lossSpike';
import { constant, decaying, loudRules, runOf, stepsOf, warmRestarts, warmupCosine, withNoise } from '../support/curves';

const base = (n = 1000, seed = 1) => {
  const steps = stepsOf(n);
  return { steps, loss: withNoise(decaying(steps, 3, 1, 150), 0.02, seed) };
};

test('a loss that jumps to 3x for 8 steps and recovers is a warning (the llm-foundry rule)', () => {
  const { steps, loss } = base();
  for (let i = 600; i < 608; i++) loss[i] = loss[i]! * 3;
  const f = detectLossSpikes(contextOf(runOf([{ tag: 'loss', steps, values: loss }, { tag: 'lr', steps, values: constant(steps, 3e-4) }])));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'warning');
  assert.equal(f[0]!.step, 601);
  assert.equal(f[0]!.line, 601);
  assert.match(f[0]!.message, /^Loss spiked from 1\.0\d to 3\.\d+ \(3(\.\d)?×\) at step 601 for 8 logged points and recovered \(LR 3e-4\)\.$/);
  assert.equal(f[0]!.suggestions[0]!.fix, 'clip_grad_norm');
});

test('a single outlying step is only info', () => {
  const { steps, loss } = base();
  loss[500] = loss[500]! * 2.5;
  const f = detectLossSpikes(contextOf(runOf([{ tag: 'loss', steps, values: loss }])));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'info');
});

test('noisy small-batch SGD has no spikes worth a warning', () => {
  const steps = stepsOf(3000);
  const loss = withNoise(decaying(steps, 2.3, 0.1, 400), 0.5, 7);
  assert.deepEqual(loudRules(detectLossSpikes(contextOf(runOf([{ tag: 'loss', steps, values: loss }])))), []);
});

test('a jump that never comes back is not a spike', () => {
  const { steps, loss } = base();
  for (let i = 700; i < loss.length; i++) loss[i] = loss[i]! * 3;
  assert.deepEqual(detectLossSpikes(contextOf(runOf([{ tag: 'loss', steps, values: loss }]))), []);
});

test('a jump when the LR restarts mid-schedule (a resume that reset the scheduler) is named', () => {
  const steps = stepsOf(720);
  const lr = steps.map((s) => (s < 540 ? warmupCosine([s], 9e-3, 0, 720)[0]! : warmupCosine([s - 540], 9e-3, 0, 720)[0]!));
  const loss = withNoise(
    steps.map((s) => (s < 540 ? 1.2 + 3 * Math.exp(-s / 60) : 1.2 + 0.6 * Math.exp(-(s - 540) / 40))),
    0.03,
    3,
  );
  const f = analyzeRun(runOf([{ tag: 'loss', steps, values: loss }, { tag: 'lr', steps, values: lr }]));
  const spike = f.find((x) => x.rule === 'loss_spike');
  assert.ok(spike, JSON.stringify(f.map((x) => x.message)));
  assert.equal(spike.severity, 'warning');
  assert.match(spike.message, /right when the LR jumped back up from 1\.\de-3 to 9e-3/);
});

test('periodic warm restarts bump the loss by design: quiet', () => {
  const steps = stepsOf(900);
  const lr = warmRestarts(steps, 1e-3, 150);
  const loss = withNoise(steps.map((s, i) => 0.8 + 2 * Math.exp(-s / 200) + 0.4 * (lr[i]! / 1e-3) * Math.exp(-s / 600)), 0.02, 9);
  assert.deepEqual(loudRules(analyzeRun(runOf([{ tag: 'loss', steps, values: loss }, { tag: 'lr', steps, values: lr }]))), []);
});

test('values rounded to 4 decimals near 1e-4 are not spikes', () => {
  const steps = stepsOf(200, 25);
  const loss = steps.map((s, i) => (s < 1000 ? Math.max(1e-4, Math.round(2 * Math.exp(-s / 100) * 1e4) / 1e4) : [1e-4, 2e-4, 1e-4, 1e-4, 3e-4][i % 5]!));
  assert.deepEqual(loudRules(analyzeRun(runOf([{ tag: 'loss', steps, values: loss }]))), []);
});

test('many spikes are summarised in one finding', () => {
  const { steps, loss } = base(2000, 4);
  for (const at of [300, 500, 700, 900, 1100, 1300]) for (let i = at; i < at + 6; i++) loss[i] = loss[i]! * 4;
  const f = detectLossSpikes(contextOf(runOf([{ tag: 'loss', steps, values: loss }])));
  assert.equal(f.length, 1);
  assert.match(f[0]!.message, /Loss spiked 6 times between step 301 and step 1306/);
  assert.equal(f[0]!.evidence.spikes, 6);
});

test('a modest spike that costs the run a lasting drop in accuracy is a warning', () => {
  const { steps, loss } = base(1500, 8);
  for (let i = 1080; i < 1083; i++) loss[i] = loss[i]! * 1.8;
  const evals = stepsOf(1500, 10);
  const acc = evals.map((s) => (s < 1081 ? 0.47 : 0.34));
  const f = detectLossSpikes(contextOf(runOf([{ tag: 'loss', steps, values: loss }, { tag: 'val_acc', steps: evals, values: acc }])));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'warning');
  assert.match(f[0]!.message, /and val_acc fell from 0\.47 to 0\.34\.$/);
});
