import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ImportPlanner, applyEdits, formatLrLiteral, indentUnit } from '../../src/core/python/edits';
import { addWarmupFix, clipGradFix } from '../../src/core/python/fixes';
import { importsOf } from '../../src/core/python/imports';
import { parseScript } from '../../src/core/python/parse';
import { analyzeScript } from '../../src/core/python/scriptModel';
import { applyFix, count, linesOf, py } from './pythonSupport';

function refer(text: string, ...names: string[]): { refs: string[]; after: string } {
  const doc = parseScript(text);
  const p = new ImportPlanner(doc, importsOf(doc));
  const refs = names.map((n) => p.ref(n));
  return { refs, after: applyEdits(text, p.edits()) };
}

test('names are reached through the imports the file already has', () => {
  assert.deepEqual(refer('import torch\n', 'torch.optim.lr_scheduler.LinearLR').refs, ['torch.optim.lr_scheduler.LinearLR']);
  assert.deepEqual(refer('import torch.optim as optim\n', 'torch.optim.lr_scheduler.LinearLR').refs, ['optim.lr_scheduler.LinearLR']);
  assert.deepEqual(refer('from torch.optim import lr_scheduler\nimport torch\n', 'torch.optim.lr_scheduler.LinearLR').refs, ['lr_scheduler.LinearLR']);
  assert.deepEqual(refer('from torch.optim.lr_scheduler import LinearLR as Lin\n', 'torch.optim.lr_scheduler.LinearLR').refs, ['Lin']);
  assert.deepEqual(refer('from tensorflow import keras\n', 'keras.callbacks.EarlyStopping').refs, ['keras.callbacks.EarlyStopping']);
  assert.deepEqual(refer('import tensorflow as tf\n', 'keras.callbacks.EarlyStopping').refs, ['tf.keras.callbacks.EarlyStopping']);
});

test('an existing from-import of the module is extended once, parenthesised or not', () => {
  const r = refer('from torch.optim.lr_scheduler import StepLR\nimport torch\n', 'torch.optim.lr_scheduler.LinearLR', 'torch.optim.lr_scheduler.SequentialLR', 'torch.optim.lr_scheduler.LinearLR');
  assert.deepEqual(r.refs, ['LinearLR', 'SequentialLR', 'LinearLR']);
  assert.equal(linesOf(r.after)[0], 'from torch.optim.lr_scheduler import StepLR, LinearLR, SequentialLR');
  const p = refer('from torch.optim.lr_scheduler import (\n    StepLR,\n    ExponentialLR,\n)\n', 'torch.optim.lr_scheduler.LinearLR');
  assert.equal(p.after, 'from torch.optim.lr_scheduler import (\n    StepLR,\n    ExponentialLR, LinearLR,\n)\n');
});

test('a new import goes after the last module-level import, or after the docstring and __future__ imports', () => {
  const a = refer('"""Doc."""\nfrom __future__ import annotations\n\nx = 1\n', 'torch.nn.utils.clip_grad_norm_');
  assert.equal(a.after, '"""Doc."""\nfrom __future__ import annotations\nfrom torch.nn.utils import clip_grad_norm_\n\nx = 1\n');
  const d = refer('#!/usr/bin/env python\n"""Doc."""\nx = 1\n', 'optax.chain');
  assert.equal(d.after, '#!/usr/bin/env python\n"""Doc."""\nfrom optax import chain\n\nx = 1\n');
  const b = refer('import os\nimport numpy as np\n\ndef f():\n    import json\n', 'optax.chain');
  assert.equal(linesOf(b.after)[2], 'from optax import chain');
});

test('indentation: tabs, two spaces and four spaces are kept', () => {
  for (const unit of ['\t', '  ', '    ']) {
    const text = `import torch\noptimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)\nfor epoch in range(3):\n${unit}for batch in loader:\n${unit}${unit}loss = model(batch)\n${unit}${unit}loss.backward()\n${unit}${unit}optimizer.step()\n`;
    assert.equal(indentUnit(parseScript(text)), unit);
    const m = analyzeScript(text);
    const after = applyFix(text, clipGradFix(m, 1.0));
    assert.ok(after.includes(`\n${unit}${unit}torch.nn.utils.clip_grad_norm_(model.parameters(), 1)\n${unit}${unit}optimizer.step()`), JSON.stringify(after));
    const w = applyFix(text, addWarmupFix(m, 100));
    assert.ok(w.includes(`${unit}${unit}optimizer.step()\n${unit}${unit}scheduler.step()\n`), JSON.stringify(w));
  }
});

test('CRLF files get CRLF in inserted lines', () => {
  const text = 'import torch\r\noptimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)\r\nfor batch in loader:\r\n    model(batch).backward()\r\n    optimizer.step()\r\n';
  const after = applyFix(text, addWarmupFix(analyzeScript(text), 10));
  assert.equal(after.split('\r\n').length, after.split('\n').length);
  assert.equal(count(after, 'scheduler.step()'), 1);
});

test('LR literals keep the style they were written in', () => {
  assert.equal(formatLrLiteral(1.8e-4, '6e-4'), '1.8e-4');
  assert.equal(formatLrLiteral(0.03, '0.1'), '0.03');
  assert.equal(formatLrLiteral(0.001, '0.01'), '0.001');
  assert.equal(formatLrLiteral(3e-5), '3e-5');
  assert.equal(formatLrLiteral(0.1), '0.1');
  assert.equal(formatLrLiteral(1e-3 * 0.3), '3e-4');
});

test('applyEdits rejects overlapping edits and keeps insert order at one position', () => {
  const at = { line: 0, character: 1 };
  assert.equal(applyEdits('ab', [{ range: { start: at, end: at }, newText: 'X' }, { range: { start: at, end: at }, newText: 'Y' }]), 'aXYb');
  assert.throws(() => applyEdits('abc', [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } }, newText: '' }, { range: { start: at, end: { line: 0, character: 3 } }, newText: '' }]));
});

test('moving the only statement of a block leaves pass behind', async () => {
  const { moveStepToEpochFix } = await import('../../src/core/python/fixes');
  const text = py`
    import torch
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, 10)
    for epoch in range(10):
        for x in loader:
            loss(x).backward()
            opt.step()
            if x is not None:
                sched.step()
  `;
  const m = analyzeScript(text);
  const step = m.steps.find((s) => s.kind === 'scheduler')!;
  assert.equal(step.loop, 'batch');
  const after = applyFix(text, moveStepToEpochFix(m, step));
  assert.ok(after.endsWith('        if x is not None:\n            pass\n    sched.step()\n'), JSON.stringify(after));
});
