import assert from 'node:assert/strict';
import { test } from 'node:test';
import { previewScheduler } from '../../src/core/python/schedulePreview';
import { analyzeScript } from '../../src/core/python/scriptModel';
import { fixtureScript, py } from './pythonSupport';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) <= 1e-12 + 1e-9 * Math.abs(b), `${a} != ${b}`);

test('StepLR from imagenet: 0.1, then ×0.1 every 30 epochs', () => {
  const m = analyzeScript(fixtureScript('imagenet_main.py'));
  const p = previewScheduler(m, 0);
  assert.equal(p.unit, 'epoch');
  assert.deepEqual(p.missing, []);
  close(p.fn!(29), 0.1);
  close(p.fn!(30), 0.01);
  close(p.keyNumbers!.floor, 0.1 * 0.1 ** 3);
  assert.equal(p.keyNumbers!.floorStep, 90);
});

test('SequentialLR warmup + cosine: peak at the milestone, floor at the end', () => {
  const m = analyzeScript(py`
    import torch
    from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    warmup = LinearLR(optimizer, start_factor=0.01, total_iters=100)
    cosine = CosineAnnealingLR(optimizer, T_max=900, eta_min=1e-5)
    scheduler = SequentialLR(optimizer, schedulers=[warmup, cosine], milestones=[100])
  `);
  const p = previewScheduler(m, 2, { horizon: 1000 });
  assert.deepEqual(p.missing, []);
  close(p.keyNumbers!.start, 1e-5);
  close(p.keyNumbers!.peak, 1e-3);
  assert.equal(p.keyNumbers!.peakStep, 100);
  close(p.keyNumbers!.floor, 1e-5);
  assert.equal(p.keyNumbers!.floorStep, 0);
  close(p.keyNumbers!.end, 1e-5);
});

test('HF, optax and Keras schedules; unresolved arguments are reported, and can be supplied', () => {
  const clm = analyzeScript(fixtureScript('run_clm_no_trainer.py'));
  const p = previewScheduler(clm, 0);
  assert.equal(p.fn, undefined);
  assert.deepEqual(p.missing, ['num_training_steps']);
  const q = previewScheduler(clm, 0, { overrides: { num_training_steps: 1000, num_warmup_steps: 100 } });
  close(q.keyNumbers!.peak, 5e-5);
  assert.equal(q.keyNumbers!.peakStep, 100);
  close(q.keyNumbers!.end, 0);
  const flax = analyzeScript(fixtureScript('flax_optax.py'));
  const f = previewScheduler(flax, 0);
  assert.equal(f.unit, 'step');
  close(f.keyNumbers!.peak, 1e-3);
  assert.equal(f.keyNumbers!.peakStep, 500);
  close(f.keyNumbers!.end, 1e-5);
  const k = analyzeScript(py`
    import keras
    s = keras.optimizers.schedules.ExponentialDecay(1e-2, decay_steps=1000, decay_rate=0.5)
  `);
  close(previewScheduler(k, 0).keyNumbers!.end, 5e-3);
});
