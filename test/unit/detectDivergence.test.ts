import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeRun } from '../../src/core/analysis/analyze';
import { contextOf } from '../../src/core/analysis/context';
import { detectDivergence } from '../../src/core/analysis/divergence';
import { readBytes } from '../../src/core/formats/registry';
import { constant, decaying, loudRules, patched, runOf, stepsOf, warmRestarts, withNoise } from '../support/curves';
import { divergingLog, healthyLog } from '../support/sampleRuns';

const logRun = (content: string | Uint8Array) =>
  readBytes('train.log', typeof content === 'string' ? new TextEncoder().encode(content) : content).runs[0]!;

test('loss becoming NaN is an error at its first step and line, next to the LR peak', () => {
  const sample = divergingLog();
  const findings = analyzeRun(logRun(sample.content));
  const f = findings.find((x) => x.rule === 'divergence');
  assert.ok(f, 'divergence found');
  assert.equal(f.severity, 'error');
  assert.equal(f.step, 1040);
  const lines = String(sample.content).split('\n');
  assert.match(lines[f.line! - 1]!, /^step 1040\/5000 \| loss nan/);
  assert.match(f.message, /Loss became NaN at step 1040, 40 steps after the LR reached its peak 3e-3/);
  assert.equal(f.evidence.lrAtOnset, 0.003);
  assert.equal(f.suggestions[0]?.fix, 'scale_lr');
});

test('the healthy sample run has no warning or error at all', () => {
  assert.deepEqual(loudRules(analyzeRun(logRun(healthyLog().content))), []);
});

test('infinite loss is reported as infinite', () => {
  const findings = analyzeRun(logRun('step 1 | loss 2\nstep 2 | loss inf\n'));
  assert.match(findings[0]!.message, /became infinite at step 2/);
});

test('a NaN that training recovers from is info, not an error', () => {
  const steps = stepsOf(400);
  const loss = patched(withNoise(decaying(steps, 3, 1, 80), 0.03, 1), { 200: NaN });
  const f = detectDivergence(contextOf(runOf([{ tag: 'loss', steps, values: loss }])));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'info');
  assert.match(f[0]!.message, /was NaN at step 201 .* but training continued/);
});

test('a loss that climbs to 10x its start and stays there is a divergence, with the rise located', () => {
  const steps = stepsOf(600);
  const loss = withNoise(
    steps.map((s) => (s < 100 ? 2.3 - s * 0.005 : 2.3 + 20 * (1 - Math.exp(-(s - 100) / 30)))),
    0.05,
    2,
  );
  const run = runOf([
    { tag: 'train/loss', steps, values: loss },
    { tag: 'lr', steps, values: constant(steps, 0.5) },
  ]);
  const f = detectDivergence(contextOf(run));
  assert.equal(f.length, 1);
  assert.equal(f[0]!.severity, 'error');
  assert.ok(f[0]!.step > 100 && f[0]!.step < 200, `rise at ${f[0]!.step}`);
  assert.match(f[0]!.message, /at a constant LR of 0\.5/);
  assert.ok((f[0]!.evidence.finalOverInitial as number) > 5);
  assert.equal(f[0]!.suggestions[0]!.fix, 'scale_lr');
});

test('a loss that falls, then climbs back to where it started and stays, gave back its progress', () => {
  const steps = stepsOf(500, 2);
  const loss = withNoise(steps.map((s) => (s < 200 ? 2.3 * Math.exp(-s / 100) + 0.2 : s < 230 ? 0.5 + (s - 200) * 0.06 : 2.3)), 0.02, 3);
  const f = detectDivergence(contextOf(runOf([{ tag: 'loss', steps, values: loss }])));
  assert.equal(f.length, 1);
  assert.match(f[0]!.message, /giving back \d+% of its progress/);
});

test('warm restarts raise the loss for a while and it comes back: no divergence', () => {
  const steps = stepsOf(900);
  const lr = warmRestarts(steps, 1e-3, 300);
  const loss = withNoise(
    steps.map((s) => 0.5 + 2 * Math.exp(-s / 150) + 0.3 * (lr[s - 1]! / 1e-3)),
    0.03,
    4,
  );
  const findings = analyzeRun(runOf([{ tag: 'loss', steps, values: loss }, { tag: 'lr', steps, values: lr }]));
  assert.deepEqual(loudRules(findings), []);
});

test('noisy small-batch SGD that trains fine stays quiet', () => {
  const steps = stepsOf(2000);
  const loss = withNoise(decaying(steps, 2.3, 0.05, 300), 0.6, 5);
  const findings = analyzeRun(runOf([{ tag: 'loss', steps, values: loss }, { tag: 'lr', steps, values: constant(steps, 0.05) }]));
  assert.deepEqual(loudRules(findings), []);
});

test('a short run with few points makes no finite-divergence claim', () => {
  const steps = [1, 2, 3, 4, 5];
  const f = detectDivergence(contextOf(runOf([{ tag: 'loss', steps, values: [1, 3, 9, 20, 30] }])));
  assert.deepEqual(f, []);
});

test('RL losses are not objectives: a growing value loss is no divergence', () => {
  const steps = stepsOf(300);
  const run = runOf([
    { tag: 'train/value_loss', steps, values: steps.map((s) => 10 + s * 5) },
    { tag: 'rollout/ep_rew_mean', steps, values: steps.map((s) => s) },
  ]);
  assert.deepEqual(loudRules(analyzeRun(run)), []);
});
