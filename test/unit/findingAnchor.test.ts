import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Finding, Suggestion } from '../../src/core/analysis/finding';
import { anchorForFinding } from '../../src/core/python/findingAnchor';
import { analyzeScript } from '../../src/core/python/scriptModel';
import { repoRoot } from '../support/shared';

const script = (name: string): string => fs.readFileSync(path.join(repoRoot(), 'test/fixtures/scripts', name), 'utf8');
const finding = (rule: Finding['rule'], suggestions: Suggestion[]): Finding => ({ rule, severity: 'error', series: 'loss', step: 100, message: 'm', evidence: {}, suggestions });
const lineText = (text: string, line: number): string => text.split(/\r?\n/)[line - 1]!;

test('an LR change anchors where the LR is defined, a schedule change at the scheduler', () => {
  const text = script('imagenet_main.py');
  const model = analyzeScript(text);
  const lr = anchorForFinding(model, finding('divergence', [{ fix: 'scale_lr', factor: 0.3 }]))!;
  assert.match(lineText(text, lr.line), /--lr|lr/);
  assert.equal(lr.what, 'the learning rate');
  const sched = anchorForFinding(model, finding('lr_collapse', [{ fix: 'step_per_epoch' }]))!;
  assert.match(lineText(text, sched.line), /lr_scheduler|StepLR|Scheduler/);
  assert.equal(sched.what, 'the scheduler');
  const clip = anchorForFinding(model, finding('loss_spike', [{ fix: 'clip_grad_norm', maxNorm: 1 }]))!;
  assert.match(lineText(text, clip.line), /optimizer\.step\(\)/);
});

test('nanoGPT: the LR is the module-level learning_rate; the schedule is the hand-written get_lr', () => {
  const text = script('nanogpt_train.py');
  const model = analyzeScript(text);
  const lr = anchorForFinding(model, finding('divergence', [{ fix: 'scale_lr', factor: 0.3 }]))!;
  assert.match(lineText(text, lr.line), /^learning_rate\s*=/);
  const sched = anchorForFinding(model, finding('warmup', [{ fix: 'add_warmup', steps: 2000 }]))!;
  assert.match(lineText(text, sched.line), /lr/);
});
