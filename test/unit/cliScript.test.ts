import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseScript, syntaxErrors } from '../../src/core/python/parse';
import { divergingLog, healthyLog } from '../support/sampleRuns';
import { fixtureScript } from './pythonSupport';
import { runCli, withFiles } from '../support/cli';

const cli = (cwd: string, ...args: string[]) => runCli(args, cwd);

interface ScriptJson {
  version: number;
  optimizers: { line: number; call: string; lrExpr?: string; lrValue?: number }[];
  schedulers: { line: number; call: string; family?: string; params: Record<string, number | string> }[];
  steps: { line: number; kind: string; loop: string }[];
  clipping: { line: number; call: string; maxNorm?: number }[];
  trainingArguments: { line: number; learningRate?: number; schedulerType?: string }[];
  findings: { rule: string; severity: string; line: number; fixes: string[] }[];
}

test('script --format json lists optimizers, schedulers, steps with their loop, clipping and findings', () => {
  withFiles({ 'train.py': fixtureScript('imagenet_main.py'), 'clm.py': fixtureScript('run_clm_no_trainer.py'), 'glue.py': fixtureScript('run_glue_trainer.py') }, (dir) => {
    const r = cli(dir, 'script', 'train.py', '--format', 'json');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as ScriptJson;
    assert.equal(out.version, 1);
    assert.deepEqual(out.optimizers, [{ line: 40, call: 'torch.optim.SGD', family: 'sgd', lrExpr: 'args.lr', lrValue: 0.1, lrSource: 'argparse --lr (line 25)', variable: 'optimizer' }]);
    assert.equal(out.schedulers[0]!.call, 'torch.optim.lr_scheduler.StepLR');
    assert.equal(out.schedulers[0]!.family, 'step');
    assert.deepEqual(out.schedulers[0]!.params, { step_size: 30, gamma: 0.1 });
    assert.deepEqual(out.steps.map((s) => [s.kind, s.line, s.loop]), [['scheduler', 59, 'epoch'], ['optimizer', 74, 'batch']]);
    assert.deepEqual(out.findings, []);
    const clm = JSON.parse(cli(dir, 'script', 'clm.py', '--format=json').stdout) as ScriptJson;
    assert.equal(clm.findings[0]!.rule, 'no_warmup');
    assert.equal(clm.findings[0]!.severity, 'info');
    assert.ok(clm.findings[0]!.fixes[0]);
    const glue = JSON.parse(cli(dir, 'script', 'glue.py', '--format', 'json').stdout) as ScriptJson;
    assert.deepEqual(glue.trainingArguments.map((t) => [t.learningRate, t.schedulerType]), [[2e-5, 'linear']]);
  });
});

test('script text output and usage errors', () => {
  withFiles({ 'train.py': fixtureScript('nanogpt_train.py') }, (dir) => {
    const r = cli(dir, 'script', 'train.py');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /train\.py:115 {2}scaler\.step\(optimizer\) {2}in the batch loop \(line 93\)/);
    assert.equal(cli(dir, 'script').status, 2);
    assert.equal(cli(dir, 'script', 'train.py', '--format', 'xml').status, 2);
    const missing = cli(dir, 'script', 'nope.py');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /nope\.py: cannot read/);
  });
});

test('fix prints the top suggestion as a unified diff; --apply writes it and the script still parses', () => {
  const script = fixtureScript('nanogpt_train.py');
  withFiles({ 'train.py': script, 'run.log': divergingLog().content, 'ok.log': healthyLog().content }, (dir) => {
    const r = cli(dir, 'fix', 'run.log', '--script', 'train.py');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /divergence \(error\) at step 1040/);
    assert.match(r.stderr, /Lower the learning rate from 6e-4 to 1\.8e-4/);
    assert.ok(r.stdout.startsWith('--- a/train.py\n+++ b/train.py\n@@ -24,7 +24,7 @@\n'), r.stdout);
    assert.match(r.stdout, /^-learning_rate = 6e-4 # max learning rate$/m);
    assert.match(r.stdout, /^\+learning_rate = 1\.8e-4 # max learning rate$/m);
    assert.equal(fs.readFileSync(path.join(dir, 'train.py'), 'utf8'), script, 'without --apply nothing is written');
    const w = cli(dir, 'fix', 'run.log', '--script', 'train.py', '--apply');
    assert.equal(w.status, 0);
    const after = fs.readFileSync(path.join(dir, 'train.py'), 'utf8');
    assert.match(after, /^learning_rate = 1\.8e-4 # max learning rate$/m);
    assert.deepEqual(syntaxErrors(parseScript(after)), []);
    // Healthy run: nothing to fix.
    const h = cli(dir, 'fix', 'ok.log', '--script', 'train.py');
    assert.equal(h.status, 0);
    assert.equal(h.stdout, '');
    assert.match(h.stderr, /no findings/);
    // Usage.
    assert.equal(cli(dir, 'fix', 'run.log').status, 2);
    assert.equal(cli(dir, 'fix', '--script', 'train.py').status, 2);
    assert.equal(cli(dir, 'fix', 'missing.log', '--script', 'train.py').status, 2);
  });
});

test('fix exits 1 when the script has no place for any suggestion', () => {
  withFiles({ 'empty.py': 'print("hello")\n', 'run.log': divergingLog().content }, (dir) => {
    const r = cli(dir, 'fix', 'run.log', '--script', 'empty.py');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no place in this script for scale_lr/);
    assert.equal(r.stdout, '');
  });
});
