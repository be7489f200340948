import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../src/core/analysis/finding';
import { fixForSuggestion, topFix } from '../../src/core/python/fixes';
import { analyzeScript } from '../../src/core/python/scriptModel';
import { applyFix, count, fixtureScript, lineIndex, linesOf, py } from './pythonSupport';

const fix = (text: string, s: Parameters<typeof fixForSuggestion>[1], ctx = {}) => fixForSuggestion(analyzeScript(text), s, ctx);

test('scale_lr changes the argparse default (imagenet), the config variable and its floor (nanoGPT), the literal (Keras)', () => {
  const imagenet = fixtureScript('imagenet_main.py');
  const f1 = fix(imagenet, { fix: 'scale_lr', factor: 0.3 });
  assert.match(f1!.title, /from 0\.1 to 0\.03/);
  const a1 = applyFix(imagenet, f1);
  assert.equal(linesOf(a1)[24], "parser.add_argument('--lr', '--learning-rate', default=0.03, type=float,");
  assert.equal(f1!.edits.length, 1);

  const nano = fixtureScript('nanogpt_train.py');
  const a2 = applyFix(nano, fix(nano, { fix: 'scale_lr', factor: 0.5 }));
  assert.equal(count(a2, /^learning_rate = 3e-4 # max learning rate$/), 1);
  assert.equal(count(a2, /^min_lr = 3e-5 # minimum/), 1);

  const keras = fixtureScript('keras_classifier.py');
  const a3 = applyFix(keras, fix(keras, { fix: 'scale_lr', factor: 0.3 }));
  assert.equal(count(a3, 'optimizer=keras.optimizers.Adam(3e-4),'), 1);

  // An optimizer on its library default gets an explicit lr.
  const dflt = py`
    import torch
    optimizer = torch.optim.Adam(model.parameters())
  `;
  assert.equal(linesOf(applyFix(dflt, fix(dflt, { fix: 'scale_lr', factor: 0.1 })))[1], 'optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)');
  // An expression that cannot be evaluated is scaled in place.
  const cfg = py`
    import torch
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg["optim"]["lr"])
  `;
  assert.equal(linesOf(applyFix(cfg, fix(cfg, { fix: 'scale_lr', factor: 0.3 })))[1], 'optimizer = torch.optim.AdamW(model.parameters(), lr=cfg["optim"]["lr"] * 0.3)');
  // OneCycleLR's max_lr is the LR that matters.
  const oc = py`
    import torch
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.4, total_steps=1000)
  `;
  assert.match(applyFix(oc, fix(oc, { fix: 'scale_lr', factor: 0.25 })), /max_lr=0\.1,/);
});

test('add_warmup: SequentialLR around a per-batch scheduler, warmup_steps for the Trainer, warmup_iters for nanoGPT, linear_schedule for optax', () => {
  const text = py`
    import torch
    from torch.optim.lr_scheduler import CosineAnnealingLR

    optimizer = torch.optim.AdamW(model.parameters(), lr=6e-4)
    scheduler = CosineAnnealingLR(optimizer, T_max=100000)
    for step, batch in enumerate(loader):
        loss = model(batch)
        loss.backward()
        optimizer.step()
        scheduler.step()
  `;
  const a = applyFix(text, fix(text, { fix: 'add_warmup', steps: 2000 }));
  assert.equal(linesOf(a)[1], 'from torch.optim.lr_scheduler import CosineAnnealingLR, LinearLR, SequentialLR');
  assert.equal(count(a, /^from torch\.optim\.lr_scheduler import/), 1);
  assert.equal(linesOf(a)[4], 'scheduler = SequentialLR(optimizer, schedulers=[LinearLR(optimizer, start_factor=1e-3, end_factor=1.0, total_iters=2000), CosineAnnealingLR(optimizer, T_max=100000)], milestones=[2000])');
  const glue = fixtureScript('run_glue_trainer.py');
  assert.equal(count(applyFix(glue, fix(glue, { fix: 'add_warmup', steps: 300 })), 'warmup_steps=300,'), 1);
  const nano = fixtureScript('nanogpt_train.py');
  assert.equal(count(applyFix(nano, fix(nano, { fix: 'add_warmup', steps: 4000 })), /^warmup_iters = 4000 #/), 1);
  const optax = py`
    import optax
    tx = optax.adam(learning_rate=1e-3)
  `;
  assert.equal(linesOf(applyFix(optax, fix(optax, { fix: 'add_warmup', steps: 500 })))[1], 'tx = optax.adam(learning_rate=optax.linear_schedule(init_value=0.0, end_value=1e-3, transition_steps=500))');
});

test('add_warmup with only `import torch`: fully qualified names and no new import line', () => {
  const text = py`
    import torch
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    for batch in loader:
        model(batch).backward()
        optimizer.step()
  `;
  const a = applyFix(text, fix(text, { fix: 'add_warmup', steps: 100 }));
  assert.equal(count(a, /^import /), 1);
  assert.equal(count(a, /^from /), 0);
  assert.equal(linesOf(a)[2], 'scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1e-3, end_factor=1.0, total_iters=100)');
});

test('add_schedule: cosine sized to the run replaces a per-epoch StepLR and moves its step into the batch loop', () => {
  const text = py`
    import torch
    from torch.optim.lr_scheduler import StepLR
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = StepLR(optimizer, step_size=30)
    for epoch in range(90):
        for x, y in loader:
            loss_fn(model(x), y).backward()
            optimizer.step()
        scheduler.step()
  `;
  const a = applyFix(text, fix(text, { fix: 'add_schedule', family: 'cosine', params: { totalSteps: 90000, warmupSteps: 0, minLr: 1e-4 } }));
  assert.equal(linesOf(a)[3], 'scheduler = CosineAnnealingLR(optimizer, T_max=90_000, eta_min=1e-4)');
  assert.equal(linesOf(a)[1], 'from torch.optim.lr_scheduler import StepLR, CosineAnnealingLR');
  assert.equal(linesOf(a)[lineIndex(a, 'optimizer.step()') + 1], '        scheduler.step()');
  assert.equal(count(a, 'scheduler.step()'), 1);
  // The Trainer takes lr_scheduler_type.
  const glue = fixtureScript('run_glue_trainer.py');
  assert.match(applyFix(glue, fix(glue, { fix: 'add_schedule', family: 'cosine', params: { totalSteps: 1000, warmupSteps: 60 } })), /lr_scheduler_type="cosine",[\s\S]*warmup_steps=60,/);
});

test('add_reduce_on_plateau: constructed after the optimizer, stepped with the captured validation loss at the end of the epoch', () => {
  const mnist = fixtureScript('mnist_main.py').replace(/\n {4}scheduler = StepLR[^\n]*\n/, '\n').replace(/\n {8}scheduler\.step\(\)\n/, '\n');
  const a = applyFix(mnist, fix(mnist, { fix: 'add_reduce_on_plateau', patience: 3, factor: 0.5 }));
  const lines = linesOf(a);
  const opt = lineIndex(a, 'optimizer = optim.Adadelta(model.parameters(), lr=args.lr)');
  assert.equal(lines[opt + 1], '    scheduler = ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=3)');
  assert.equal(count(a, 'val_loss = test(model, device, test_loader)'), 1);
  assert.equal(lines[lineIndex(a, 'val_loss = test(model, device, test_loader)') + 1], '        scheduler.step(val_loss)');
  assert.equal(count(a, 'from torch.optim.lr_scheduler import StepLR, ReduceLROnPlateau'), 1);
  const keras = fixtureScript('keras_classifier.py');
  const k = applyFix(keras, fix(keras, { fix: 'add_reduce_on_plateau', patience: 5, factor: 0.2 }));
  assert.match(k, /keras\.callbacks\.ModelCheckpoint\("save_at_\{epoch\}\.keras"\),\n {4}keras\.callbacks\.ReduceLROnPlateau\(monitor="val_loss", factor=0\.2, patience=5\),\n\]/);
});

test('clip_grad_norm: before optimizer.step() with the optimizer’s own parameters; existing clipping is re-valued', () => {
  const imagenet = fixtureScript('imagenet_main.py');
  const a = applyFix(imagenet, fix(imagenet, { fix: 'clip_grad_norm', maxNorm: 1 }));
  const lines = linesOf(a);
  const at = lineIndex(a, 'optimizer.step()');
  // `import torch.nn as nn` is the file's spelling of torch.nn.
  assert.equal(lines[at - 1], '        nn.utils.clip_grad_norm_(model.parameters(), 1)');
  assert.equal(count(a, /^import|^from/), count(imagenet, /^import|^from/));
  const nano = fixtureScript('nanogpt_train.py');
  assert.equal(count(applyFix(nano, fix(nano, { fix: 'clip_grad_norm', maxNorm: 0.5 })), /^grad_clip = 0\.5 #/), 1);
  const clm = fixtureScript('run_clm_no_trainer.py');
  const c = applyFix(clm, fix(clm, { fix: 'clip_grad_norm', maxNorm: 1 }));
  assert.equal(linesOf(c)[lineIndex(c, 'optimizer.step()') - 1], '                accelerator.clip_grad_norm_(model.parameters(), 1)');
  const keras = fixtureScript('keras_classifier.py');
  assert.equal(count(applyFix(keras, fix(keras, { fix: 'clip_grad_norm', maxNorm: 1 })), 'optimizer=keras.optimizers.Adam(1e-3, global_clipnorm=1),'), 1);
});

test('switch_optimizer keeps the parameters and the options both accept', () => {
  const text = py`
    import torch.optim as optim
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True)
  `;
  const a = applyFix(text, fix(text, { fix: 'switch_optimizer', optimizer: 'AdamW', lr: 1e-3 }));
  assert.equal(linesOf(a)[1], 'optimizer = optim.AdamW(model.parameters(), lr=1e-3, weight_decay=5e-4)');
});

test('step_per_epoch and early_stop', () => {
  const text = py`
    import torch
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=0.9)
    for epoch in range(args.epochs):
        for x in loader:
            model(x).backward()
            optimizer.step()
            scheduler.step()
  `;
  const a = applyFix(text, fix(text, { fix: 'step_per_epoch' }));
  assert.deepEqual(linesOf(a).slice(-3), ['        optimizer.step()', '    scheduler.step()', '']);
  const nano = fixtureScript('nanogpt_train.py');
  assert.equal(count(applyFix(nano, fix(nano, { fix: 'early_stop', step: 5000 })), /^max_iters = 5000 #/), 1);
  const mnist = fixtureScript('mnist_main.py');
  assert.equal(fix(mnist, { fix: 'early_stop', step: 4000 }), undefined);
  assert.match(applyFix(mnist, fix(mnist, { fix: 'early_stop', step: 4000 }, { stepsPerEpoch: 938 })), /'--epochs', type=int, default=5,/);
});

test('topFix takes the most severe finding’s first suggestion this script can apply', () => {
  const findings: Finding[] = [
    { rule: 'plateau', severity: 'info', series: 'loss', step: 10, message: 'p', evidence: {}, suggestions: [{ fix: 'add_reduce_on_plateau', patience: 3, factor: 0.5 }] },
    { rule: 'divergence', severity: 'error', series: 'loss', step: 500, message: 'd', evidence: {}, suggestions: [{ fix: 'step_per_epoch' }, { fix: 'scale_lr', factor: 0.3 }] },
  ];
  const t = topFix(analyzeScript(fixtureScript('imagenet_main.py')), findings);
  assert.equal(t!.finding.rule, 'divergence');
  assert.equal(t!.suggestion.fix, 'scale_lr');
});
