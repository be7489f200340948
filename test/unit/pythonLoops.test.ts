import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeScript } from '../../src/core/python/scriptModel';
import { fixtureScript, py } from './pythonSupport';

const stepsOf = (text: string) => analyzeScript(text).steps.map((s) => [s.kind, s.line, s.loop, s.loopLine ?? null, s.via]);

test('imagenet: optimizer.step() in train() is per batch; scheduler.step() after train() is per epoch', () => {
  assert.deepEqual(stepsOf(fixtureScript('imagenet_main.py')), [
    ['scheduler', 59, 'epoch', 56, []],
    ['optimizer', 74, 'batch', 66, []],
  ]);
  const m = analyzeScript(fixtureScript('imagenet_main.py'));
  assert.deepEqual(m.loops.loops.map((l) => [l.line, l.kind]), [[56, 'epoch'], [66, 'batch'], [86, 'other']]);
});

test('nanoGPT: the while-True loop is the batch loop; the accumulation and param-group loops are not', () => {
  const m = analyzeScript(fixtureScript('nanogpt_train.py'));
  assert.deepEqual(m.steps.map((s) => [s.kind, s.receiver, s.loop, s.loopLine]), [['optimizer', 'scaler', 'batch', 93]]);
  assert.deepEqual(m.manualLr.map((x) => x.loop), ['batch']);
  const kinds = Object.fromEntries(m.loops.loops.map((l) => [l.header.split(' ').slice(0, 2).join(' '), l.kind]));
  assert.equal(kinds['while True'], 'batch');
  assert.equal(kinds['for micro_step'], 'other');
  assert.equal(kinds['for param_group'], 'other');
  assert.equal(m.clipping[0]!.loop, 'batch');
});

test('HF no_trainer, timm and Lightning cadences', () => {
  assert.deepEqual(stepsOf(fixtureScript('run_clm_no_trainer.py')).map((s) => s.slice(0, 3)), [['optimizer', 95, 'batch'], ['scheduler', 96, 'batch']]);
  assert.deepEqual(stepsOf(fixtureScript('timm_train.py')).map((s) => s.slice(0, 3)), [['optimizer', 41, 'batch'], ['scheduler', 44, 'batch'], ['scheduler', 58, 'epoch']]);
  const lit = analyzeScript(fixtureScript('lightning_module.py'));
  assert.equal(lit.schedulers[0]!.implicitLoop, 'epoch');
  const flax = analyzeScript(fixtureScript('flax_optax.py'));
  assert.equal(flax.schedulers[0]!.implicitLoop, 'batch');
});

test('a step two calls deep is resolved through both calls', () => {
  const text = py`
    def train_step(model, batch, optimizer, scheduler):
        model(batch).backward()
        optimizer.step()
        scheduler.step()

    def run_epoch(model, loader, optimizer, scheduler):
        for batch in loader:
            train_step(model, batch, optimizer, scheduler)

    def main():
        for epoch in range(10):
            run_epoch(model, loader, optimizer, scheduler)
  `;
  const m = analyzeScript(text);
  assert.deepEqual(m.steps.map((s) => [s.kind, s.loop, s.loopLine, s.via]), [['optimizer', 'batch', 7, [8]], ['scheduler', 'batch', 7, [8]]]);
  assert.deepEqual(m.loops.loops.map((l) => l.kind), ['batch', 'epoch']);
});

test('loop headers: epochs, batches, steps of an epoch, evaluation data', () => {
  const text = py`
    for ep in range(n):
        for it in range(iters_per_epoch):
            optimizer.step()
    for i, (x, y) in enumerate(val_loader):
        pass
    e = 0
    while e < num_epochs:
        for data in dataloader:
            pass
        e += 1
  `;
  const m = analyzeScript(text);
  assert.deepEqual(m.loops.loops.map((l) => l.kind), ['epoch', 'batch', 'other', 'epoch', 'batch']);
});

test('what cannot be resolved is "other": callbacks, hooks nobody calls, module level', () => {
  const text = py`
    import torch
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 10)
    scheduler.step()
    def on_step():
        scheduler.step()
    trainer.add_callback(on_step)
    class M:
        def on_train_epoch_end(self):
            self.scheduler.step()
        def training_step(self, batch):
            self.scheduler.step()
  `;
  assert.deepEqual(analyzeScript(text).steps.map((s) => s.loop), ['other', 'other', 'epoch', 'batch']);
});
