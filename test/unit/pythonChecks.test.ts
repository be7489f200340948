import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkScript, type ScriptFinding, type ScriptRule } from '../../src/core/python/checks';
import { analyzeScript } from '../../src/core/python/scriptModel';
import { applyFix, count, fixtureScript, lineIndex, linesOf, py } from './pythonSupport';

function findings(text: string, rule?: ScriptRule): ScriptFinding[] {
  const all = checkScript(analyzeScript(text));
  return rule ? all.filter((f) => f.rule === rule) : all;
}

const perBatchStepLR = py`
  import torch
  from torch.optim.lr_scheduler import StepLR

  optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
  scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
  for epoch in range(args.epochs):
      for images, target in train_loader:
          loss = criterion(model(images), target)
          optimizer.zero_grad()
          loss.backward()
          optimizer.step()
          scheduler.step()
      validate(model)
`;

test('epoch_scheduler_per_batch: fires on StepLR stepped in the batch loop; the fix moves it after the batch loop', () => {
  const [f, ...rest] = findings(perBatchStepLR, 'epoch_scheduler_per_batch');
  assert.ok(f);
  assert.equal(rest.length, 0);
  assert.equal(f.severity, 'warning');
  assert.equal(f.range.start.line, 11);
  assert.match(f.message, /StepLR\(step_size=30\) is sized in epochs/);
  assert.equal(f.related[0]!.range.start.line, 4);
  const after = applyFix(perBatchStepLR, f.fixes[0]);
  const lines = linesOf(after);
  assert.equal(count(after, 'scheduler.step()'), 1);
  const at = lineIndex(after, 'scheduler.step()');
  assert.equal(lines[at], '    scheduler.step()');
  assert.ok(at > lineIndex(after, 'optimizer.step()'));
  assert.equal(lines[at + 1], '    validate(model)');
  assert.deepEqual(findings(after, 'epoch_scheduler_per_batch'), []);
});

test('epoch_scheduler_per_batch: quiet for per-epoch stepping and for step-sized schedules in the batch loop', () => {
  const good = perBatchStepLR.replace('        scheduler.step()\n', '').replace('    validate(model)', '    validate(model)\n    scheduler.step()');
  assert.deepEqual(findings(good), []);
  const stepSized = py`
    import torch
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs * len(train_loader))
    for epoch in range(args.epochs):
        for batch in train_loader:
            loss = model(batch)
            loss.backward()
            optimizer.step()
            scheduler.step()
  `;
  assert.deepEqual(findings(stepSized, 'epoch_scheduler_per_batch'), []);
  const epochSizedCosine = stepSized.replace('T_max=args.epochs * len(train_loader)', 'T_max=args.epochs');
  assert.equal(findings(epochSizedCosine, 'epoch_scheduler_per_batch').length, 1);
});

test('epoch_scheduler_per_batch: the fix moves the step out of a train() function to its call site in the epoch loop', () => {
  const text = py`
    import torch
    from torch.optim.lr_scheduler import MultiStepLR

    def train(loader, model, optimizer, scheduler):
    	for x, y in loader:
    		loss = model(x, y)
    		loss.backward()
    		optimizer.step()
    		scheduler.step()

    def main():
    	optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    	scheduler = MultiStepLR(optimizer, milestones=[30, 60], gamma=0.1)
    	for epoch in range(90):
    		train(train_loader, model, optimizer, scheduler)
    		evaluate(model)
  `;
  const [f] = findings(text, 'epoch_scheduler_per_batch');
  assert.ok(f);
  const after = applyFix(text, f.fixes[0]);
  const lines = linesOf(after);
  const at = lineIndex(after, 'scheduler.step()');
  assert.equal(lines[at], '\t\tscheduler.step()');
  assert.equal(lines[at - 1], '\t\ttrain(train_loader, model, optimizer, scheduler)');
  assert.equal(count(after, 'scheduler.step()'), 1);
});

test('scheduler_before_optimizer: fires when scheduler.step() precedes optimizer.step(); the fix swaps them', () => {
  const text = py`
    import torch
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-4, total_steps=10000)
    for step, batch in enumerate(train_loader):
      loss = model(batch)
      loss.backward()
      scheduler.step()
      optimizer.step()
      optimizer.zero_grad()
  `;
  const [f] = findings(text, 'scheduler_before_optimizer');
  assert.ok(f);
  assert.equal(f.range.start.line, 6);
  const after = applyFix(text, f.fixes[0]);
  const lines = linesOf(after);
  assert.equal(lines[lineIndex(after, 'optimizer.step()') + 1], '  scheduler.step()');
  assert.deepEqual(findings(after, 'scheduler_before_optimizer'), []);
});

