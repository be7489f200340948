import assert from 'node:assert/strict';
import { test } from 'node:test';
import { importsOf, resolveDotted } from '../../src/core/python/imports';
import { parseNumber } from '../../src/core/python/values';
import { parseScript, syntaxErrors } from '../../src/core/python/parse';
import { analyzeScript } from '../../src/core/python/scriptModel';
import { py } from './pythonSupport';

test('Python number literals', () => {
  assert.equal(parseNumber('1e-3'), 1e-3);
  assert.equal(parseNumber('3_000'), 3000);
  assert.equal(parseNumber('0x10'), 16);
  assert.equal(parseNumber('.5'), 0.5);
  assert.equal(parseNumber('1.'), 1);
  assert.equal(parseNumber('2j'), undefined);
  assert.equal(parseNumber('abc'), undefined);
});

test('LR literals and arithmetic are evaluated as Python does', () => {
  const m = analyzeScript(py`
    import torch
    a = torch.optim.Adam(p, lr=3 * 1e-4)
    b = torch.optim.Adam(p, lr=2**-10)
    c = torch.optim.Adam(p, lr=-2**2 + 5)
    d = torch.optim.Adam(p, lr=(1e-3) / 4)
    e = torch.optim.Adam(p, lr=float("1e-4"))
    f = torch.optim.Adam(p, lr=7 // 2 % 2 * 1e-3)
  `);
  assert.deepEqual(
    m.optimizers.map((o) => o.lrValue),
    [3 * 1e-4, 2 ** -10, 1, 1e-3 / 4, 1e-4, 1e-3],
  );
});

test('imports resolve aliases, submodules, from-imports and star imports', () => {
  const doc = parseScript(py`
    import torch.optim as optim
    from torch.optim import AdamW as AW
    import torch.nn
    from torch.optim.lr_scheduler import *
    from . import local_thing
  `);
  const t = importsOf(doc);
  assert.equal(resolveDotted(t, 'AW'), 'torch.optim.AdamW');
  assert.equal(resolveDotted(t, 'optim.lr_scheduler.StepLR'), 'torch.optim.lr_scheduler.StepLR');
  assert.equal(resolveDotted(t, 'torch.nn.Linear'), 'torch.nn.Linear');
  assert.equal(resolveDotted(t, 'StepLR'), undefined);
  assert.deepEqual(t.starModules, ['torch.optim.lr_scheduler']);
  const m = analyzeScript(py`
    import torch.optim as optim
    from torch.optim import AdamW as AW
    from torch.optim.lr_scheduler import *
    opt = AW(model.parameters(), 1e-3)
    s1 = optim.lr_scheduler.StepLR(opt, 30)
    s2 = CosineAnnealingLR(opt, T_max=100)
  `);
  assert.deepEqual(m.optimizers.map((o) => o.call), ['torch.optim.AdamW']);
  assert.deepEqual(m.schedulers.map((s) => s.call), ['torch.optim.lr_scheduler.StepLR', 'torch.optim.lr_scheduler.CosineAnnealingLR']);
});

test('a name imported from an unknown module is not mistaken for a library optimizer', () => {
  const m = analyzeScript(py`
    from mylib.optim import Adam
    from torch.optim import SGD
    def AdamW(*a, **k):
        return None
    o1 = Adam(params, lr=0.5)
    o2 = AdamW(params, lr=0.5)
    o3 = SGD(params, lr=0.5)
  `);
  assert.deepEqual(m.optimizers.map((o) => o.call), ['torch.optim.SGD']);
});

test('positional and keyword arguments are matched to each constructor’s signature', () => {
  const m = analyzeScript(py`
    import torch
    from torch.optim.lr_scheduler import StepLR, OneCycleLR, CosineAnnealingLR
    opt = torch.optim.SGD(model.parameters(), 0.05, 0.9)
    s1 = StepLR(opt, 30, 0.5)
    s2 = OneCycleLR(opt, 0.1, 1000)
    s3 = CosineAnnealingLR(optimizer=opt, eta_min=1e-5, T_max=200)
  `);
  assert.equal(m.optimizers[0]!.lrValue, 0.05);
  assert.equal(m.optimizers[0]!.lr!.expr, '0.05');
  const [a, b, c] = m.schedulers;
  assert.equal(a!.args.step_size!.value, 30);
  assert.equal(a!.args.gamma!.value, 0.5);
  assert.equal(b!.args.max_lr!.value, 0.1);
  assert.equal(b!.args.total_steps!.value, 1000);
  assert.equal(c!.args.T_max!.value, 200);
  assert.equal(c!.args.eta_min!.value, 1e-5);
  assert.equal(c!.optimizerExpr, 'opt');
});

