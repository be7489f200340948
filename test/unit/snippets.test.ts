import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseScript, syntaxErrors } from '../../src/core/python/parse';
import { analyzeScript } from '../../src/core/python/scriptModel';
import { repoRoot } from '../support/shared';

interface Snippet {
  prefix: string | string[];
  description: string;
  body: string | string[];
}

/** The body with every placeholder replaced by its default (first choice), mirrors by the same value. */
function expand(body: string): string {
  const values = new Map<string, string>();
  let out = body.replace(/\$\{(\d+)\|([^,|}]*)[^}]*\|\}/g, (_m, n: string, first: string) => {
    values.set(n, first);
    return first;
  });
  for (let guard = 0; guard < 5 && /\$\{\d+:/.test(out); guard++) {
    out = out.replace(/\$\{(\d+):([^${}]*)\}/g, (_m, n: string, def: string) => {
      values.set(n, def);
      return def;
    });
  }
  return out.replace(/\$(\d+)/g, (_m, n: string) => values.get(n) ?? '').replace(/\$\{\d+\}/g, '');
}

const root = repoRoot();
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { snippets: { language: string; path: string }[] } };

test('package.json contributes every snippet file, for Python', () => {
  const files = fs.readdirSync(path.join(root, 'snippets')).filter((f) => f.endsWith('.code-snippets')).sort();
  const contributed = manifest.contributes.snippets.map((s) => path.basename(s.path)).sort();
  assert.deepEqual(contributed, files);
  for (const s of manifest.contributes.snippets) assert.equal(s.language, 'python');
});

const all: [string, string, Snippet][] = [];
for (const s of manifest.contributes.snippets) {
  const snippets = JSON.parse(fs.readFileSync(path.join(root, s.path), 'utf8')) as Record<string, Snippet>;
  for (const [name, snip] of Object.entries(snippets)) all.push([path.basename(s.path), name, snip]);
}

test('every snippet body parses as Python once its placeholders take their defaults', () => {
  assert.ok(all.length >= 35, `only ${all.length} snippets`);
  for (const [file, name, s] of all) {
    const body = expand(Array.isArray(s.body) ? s.body.join('\n') : s.body);
    assert.doesNotMatch(body, /\$\{|\$\d/, `${file}: ${name}: placeholder left`);
    assert.deepEqual(syntaxErrors(parseScript(body)), [], `${file}: ${name}:\n${body}`);
    assert.ok(s.description.length > 10, `${file}: ${name}: description`);
    const prefixes = Array.isArray(s.prefix) ? s.prefix : [s.prefix];
    assert.ok(prefixes.some((p) => p.startsWith('lrlens-')), `${file}: ${name}: prefix`);
  }
});

test('every PyTorch lr_scheduler class has a snippet, and schedule snippets are understood by the script model', () => {
  const classes = ['LambdaLR', 'MultiplicativeLR', 'StepLR', 'MultiStepLR', 'ConstantLR', 'LinearLR', 'ExponentialLR', 'SequentialLR', 'PolynomialLR', 'CosineAnnealingLR', 'ChainedScheduler', 'ReduceLROnPlateau', 'CyclicLR', 'OneCycleLR', 'CosineAnnealingWarmRestarts'];
  const torch = all.filter(([f]) => f === 'pytorch.code-snippets').map(([, , s]) => expand((s.body as string[]).join('\n')));
  for (const c of classes) {
    const hit = torch.find((b) => analyzeScript(b).schedulers.some((s) => s.call === `torch.optim.lr_scheduler.${c}`));
    assert.ok(hit, `no snippet constructs ${c}`);
  }
  const hfFns = ['get_linear_schedule_with_warmup', 'get_cosine_schedule_with_warmup', 'get_cosine_with_hard_restarts_schedule_with_warmup', 'get_polynomial_decay_schedule_with_warmup', 'get_constant_schedule_with_warmup', 'get_inverse_sqrt_schedule', 'get_wsd_schedule'];
  const hf = all.filter(([f]) => f === 'huggingface.code-snippets').map(([, , s]) => analyzeScript(expand((s.body as string[]).join('\n'))));
  for (const fn of hfFns) assert.ok(hf.some((m) => m.schedulers.some((s) => s.call === `transformers.${fn}`)), fn);
  const optax = all.filter(([f]) => f === 'optax.code-snippets').map(([, , s]) => analyzeScript(expand((s.body as string[]).join('\n'))));
  for (const fn of ['warmup_cosine_decay_schedule', 'exponential_decay', 'join_schedules', 'sgdr_schedule']) assert.ok(optax.some((m) => m.schedulers.some((s) => s.call === `optax.${fn}`)), fn);
  const keras = all.filter(([f]) => f === 'keras.code-snippets').map(([, , s]) => analyzeScript(expand((s.body as string[]).join('\n'))));
  for (const c of ['schedules.ExponentialDecay', 'schedules.PiecewiseConstantDecay', 'schedules.CosineDecay', 'schedules.CosineDecayRestarts']) assert.ok(keras.some((m) => m.schedulers.some((s) => s.call === `keras.optimizers.${c}`)), c);
  for (const c of ['ReduceLROnPlateau', 'LearningRateScheduler']) assert.ok(keras.some((m) => m.schedulers.some((s) => s.call === `keras.callbacks.${c}`)), c);
});

test('the Lightning snippet asks for per-step scheduling', () => {
  const [, , s] = all.find(([f]) => f === 'lightning.code-snippets')!;
  const m = analyzeScript('import torch\n' + expand((s.body as string[]).join('\n')));
  assert.equal(m.lightning.length, 1);
  assert.equal(m.lightning[0]!.interval, 'step');
});

test('expand substitutes defaults, choices and mirrors', () => {
  assert.equal(expand('a=${1:x}; b=$1; c=${2|p,q|}; $0'), 'a=x; b=x; c=p; ');
});