test('scheduler_before_optimizer: the old per-epoch pattern (step at the top of the epoch) fires; stepping after train() is quiet', () => {
  const bad = fixtureScript('imagenet_main.py').replace(
    '        train(train_loader, model, criterion, optimizer, epoch, device, args)\n',
    '        scheduler.step()\n        train(train_loader, model, criterion, optimizer, epoch, device, args)\n',
  ).replace('        best_acc1 = max(acc1, best_acc1)\n', '').replace(/ {8}scheduler\.step\(\)\n(?! {8}train)/, '');
  const [f] = findings(bad, 'scheduler_before_optimizer');
  assert.ok(f, 'expected the finding');
  const after = applyFix(bad, f.fixes[0]);
  assert.equal(linesOf(after)[lineIndex(after, /^\s+train\(train_loader/) + 1], '        scheduler.step()');
  assert.deepEqual(findings(fixtureScript('imagenet_main.py')), []);
});

test('plateau_step_without_metric: fires (error) and the fix captures the validation loss', () => {
  const text = fixtureScript('mnist_main.py')
    .replace('from torch.optim.lr_scheduler import StepLR', 'from torch.optim.lr_scheduler import ReduceLROnPlateau')
    .replace('scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)', 'scheduler = ReduceLROnPlateau(optimizer, patience=2)');
  const [f] = findings(text, 'plateau_step_without_metric');
  assert.ok(f);
  assert.equal(f.severity, 'error');
  const after = applyFix(text, f.fixes[0]);
  assert.equal(count(after, 'val_loss = test(model, device, test_loader)'), 1);
  assert.equal(count(after, 'scheduler.step(val_loss)'), 1);
  assert.deepEqual(findings(after, 'plateau_step_without_metric'), []);
  const withMetric = py`
    import torch
    optimizer = torch.optim.Adam(model.parameters())
    scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer)
    for epoch in range(10):
        train(model)
        val_loss = evaluate(model)
        scheduler.step()
  `;
  const after2 = applyFix(withMetric, findings(withMetric, 'plateau_step_without_metric')[0]!.fixes[0]);
  assert.equal(count(after2, 'scheduler.step(val_loss)'), 1);
});

test('batch_scheduler_per_epoch: OneCycleLR stepped per epoch fires; the fix steps it after optimizer.step()', () => {
  const text = py`
    import torch
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, epochs=10, steps_per_epoch=len(train_loader))
    for epoch in range(10):
        for x, y in train_loader:
            optimizer.zero_grad()
            loss_fn(model(x), y).backward()
            optimizer.step()
        scheduler.step()
  `;
  const [f] = findings(text, 'batch_scheduler_per_epoch');
  assert.ok(f);
  const after = applyFix(text, f.fixes[0]);
  const lines = linesOf(after);
  assert.equal(lines[lineIndex(after, 'optimizer.step()') + 1], '        scheduler.step()');
  assert.equal(count(after, 'scheduler.step()'), 1);
  assert.deepEqual(findings(after), []);
});

test('batch_scheduler_per_epoch in Lightning: the fix adds "interval": "step" to the scheduler config', () => {
  const text = fixtureScript('lightning_module.py');
  const [f] = findings(text, 'batch_scheduler_per_epoch');
  assert.ok(f);
  const after = applyFix(text, f.fixes[0]);
  assert.match(after, /"monitor": "val_loss",\n {16}"interval": "step",\n/);
  assert.deepEqual(findings(after, 'batch_scheduler_per_epoch'), []);
  const listForm = py`
    import torch
    import lightning as L
    class M(L.LightningModule):
        def configure_optimizers(self):
            opt = torch.optim.Adam(self.parameters(), lr=1e-3)
            sched = torch.optim.lr_scheduler.CyclicLR(opt, base_lr=1e-4, max_lr=1e-3)
            return [opt], [sched]
  `;
  const [g] = findings(listForm, 'batch_scheduler_per_epoch');
  assert.ok(g);
  const after2 = applyFix(listForm, g.fixes[0]);
  assert.match(after2, /return \[opt\], \[\{"scheduler": sched, "interval": "step"\}\]/);
});

test('epoch_scheduler_per_batch in Lightning ("interval": "step" on a StepLR): the fix asks for per-epoch stepping', () => {
  const text = py`
    import torch
    import lightning as L
    class M(L.LightningModule):
        def configure_optimizers(self):
            opt = torch.optim.SGD(self.parameters(), lr=0.1)
            sched = torch.optim.lr_scheduler.StepLR(opt, step_size=30)
            return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}
  `;
  const [f] = findings(text, 'epoch_scheduler_per_batch');
  assert.ok(f);
  const after = applyFix(text, f.fixes[0]);
  assert.match(after, /"interval": "epoch"\}\}/);
  assert.deepEqual(findings(after, 'epoch_scheduler_per_batch'), []);
});

test('lr_out_of_range: TrainingArguments learning_rate far above fine-tuning values', () => {
  const text = fixtureScript('run_glue_trainer.py').replace('learning_rate=2e-5', 'learning_rate=0.1');
  const [f] = findings(text, 'lr_out_of_range');
  assert.ok(f);
  assert.equal(count(applyFix(text, f.fixes[0]), 'learning_rate=5e-5,'), 1);
});