test('the LR is followed through a variable, an argparse default (with dest), a dataclass field and self.hparams', () => {
  const m = analyzeScript(py`
    import argparse
    from dataclasses import dataclass, field
    import torch
    import lightning as L
    parser = argparse.ArgumentParser()
    parser.add_argument('--learning-rate', '--lr', type=float, default=3e-4, dest='base_lr')
    args = parser.parse_args()
    lr = 1e-3
    @dataclass
    class Config:
        peak_lr: float = field(default=6e-4)
    cfg = Config()
    o1 = torch.optim.AdamW(params, lr=lr)
    o2 = torch.optim.AdamW(params, lr=args.base_lr)
    o3 = torch.optim.AdamW(params, lr=cfg.peak_lr)
    class Lit(L.LightningModule):
        def __init__(self, lr: float = 2e-4):
            super().__init__()
        def configure_optimizers(self):
            return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr)
  `);
  const [o1, o2, o3, o4] = m.optimizers;
  assert.deepEqual([o1!.lrValue, o2!.lrValue, o3!.lrValue, o4!.lrValue], [1e-3, 3e-4, 6e-4, 2e-4]);
  assert.equal(o1!.lr!.site!.kind, 'variable');
  assert.equal(o1!.lr!.site!.line, 8);
  assert.equal(o2!.lr!.site!.kind, 'argparse');
  assert.deepEqual(o2!.lr!.site!.flags, ['--learning-rate', '--lr']);
  assert.equal(o3!.lr!.site!.kind, 'field');
  assert.equal(o4!.lr!.site!.kind, 'parameter');
});

test('Keras, optax, bitsandbytes and transformers optimizers and schedules are recognised', () => {
  const m = analyzeScript(py`
    import tensorflow as tf
    from tensorflow import keras
    import optax
    import bitsandbytes as bnb
    from transformers import get_cosine_schedule_with_warmup
    sched = keras.optimizers.schedules.CosineDecay(1e-3, decay_steps=10000, warmup_target=None)
    k1 = tf.keras.optimizers.Adam(learning_rate=sched)
    k2 = keras.optimizers.legacy.SGD(0.01, momentum=0.9)
    o1 = optax.inject_hyperparams(optax.adamw)(learning_rate=3e-4)
    b1 = bnb.optim.AdamW8bit(model.parameters(), lr=2e-4)
    hf = get_cosine_schedule_with_warmup(b1, num_warmup_steps=100, num_training_steps=1000)
    model.compile(optimizer="rmsprop", loss="mse")
  `);
  assert.deepEqual(m.optimizers.map((o) => [o.call, o.lrValue]), [
    ['keras.optimizers.Adam', undefined],
    ['keras.optimizers.SGD', 0.01],
    ['optax.adamw', 3e-4],
    ['bitsandbytes.optim.AdamW8bit', 2e-4],
    ['keras.optimizers.RMSprop', 1e-3],
  ]);
  assert.equal(m.optimizers[0]!.lrSchedule, 0);
  assert.deepEqual(m.schedulers.map((s) => [s.call, s.family, s.warmup]), [
    ['keras.optimizers.schedules.CosineDecay', 'cosine', false],
    ['transformers.get_cosine_schedule_with_warmup', 'cosine', true],
  ]);
});

test('a script with syntax errors is still analysed around them', () => {
  const text = py`
    import torch
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    def broken(:
        pass
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 10)
  `;
  assert.ok(syntaxErrors(parseScript(text)).length > 0);
  const m = analyzeScript(text);
  assert.equal(m.optimizers.length, 1);
  assert.equal(m.schedulers.length, 1);
  assert.ok(m.syntaxErrors.length > 0);
});
