import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configScaleLrEdit, pyyamlFloat, readConfig } from '../../src/core/python/config';
import { applyEdits } from '../../src/core/python/edits';
import { bestScript, optimizerKey, scoreLink } from '../../src/core/python/link';
import { analyzeScript } from '../../src/core/python/scriptModel';
import { fixtureScript } from './pythonSupport';

const yaml = `# model config
model:
  name: resnet50
optimizer:
  name: adamw
  lr: 1e-3
  weight_decay: 0.05
scheduler:
  name: cosine
  warmup_steps: 500
trainer:
  max_steps: 100000
  gradient_clip_val: 1.0
`;

test('YAML configs: LR, schedule, warmup and clipping keys with their lines', () => {
  const c = readConfig(yaml);
  assert.deepEqual(c.errors, []);
  const byPath = Object.fromEntries(c.entries.map((e) => [e.path, [e.value, e.line]]));
  assert.deepEqual(byPath['optimizer.lr'], [1e-3, 6]);
  assert.deepEqual(byPath['scheduler.warmup_steps'], [500, 10]);
  assert.deepEqual(byPath['trainer.gradient_clip_val'], [1, 13]);
  assert.deepEqual(byPath['trainer.max_steps'], [100000, 12]);
});

test('YAML 1.1 readers (PyYAML) take 1e-3 as a string: flagged with a fix that both read as a float', () => {
  const c = readConfig(yaml);
  assert.equal(c.findings.length, 1);
  assert.equal(c.findings[0]!.range.start.line, 5);
  const fixed = applyEdits(yaml, [c.findings[0]!.edit]);
  assert.match(fixed, /^ {2}lr: 1\.0e-3$/m);
  assert.deepEqual(readConfig(fixed).findings, []);
  assert.equal(pyyamlFloat(3e-4), '3.0e-4');
  assert.equal(pyyamlFloat(2.5e5), '2.5e+5');
  assert.deepEqual(readConfig('lr: 0.001\nwarmup_ratio: 0.1\n').findings, []);
});

test('JSON configs read the same way, and scale_lr rewrites the LR in place', () => {
  const json = '{\n  "learning_rate": 5e-5,\n  "lr_scheduler_type": "linear",\n  "warmup_ratio": 0.0\n}\n';
  const c = readConfig(json);
  assert.deepEqual(c.entries.map((e) => [e.path, e.value]), [['learning_rate', 5e-5], ['lr_scheduler_type', 'linear'], ['warmup_ratio', 0]]);
  assert.equal(applyEdits(json, [configScaleLrEdit(c, 0.3, true)!]).split('\n')[1], '  "learning_rate": 1.5e-5,');
  assert.equal(applyEdits(yaml, [configScaleLrEdit(readConfig(yaml), 0.3, false)!]).split('\n')[5], '  lr: 3.0e-4');
  const broken = readConfig('lr: [1, 2\nwarmup: 3\n');
  assert.ok(broken.errors.length > 0);
  assert.ok(broken.errors[0]!.line >= 1);
});

test('run ↔ script links score on LR, optimizer, schedule and warmup, with reasons', () => {
  const clm = analyzeScript(fixtureScript('run_clm_no_trainer.py'));
  const glue = analyzeScript(fixtureScript('run_glue_trainer.py'));
  const imagenet = analyzeScript(fixtureScript('imagenet_main.py'));
  const hparams = { learning_rate: 2e-5, lr_scheduler_type: 'linear', optim: 'adamw_torch' };
  const g = scoreLink(hparams, glue);
  assert.equal(g.score, 1);
  assert.deepEqual(g.conflicts, []);
  assert.match(g.reasons[0]!, /learning rate 2e-5 matches line 28/);
  const i = scoreLink(hparams, imagenet);
  assert.ok(i.score < 0.5, String(i.score));
  assert.ok(i.conflicts.length >= 1);
  const best = bestScript(hparams, [{ path: 'imagenet.py', model: imagenet }, { path: 'clm.py', model: clm }, { path: 'glue.py', model: glue }]);
  assert.equal(best!.candidate.path, 'glue.py');
  assert.equal(bestScript({ lr: 0.7 }, [{ path: 'x', model: imagenet }]), undefined);
  assert.equal(scoreLink({}, imagenet).score, 0);
  assert.equal(scoreLink({ 'hparams/lr': 0.1, optimizer: "<class 'torch.optim.sgd.SGD'>" }, imagenet).score, 1);
});

test('optimizer names from different recorders normalise to one key', () => {
  assert.equal(optimizerKey('adamw_torch'), 'adamw');
  assert.equal(optimizerKey('torch.optim.AdamW'), 'adamw');
  assert.equal(optimizerKey('bitsandbytes.optim.AdamW8bit'), 'adamw');
  assert.equal(optimizerKey('paged_adamw_8bit'), 'adamw');
  assert.equal(optimizerKey('SGD'), 'sgd');
});