test('lr_out_of_range: Adam above 1e-2 and SGD above 1 warn; the fix sets the usual value where the LR is written', () => {
  const adam = py`
    import torch
    LR = 0.1
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
  `;
  const [f] = findings(adam, 'lr_out_of_range');
  assert.ok(f);
  assert.equal(f.severity, 'warning');
  assert.equal(f.range.start.line, 1);
  const after = applyFix(adam, f.fixes[0]);
  assert.equal(linesOf(after)[1], 'LR = 0.001');
  const sgd = py`
    import torch.optim as optim
    opt = optim.SGD(net.parameters(), 5.0)
  `;
  assert.equal(findings(sgd, 'lr_out_of_range').length, 1);
  const fine = py`
    import torch.optim as optim
    a = optim.SGD(net.parameters(), 0.1, momentum=0.9)
    b = optim.AdamW(net.parameters(), lr=3e-4)
    c = optim.Adadelta(net.parameters(), lr=1.0)
  `;
  assert.deepEqual(findings(fine, 'lr_out_of_range'), []);
});

test('no_warmup: Trainer fine-tuning without warmup warns; the fix adds warmup_ratio', () => {
  const text = fixtureScript('run_glue_trainer.py');
  const [f] = findings(text, 'no_warmup');
  assert.ok(f);
  assert.equal(f.severity, 'warning');
  const after = applyFix(text, f.fixes[0]);
  assert.equal(count(after, 'warmup_ratio=0.06,'), 1);
  assert.equal(lineIndex(after, 'warmup_ratio=0.06,'), lineIndex(after, 'logging_steps=50,') + 1);
  assert.deepEqual(findings(after, 'no_warmup'), []);
});

test('no_warmup: a warmup-less AdamW loop gets a LinearLR warmup stepped after optimizer.step(), with its import', () => {
  const text = py`
    import torch
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained("roberta-base", num_labels=3)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    for epoch in range(3):
        for batch in train_dataloader:
            loss = model(**batch).loss
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
  `;
  const f = findings(text, 'no_warmup')[0];
  assert.ok(f);
  const after = applyFix(text, f.fixes[0]);
  assert.equal(count(after, 'scheduler = torch.optim.lr_scheduler.LinearLR(optimizer, start_factor=1e-3, end_factor=1.0, total_iters=500)'), 1);
  assert.equal(linesOf(after)[lineIndex(after, 'optimizer.step()') + 1], '        scheduler.step()');
  assert.deepEqual(findings(after, 'no_warmup'), []);
  // get_scheduler with --num_warmup_steps defaulting to 0: info, fix keeps the option as an override.
  const clm = fixtureScript('run_clm_no_trainer.py');
  const [g] = findings(clm, 'no_warmup');
  assert.ok(g);
  assert.equal(g.severity, 'info');
  const after2 = applyFix(clm, g.fixes[0]);
  assert.match(after2, /num_warmup_steps=args\.num_warmup_steps \* accelerator\.num_processes or int\(0\.06 \* \(args\.max_train_steps \* accelerator\.num_processes\)\),/);
});

test('no_warmup: quiet with a warmup schedule, a hand-written warmup, or no pretrained model', () => {
  const withWarmup = py`
    import torch
    from transformers import AutoModel, get_linear_schedule_with_warmup
    model = AutoModel.from_pretrained("bert-base-uncased")
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    scheduler = get_linear_schedule_with_warmup(optimizer, num_warmup_steps=100, num_training_steps=1000)
  `;
  assert.deepEqual(findings(withWarmup, 'no_warmup'), []);
  assert.deepEqual(findings(fixtureScript('nanogpt_train.py'), 'no_warmup'), []);
  assert.deepEqual(findings(fixtureScript('imagenet_main.py'), 'no_warmup'), []);
});

test('single_lr_finetune: a torchvision backbone with a new head gets parameter groups', () => {
  const text = py`
    import torch
    import torchvision

    model = torchvision.models.resnet50(weights="IMAGENET1K_V2")
    model.fc = torch.nn.Linear(model.fc.in_features, 10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
  `;
  const [f] = findings(text, 'single_lr_finetune');
  assert.ok(f);
  assert.equal(f.severity, 'info');
  const after = applyFix(text, f.fixes[0]);
  assert.equal(count(after, 'head_params = list(model.fc.parameters())'), 1);
  assert.equal(count(after, '{"params": backbone_params, "lr": 0.001},'), 1);
  assert.equal(count(after, '{"params": head_params},'), 1);
  assert.deepEqual(findings(after, 'single_lr_finetune'), []);
  assert.deepEqual(findings(text.replace('weights="IMAGENET1K_V2"', 'weights=None'), 'single_lr_finetune'), []);
});

test('the public training scripts shaped fixtures have no false alarms', () => {
  for (const name of ['imagenet_main.py', 'mnist_main.py', 'nanogpt_train.py', 'timm_train.py', 'keras_classifier.py', 'flax_optax.py']) {
    const bad = findings(fixtureScript(name)).filter((f) => f.severity !== 'info');
    assert.deepEqual(bad.map((f) => f.message), [], name);
  }
});
