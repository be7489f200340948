import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { applyEdits } from '../../src/core/python/edits';
import { mainOptimizer } from '../../src/core/python/fixes';
import { nodesOfType } from '../../src/core/python/parse';
import {
  activeParams,
  allTemplates,
  currentTemplate,
  detectFramework,
  insertTemplate,
  templateById,
  templateContext,
  templatesFor,
  validateValues,
  type ScheduleTemplate,
  type TemplateFramework,
} from '../../src/core/python/scheduleTemplates';
import { formatParamValue, parseParamValue, type ParamValue, type TemplateValues } from '../../src/core/python/templateParams';
import { analyzeScript, type ScriptModel } from '../../src/core/python/scriptModel';
import * as hf from '../../src/core/schedules/huggingface';
import * as keras from '../../src/core/schedules/keras';
import * as optax from '../../src/core/schedules/optax';
import * as torch from '../../src/core/schedules/pytorch';
import type { ScheduleFn } from '../../src/core/schedules/types';
import { repoRoot } from '../support/shared';
import { fixtureScript, linesOf, py } from './pythonSupport';

const close = (a: number, b: number, what = ''): void => assert.ok(Math.abs(a - b) <= 1e-15 + 1e-12 * Math.abs(b), `${what}: ${a} != ${b}`);
const n = (v: TemplateValues, k: string): number => v[k] as number;
const ns = (v: TemplateValues, k: string): number[] => [...(v[k] as readonly number[])];

/** A run of 12,000 optimizer steps, 400 per epoch (30 epochs), at LR 3e-4. */
const RUN = { totalSteps: 12_000, stepsPerEpoch: 400 };
const LR = 3e-4;

// ---------------------------------------------------------------------------------
// (a) curves: the closed forms of src/core/schedules, per scheduler step

/** Each template's curve per scheduler step, written from the library closed forms directly. */
const EXPECTED: Record<string, (v: TemplateValues, lr: number) => ScheduleFn | undefined> = {
  'torch.step': (v, lr) => torch.stepLR({ lr, step_size: n(v, 'step_size'), gamma: n(v, 'gamma') }),
  'torch.multistep': (v, lr) => torch.multiStepLR({ lr, milestones: ns(v, 'milestones'), gamma: n(v, 'gamma') }),
  'torch.exponential': (v, lr) => torch.exponentialLR({ lr, gamma: n(v, 'gamma') }),
  'torch.polynomial': (v, lr) => torch.polynomialLR({ lr, total_iters: n(v, 'total_iters'), power: n(v, 'power') }),
  'torch.linear': (v, lr) => torch.linearLR({ lr, start_factor: n(v, 'start_factor'), end_factor: n(v, 'end_factor'), total_iters: n(v, 'total_iters') }),
  'torch.constant': (v, lr) => torch.constantLR({ lr, factor: n(v, 'factor'), total_iters: n(v, 'total_iters') }),
  'torch.cosine': (v, lr) => torch.cosineAnnealingLR({ lr, T_max: n(v, 'T_max'), eta_min: n(v, 'eta_min') }),
  'torch.cosine_restarts': (v, lr) => torch.cosineAnnealingWarmRestarts({ lr, T_0: n(v, 'T_0'), T_mult: n(v, 'T_mult'), eta_min: n(v, 'eta_min') }),
  'torch.cyclic': (v) =>
    torch.cyclicLR({ base_lr: n(v, 'base_lr'), max_lr: n(v, 'max_lr'), step_size_up: n(v, 'step_size_up'), mode: v.mode as 'triangular', ...(v.mode === 'exp_range' ? { gamma: n(v, 'gamma') } : {}) }),
  'torch.onecycle': (v) =>
    torch.oneCycleLR({
      max_lr: n(v, 'max_lr'),
      total_steps: n(v, 'total_steps'),
      pct_start: n(v, 'pct_start'),
      anneal_strategy: v.anneal_strategy as 'cos',
      div_factor: n(v, 'div_factor'),
      final_div_factor: n(v, 'final_div_factor'),
    }),
  'torch.plateau': () => undefined,
  'torch.warmup_cosine': (v, lr) =>
    torch.sequentialLR({
      schedulers: [torch.linearLR({ lr, start_factor: n(v, 'start_factor'), total_iters: n(v, 'total_iters') }), torch.cosineAnnealingLR({ lr, T_max: n(v, 'T_max'), eta_min: n(v, 'eta_min') })],
      milestones: [n(v, 'total_iters')],
    }),
  'torch.warmup_exponential': (v, lr) =>
    torch.sequentialLR({
      schedulers: [torch.linearLR({ lr, start_factor: n(v, 'start_factor'), total_iters: n(v, 'total_iters') }), torch.exponentialLR({ lr, gamma: n(v, 'gamma') })],
      milestones: [n(v, 'total_iters')],
    }),
  // ChainedScheduler multiplies the factors of its (multiplicative) schedulers.
  'torch.chained': (v, lr) => (e) => (torch.constantLR({ lr, factor: n(v, 'factor'), total_iters: n(v, 'total_iters') })(e) * torch.exponentialLR({ lr, gamma: n(v, 'gamma') })(e)) / lr,
  // The LambdaLR written is HF's inverse-sqrt lambda with timescale = warmup.
  'torch.inverse_sqrt': (v, lr) => hf.inverseSqrtSchedule({ lr, num_warmup_steps: n(v, 'num_warmup_steps'), timescale: n(v, 'num_warmup_steps') }),
  // MultiplicativeLR with a constant factor is ExponentialLR.
  'torch.multiplicative': (v, lr) => torch.exponentialLR({ lr, gamma: n(v, 'lr_lambda') }),
  'transformers.linear': (v, lr) => hf.linearScheduleWithWarmup({ lr, num_warmup_steps: n(v, 'num_warmup_steps'), num_training_steps: n(v, 'num_training_steps') }),
  'transformers.cosine': (v, lr) => hf.cosineScheduleWithWarmup({ lr, num_warmup_steps: n(v, 'num_warmup_steps'), num_training_steps: n(v, 'num_training_steps'), num_cycles: n(v, 'num_cycles') }),
  'transformers.cosine_restarts': (v, lr) =>
    hf.cosineWithHardRestartsScheduleWithWarmup({ lr, num_warmup_steps: n(v, 'num_warmup_steps'), num_training_steps: n(v, 'num_training_steps'), num_cycles: n(v, 'num_cycles') }),
  'transformers.polynomial': (v, lr) =>
    hf.polynomialDecayScheduleWithWarmup({ lr, num_warmup_steps: n(v, 'num_warmup_steps'), num_training_steps: n(v, 'num_training_steps'), lr_end: n(v, 'lr_end'), power: n(v, 'power') }),
  'transformers.constant': (v, lr) => hf.constantScheduleWithWarmup({ lr, num_warmup_steps: n(v, 'num_warmup_steps') }),
  'transformers.inverse_sqrt': (v, lr) => hf.inverseSqrtSchedule({ lr, num_warmup_steps: n(v, 'num_warmup_steps') }),
  'transformers.wsd': (v, lr) =>
    hf.wsdSchedule({
      lr,
      num_warmup_steps: n(v, 'num_warmup_steps'),
      num_decay_steps: n(v, 'num_decay_steps'),
      num_training_steps: n(v, 'num_training_steps'),
      decay_type: v.decay_type as 'cosine',
      min_lr_ratio: n(v, 'min_lr_ratio'),
    }),
  'keras.exponential': (v) => keras.exponentialDecay({ initial_learning_rate: n(v, 'initial_learning_rate'), decay_steps: n(v, 'decay_steps'), decay_rate: n(v, 'decay_rate'), staircase: v.staircase === 'True' }),
  'keras.piecewise': (v) => keras.piecewiseConstantDecay({ boundaries: ns(v, 'boundaries'), values: ns(v, 'values') }),
  'keras.cosine_warmup': (v) =>
    keras.cosineDecay({ initial_learning_rate: n(v, 'initial_learning_rate'), decay_steps: n(v, 'decay_steps'), alpha: n(v, 'alpha'), warmup_target: n(v, 'warmup_target'), warmup_steps: n(v, 'warmup_steps') }),
  'keras.cosine_restarts': (v) =>
    keras.cosineDecayRestarts({ initial_learning_rate: n(v, 'initial_learning_rate'), first_decay_steps: n(v, 'first_decay_steps'), t_mul: n(v, 't_mul'), m_mul: n(v, 'm_mul'), alpha: n(v, 'alpha') }),
  'keras.plateau': () => undefined,
  // The callback keeps the LR before decay_start and multiplies it by decay_rate at the start of every later epoch.
  'keras.lr_scheduler': (v, lr) => (e) => (e < n(v, 'decay_start') ? lr : lr * n(v, 'decay_rate') ** (e - n(v, 'decay_start') + 1)),
  'optax.warmup_cosine': (v) =>
    optax.warmupCosineDecaySchedule({ init_value: n(v, 'init_value'), peak_value: n(v, 'peak_value'), warmup_steps: n(v, 'warmup_steps'), decay_steps: n(v, 'decay_steps'), end_value: n(v, 'end_value') }),
  'optax.exponential': (v) =>
    optax.exponentialDecay({ init_value: n(v, 'init_value'), transition_steps: n(v, 'transition_steps'), decay_rate: n(v, 'decay_rate'), transition_begin: n(v, 'transition_begin'), staircase: v.staircase === 'True' }),
  'optax.join': (v) =>
    optax.joinSchedules(
      [
        optax.linearSchedule({ init_value: 0, end_value: n(v, 'init_value'), transition_steps: n(v, 'transition_steps') }),
        optax.cosineDecaySchedule({ init_value: n(v, 'init_value'), decay_steps: n(v, 'decay_steps'), alpha: n(v, 'alpha') }),
      ],
      [n(v, 'transition_steps')],
    ),
  'optax.sgdr': (v) =>
    optax.sgdrSchedule(
      Array.from({ length: n(v, 'cycles') }, () => ({ init_value: 0, peak_value: n(v, 'peak_value'), warmup_steps: n(v, 'warmup_steps'), decay_steps: n(v, 'decay_steps'), end_value: n(v, 'end_value') })),
    ),
};
const expectedFor = (t: ScheduleTemplate): ((v: TemplateValues, lr: number) => ScheduleFn | undefined) => EXPECTED[t.id.replace(/^lightning\./, 'torch.')]!;

/** The warmup length of a template's values, when it has one. */
function warmupOf(v: TemplateValues): number | undefined {
  for (const k of ['num_warmup_steps', 'warmup_steps', 'total_iters', 'transition_steps']) if (typeof v[k] === 'number') return v[k];
  return undefined;
}

test('every template has an expected closed form, and the catalogue covers every framework', () => {
  const ids = allTemplates().map((t) => t.id);
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
  for (const t of allTemplates()) assert.ok(expectedFor(t), `no expected curve for ${t.id}`);
  const per = (f: TemplateFramework): string[] => templatesFor(f).map((t) => t.id);
  assert.deepEqual(per('torch'), [
    'torch.step',
    'torch.multistep',
    'torch.exponential',
    'torch.polynomial',
    'torch.linear',
    'torch.constant',
    'torch.cosine',
    'torch.cosine_restarts',
    'torch.cyclic',
    'torch.onecycle',
    'torch.plateau',
    'torch.warmup_cosine',
    'torch.warmup_exponential',
    'torch.chained',
    'torch.inverse_sqrt',
    'torch.multiplicative',
  ]);
  assert.deepEqual(per('transformers'), ['transformers.linear', 'transformers.cosine', 'transformers.cosine_restarts', 'transformers.polynomial', 'transformers.constant', 'transformers.inverse_sqrt', 'transformers.wsd']);
  assert.deepEqual(per('keras'), ['keras.exponential', 'keras.piecewise', 'keras.cosine_warmup', 'keras.cosine_restarts', 'keras.plateau', 'keras.lr_scheduler']);
  assert.deepEqual(per('optax'), ['optax.warmup_cosine', 'optax.exponential', 'optax.join', 'optax.sgdr']);
  assert.deepEqual(per('lightning'), per('torch').map((id) => id.replace('torch.', 'lightning.')));
  for (const t of templatesFor('lightning')) assert.equal(t.interval, t.stepping);
  for (const t of allTemplates()) {
    assert.ok(t.label.length > 5 && t.description.length > 20, t.id);
    for (const p of t.params) assert.ok(p.description.length > 5 && (p.kind !== 'choice' || (p.choices?.length ?? 0) >= 2), `${t.id} ${p.name}`);
  }
});

test('(a) each curve is the library closed form at step 0, the warmup boundary, mid-run and the last step', () => {
  for (const t of allTemplates()) {
    const v = t.defaults({ ...RUN, baseLr: LR });
    assert.deepEqual(validateValues(t, v), [], `${t.id} defaults are valid`);
    const want = expectedFor(t)(v, LR);
    const got = t.curve(v, LR, RUN.stepsPerEpoch);
    if (t.needsMetric) {
      assert.equal(got, undefined, `${t.id} has no closed form`);
      assert.equal(want, undefined);
      assert.match(t.description, /no preview/);
      continue;
    }
    assert.ok(got && want, t.id);
    if (t.stepping === 'step') {
      const w = warmupOf(v) ?? 100;
      for (const s of [0, 1, w - 1, w, w + 1, 6000, 11_999, 12_000]) close(got(s), want(s), `${t.id} step ${s}`);
      // Schedules that do not end where they start: the curve is not flat.
      assert.notEqual(got(0), got(9000), `${t.id} moves`);
    } else {
      // Per-epoch schedules hold for a whole epoch: the staircase steps on epoch boundaries.
      for (const e of [0, 1, 2, 9, 10, 11, 15, 29]) {
        close(got(e * 400), want(e), `${t.id} epoch ${e} start`);
        close(got(e * 400 + 399), want(e), `${t.id} epoch ${e} end`);
      }
      assert.equal(t.curve(v, LR), undefined, `${t.id} needs stepsPerEpoch`);
      close(t.schedule(v, LR)!(7), want(7), `${t.id} per epoch`);
    }
  }
});

test('(a) curves at the numbers an engineer would check by hand', () => {
  const at = (id: string, v: Record<string, ParamValue>, s: number, lr = 1e-3): number => templateById(id)!.curve({ ...templateById(id)!.defaults(RUN), ...v }, lr, 400)!(s);
  close(at('torch.cosine', { T_max: 12_000, eta_min: 1e-5 }, 0), 1e-3);
  close(at('torch.cosine', { T_max: 12_000, eta_min: 1e-5 }, 6000), (1e-3 + 1e-5) / 2);
  close(at('torch.cosine', { T_max: 12_000, eta_min: 1e-5 }, 12_000), 1e-5);
  close(at('torch.warmup_cosine', { total_iters: 600, start_factor: 1e-3, T_max: 11_400, eta_min: 0 }, 0), 1e-6);
  close(at('torch.warmup_cosine', { total_iters: 600, start_factor: 1e-3, T_max: 11_400, eta_min: 0 }, 600), 1e-3);
  close(at('torch.warmup_cosine', { total_iters: 600, start_factor: 1e-3, T_max: 11_400, eta_min: 0 }, 12_000), 0);
  // StepLR per epoch: ×0.1 at epoch 10, i.e. optimizer step 4000.
  close(at('torch.step', { step_size: 10, gamma: 0.1 }, 3999), 1e-3);
  close(at('torch.step', { step_size: 10, gamma: 0.1 }, 4000), 1e-4);
  close(at('torch.multistep', { milestones: [15, 23], gamma: 0.1 }, 15 * 400), 1e-4);
  close(at('torch.multistep', { milestones: [15, 23], gamma: 0.1 }, 23 * 400), 1e-5);
  close(at('transformers.linear', { num_warmup_steps: 600, num_training_steps: 12_000 }, 300), 5e-4);
  close(at('transformers.linear', { num_warmup_steps: 600, num_training_steps: 12_000 }, 12_000), 0);
  close(at('optax.warmup_cosine', { init_value: 0, peak_value: 1e-3, warmup_steps: 600, decay_steps: 12_000, end_value: 1e-5 }, 600), 1e-3);
  close(at('optax.warmup_cosine', { init_value: 0, peak_value: 1e-3, warmup_steps: 600, decay_steps: 12_000, end_value: 1e-5 }, 12_000), 1e-5);
  close(at('torch.onecycle', { max_lr: 1e-3, total_steps: 12_000 }, 0), 1e-3 / 25);
  close(at('torch.cyclic', { base_lr: 2.5e-4, max_lr: 1e-3, step_size_up: 1600, mode: 'triangular2' }, 1600), 1e-3);
  close(at('torch.cyclic', { base_lr: 2.5e-4, max_lr: 1e-3, step_size_up: 1600, mode: 'triangular2' }, 4800), 2.5e-4 + 7.5e-4 / 2);
  close(at('keras.lr_scheduler', { decay_start: 10, decay_rate: 0.5 }, 9 * 400 + 399), 1e-3);
  close(at('keras.lr_scheduler', { decay_start: 10, decay_rate: 0.5 }, 10 * 400), 5e-4);
  close(at('keras.lr_scheduler', { decay_start: 10, decay_rate: 0.5 }, 11 * 400), 2.5e-4);
  // The per-step exp_range gamma is used only in that mode.
  const cyc = templateById('torch.cyclic')!;
  assert.deepEqual(
    activeParams(cyc, { ...cyc.defaults(RUN), mode: 'triangular' }).map((p) => p.name),
    ['base_lr', 'max_lr', 'step_size_up', 'mode'],
  );
});

test('(a) invalid values give no curve and say why', () => {
  const cos = templateById('torch.cosine')!;
  assert.deepEqual(validateValues(cos, { T_max: 0, eta_min: 1e-5 }), ['T_max: must be at least 1']);
  assert.equal(cos.curve({ T_max: 0, eta_min: 1e-5 }, 1e-3), undefined);
  assert.deepEqual(validateValues(cos, { T_max: 1.5, eta_min: 1e-5 }), ['T_max: 1.5 is not a whole number']);
  assert.deepEqual(validateValues(cos, { T_max: 100 }), ['eta_min: missing']);
  const ms = templateById('torch.multistep')!;
  assert.deepEqual(validateValues(ms, { milestones: [60, 30], gamma: 0.1 }), ['milestones: must be increasing']);
  const pw = templateById('keras.piecewise')!;
  assert.deepEqual(validateValues(pw, { boundaries: [10, 20], values: [1e-3, 1e-4] }), ['values: needs 3 LRs, one more than boundaries']);
  const cyc = templateById('torch.cyclic')!;
  assert.deepEqual(validateValues(cyc, { base_lr: 1e-2, max_lr: 1e-3, step_size_up: 100, mode: 'triangular' }), ['max_lr: must be at least base_lr']);
  assert.deepEqual(validateValues(cyc, { base_lr: 1e-4, max_lr: 1e-3, step_size_up: 100, mode: 'sawtooth' }), ['mode: must be one of triangular, triangular2, exp_range']);
  const wsd = templateById('transformers.wsd')!;
  assert.match(validateValues(wsd, { ...wsd.defaults(RUN), num_decay_steps: 20_000 })[0]!, /must fit/);
  const r = insertTemplate(cos, analyzeScript(fixtureScript('mnist_main.py')), { T_max: -5, eta_min: 0 });
  assert.ok('reason' in r && /T_max/.test(r.reason));
});

test('parsing and formatting what the user types', () => {
  const cos = templateById('torch.cosine')!;
  const [tmax, eta] = cos.params as [typeof cos.params[0], typeof cos.params[0]];
  assert.deepEqual(parseParamValue(tmax, ' 12_000 '), { value: 12000 });
  assert.deepEqual(parseParamValue(tmax, '1.5'), { error: '1.5 is not a whole number' });
  assert.deepEqual(parseParamValue(tmax, 'abc'), { error: 'a number' });
  assert.deepEqual(parseParamValue(eta, '1e-5'), { value: 1e-5 });
  assert.deepEqual(parseParamValue(eta, '-1'), { error: 'must be at least 0' });
  assert.equal(formatParamValue(eta, 1e-5), '1e-5');
  assert.equal(formatParamValue(tmax, 12000), '12000');
  const ms = templateById('torch.multistep')!.params[0]!;
  assert.deepEqual(parseParamValue(ms, '[30, 60, 90]'), { value: [30, 60, 90] });
  assert.deepEqual(parseParamValue(ms, '30, x'), { error: 'a comma-separated list of numbers' });
  assert.equal(formatParamValue(ms, [30, 60]), '30, 60');
  const mode = templateById('torch.cyclic')!.params.find((p) => p.name === 'mode')!;
  assert.deepEqual(parseParamValue(mode, '"Triangular2"'), { value: 'triangular2' });
  assert.ok('error' in parseParamValue(mode, 'linear'));
});

// ---------------------------------------------------------------------------------
// (c) defaults for a 12,000-step run of 30 epochs of 400 steps

test('(c) defaults for a 12,000-step run (400 steps per epoch) are the usual recipes, in the unit each scheduler counts', () => {
  const d = (id: string): Record<string, ParamValue> => templateById(id)!.defaults(RUN);
  // No base LR in the context: 1e-3, and floors at 1/100 of it.
  assert.deepEqual(d('torch.cosine'), { T_max: 12_000, eta_min: 1e-5 });
  assert.deepEqual(d('torch.warmup_cosine'), { total_iters: 600, start_factor: 1e-3, T_max: 11_400, eta_min: 1e-5 });
  assert.deepEqual(d('torch.warmup_exponential'), { total_iters: 600, start_factor: 1e-3, gamma: 0.9996 });
  assert.deepEqual(d('torch.step'), { step_size: 10, gamma: 0.1 });
  assert.deepEqual(d('torch.multistep'), { milestones: [15, 23], gamma: 0.1 });
  assert.deepEqual(d('torch.exponential'), { gamma: 0.86 });
  assert.deepEqual(d('torch.polynomial'), { total_iters: 12_000, power: 1 });
  assert.deepEqual(d('torch.linear'), { start_factor: 1e-3, end_factor: 1, total_iters: 600 });
  assert.deepEqual(d('torch.constant'), { factor: 0.1, total_iters: 600 });
  assert.deepEqual(d('torch.cosine_restarts'), { T_0: 10, T_mult: 2, eta_min: 1e-5 });
  assert.deepEqual(d('torch.cyclic'), { base_lr: 2.5e-4, max_lr: 1e-3, step_size_up: 1600, mode: 'triangular', gamma: 0.99981 });
  assert.deepEqual(d('torch.onecycle'), { max_lr: 1e-3, total_steps: 12_000, pct_start: 0.3, anneal_strategy: 'cos', div_factor: 25, final_div_factor: 1e4 });
  assert.deepEqual(d('torch.plateau'), { mode: 'min', factor: 0.1, patience: 5, min_lr: 1e-5 });
  assert.deepEqual(d('torch.chained'), { factor: 0.1, total_iters: 2, gamma: 0.86 });
  assert.deepEqual(d('torch.inverse_sqrt'), { num_warmup_steps: 600 });
  assert.deepEqual(d('transformers.cosine'), { num_warmup_steps: 600, num_training_steps: 12_000, num_cycles: 0.5 });
  assert.deepEqual(d('transformers.wsd'), { num_warmup_steps: 600, num_training_steps: 12_000, num_decay_steps: 1200, decay_type: 'cosine', min_lr_ratio: 0 });
  assert.deepEqual(d('keras.exponential'), { initial_learning_rate: 1e-3, decay_steps: 400, decay_rate: 0.86, staircase: 'False' });
  assert.deepEqual(d('keras.piecewise'), { boundaries: [6000, 9000], values: [1e-3, 1e-4, 1e-5] });
  assert.deepEqual(d('keras.cosine_warmup'), { initial_learning_rate: 0, warmup_target: 1e-3, warmup_steps: 600, decay_steps: 11_400, alpha: 0.01 });
  assert.deepEqual(d('keras.cosine_restarts'), { initial_learning_rate: 1e-3, first_decay_steps: 1700, t_mul: 2, m_mul: 1, alpha: 0.01 });
  assert.deepEqual(d('keras.lr_scheduler'), { decay_start: 10, decay_rate: 0.79 });
  assert.deepEqual(d('optax.warmup_cosine'), { init_value: 0, peak_value: 1e-3, warmup_steps: 600, decay_steps: 12_000, end_value: 1e-5 });
  assert.deepEqual(d('optax.sgdr'), { cycles: 3, peak_value: 1e-3, warmup_steps: 200, decay_steps: 4000, end_value: 1e-5 });
  // Per-epoch knobs are in epochs, per-step knobs in steps, within the run.
  for (const t of allTemplates()) {
    const v = t.defaults(RUN);
    for (const p of t.params) {
      const xs = Array.isArray(v[p.name]) ? (v[p.name] as number[]) : typeof v[p.name] === 'number' ? [v[p.name] as number] : [];
      for (const x of xs) {
        if (p.unit === 'epochs') assert.ok(x >= 0 && x <= 30, `${t.id} ${p.name}=${x} epochs`);
        if (p.unit === 'steps') assert.ok(x >= 0 && x <= 12_000, `${t.id} ${p.name}=${x} steps`);
        if (p.unit === 'ratio') assert.ok(x >= 0 && x <= 1, `${t.id} ${p.name}=${x}`);
        if (p.unit === 'lr') assert.ok(x >= 0 && x <= 1e-3, `${t.id} ${p.name}=${x}`);
      }
      if (t.stepping === 'epoch' && p.unit === 'steps') assert.fail(`${t.id}: ${p.name} is in steps but the scheduler counts epochs`);
      if (t.stepping === 'step' && p.unit === 'epochs') assert.fail(`${t.id}: ${p.name} is in epochs but the scheduler counts steps`);
    }
    // The default schedule spans the run: a decaying schedule is near its floor at the end, not long before.
    const f = t.curve(v, 1e-3, 400);
    if (f && !/cyclic|constant|linear$|inverse_sqrt|restarts|sgdr|plateau/.test(t.id)) assert.ok(f(6000) > f(11_999), `${t.id} still decays in the second half`);
  }
  // With the run's LR, the LR knobs follow it; with nothing known, sensible fallbacks.
  assert.deepEqual(templateById('torch.cosine')!.defaults({ ...RUN, baseLr: 3e-4 }), { T_max: 12_000, eta_min: 3e-6 });
  assert.deepEqual(templateById('torch.cosine')!.defaults({}), { T_max: 10_000, eta_min: 1e-5 });
  assert.deepEqual(templateById('torch.step')!.defaults({}), { step_size: 10, gamma: 0.1 });
  assert.deepEqual(templateById('torch.step')!.defaults({ epochs: 90 }), { step_size: 30, gamma: 0.1 });
  // The warmup is 5% of the run, rounded to two significant digits.
  assert.equal(templateById('transformers.linear')!.defaults({ totalSteps: 11_732 }).num_warmup_steps, 590);
});

test('the sizing context comes from the run, else from the script', () => {
  const mnist = analyzeScript(fixtureScript('mnist_main.py'));
  assert.deepEqual(templateContext(mnist, RUN), { ...RUN, baseLr: 1.0 });
  assert.deepEqual(templateContext(mnist), { baseLr: 1.0, epochs: 14 });
  const nano = analyzeScript(fixtureScript('nanogpt_train.py'));
  assert.deepEqual(templateContext(nano), { baseLr: 6e-4, totalSteps: 600_000 });
  const glue = analyzeScript(fixtureScript('run_glue_trainer.py'));
  assert.deepEqual(templateContext(glue, { totalSteps: 690 }), { totalSteps: 690, baseLr: 2e-5 });
  // A schedule already driving the optimizer is not its base LR.
  const flax = analyzeScript(fixtureScript('flax_optax.py'));
  assert.equal(templateContext(flax).baseLr, 1e-3);
});

test('currentTemplate: the schedule a script already has, with its values, to start the command from', () => {
  const cur = (f: string) => currentTemplate(analyzeScript(fixtureScript(f)), RUN);
  const mnist = cur('mnist_main.py')!;
  assert.equal(mnist.template.id, 'torch.step');
  assert.deepEqual(mnist.values, { step_size: 1, gamma: 0.7 });
  assert.equal(mnist.line, 73);
  assert.deepEqual(cur('imagenet_main.py')!.values, { step_size: 30, gamma: 0.1 });
  const flax = cur('flax_optax.py')!;
  assert.equal(flax.template.id, 'optax.warmup_cosine');
  assert.deepEqual(flax.values, { init_value: 0, peak_value: 1e-3, warmup_steps: 500, decay_steps: 5000, end_value: 1e-5 });
  // OneCycleLR given epochs × steps_per_epoch: total_steps is not written, so it comes from the run.
  const light = cur('lightning_module.py')!;
  assert.equal(light.template.id, 'lightning.onecycle');
  assert.deepEqual(light.fromScript, ['max_lr']);
  assert.equal(light.values.total_steps, 12_000);
  assert.equal(light.values.max_lr, 3e-4);
  const glue = cur('run_glue_trainer.py')!;
  assert.equal(glue.template.id, 'transformers.linear');
  assert.deepEqual(glue.values, { num_warmup_steps: 0, num_training_steps: 12_000 });
  // get_scheduler(name=args.lr_scheduler_type) with the argparse default "linear".
  const clm = cur('run_clm_no_trainer.py')!;
  assert.equal(clm.template.id, 'transformers.linear');
  assert.deepEqual(clm.fromScript, ['num_warmup_steps']);
  assert.equal(cur('keras_classifier.py'), undefined);
  assert.equal(cur('nanogpt_train.py'), undefined);
  assert.equal(cur('timm_train.py'), undefined);
});

test('detectFramework pre-selects the script framework', () => {
  const want: Record<string, TemplateFramework | undefined> = {
    'mnist_main.py': 'torch',
    'imagenet_main.py': 'torch',
    'nanogpt_train.py': 'torch',
    'timm_train.py': 'torch',
    'run_clm_no_trainer.py': 'transformers',
    'run_glue_trainer.py': 'transformers',
    'keras_classifier.py': 'keras',
    'flax_optax.py': 'optax',
    'lightning_module.py': 'lightning',
  };
  for (const [f, fw] of Object.entries(want)) assert.equal(detectFramework(analyzeScript(fixtureScript(f))), fw, f);
  assert.equal(detectFramework(analyzeScript('import numpy as np\nx = 1\n')), undefined);
  assert.equal(detectFramework(analyzeScript('import tensorflow as tf\nmodel.compile(optimizer="adam")\n')), 'keras');
});

// ---------------------------------------------------------------------------------
// (b) inserting into the fixture scripts

const FIXTURES: Record<TemplateFramework, string[]> = {
  torch: ['mnist_main.py', 'imagenet_main.py', 'nanogpt_train.py', 'run_clm_no_trainer.py'],
  transformers: ['run_clm_no_trainer.py', 'run_glue_trainer.py'],
  keras: ['keras_classifier.py'],
  optax: ['flax_optax.py'],
  lightning: ['lightning_module.py'],
};

/** The names each `import` statement brings in, in order (duplicates kept). */
function importedNames(model: ScriptModel): string[] {
  const out: string[] = [];
  for (const st of nodesOfType(model.doc, new Set(['ImportStatement']))) {
    const text = model.doc.textOf(st).replace(/\s+/g, ' ');
    const m = /^from\s+\S+\s+import\s+\(?(.*?)\)?$/.exec(text);
    const names = m ? m[1]!.split(',') : text.replace(/^import\s+/, '').split(',');
    for (const raw of names) {
      const n = raw.trim().split(/\s+as\s+/).pop()!.trim();
      if (n) out.push(n);
    }
  }
  return out;
}

/** The text with every exploded call/list/dict joined back onto one line (to check content, not layout). */
function joined(text: string): string {
  return text
    .replace(/([([{])[ \t]*\r?\n\s*/g, '$1')
    .replace(/,[ \t]*\r?\n\s*([)\]}])/g, '$1')
    .replace(/,[ \t]*\r?\n\s*/g, ', ');
}

/** Lines of `after` that `before` does not have (as a multiset). */
function addedLines(before: string, after: string): string[] {
  const pool = new Map<string, number>();
  for (const l of linesOf(before)) pool.set(l, (pool.get(l) ?? 0) + 1);
  const out: string[] = [];
  for (const l of linesOf(after)) {
    const c = pool.get(l) ?? 0;
    if (c > 0) pool.set(l, c - 1);
    else out.push(l);
  }
  return out;
}

/** The values the script form of a template keeps (the Trainer takes the run length from its own arguments). */
function writtenValues(t: ScheduleTemplate, v: TemplateValues, model: ScriptModel): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const p of activeParams(t, v)) out[p.name] = v[p.name]!;
  if (model.trainingArguments.length && t.trainer && t.trainer.type !== 'warmup_stable_decay') delete out.num_training_steps;
  return out;
}

function checkInsert(t: ScheduleTemplate, fixture: string): string {
  const text = fixtureScript(fixture);
  const model = analyzeScript(text);
  const v = t.defaults(templateContext(model, RUN));
  const r = t.insert(model, v);
  assert.ok(r, `${t.id} into ${fixture}: ${JSON.stringify(insertTemplate(t, model, v))}`);
  assert.ok(r.title.length > 10);
  const after = applyEdits(text, r.edits);
  const m2 = analyzeScript(after);
  const where = `${t.id} into ${fixture}:\n${after}`;
  assert.deepEqual(m2.syntaxErrors, [], `syntax errors: ${where}`);
  // Each import once, and at most one new import line.
  const names = importedNames(m2);
  assert.equal(new Set(names).size, names.length, `duplicate import: ${where}`);
  assert.ok(nodesOfType(m2.doc, new Set(['ImportStatement'])).length - nodesOfType(model.doc, new Set(['ImportStatement'])).length <= 1, `import lines: ${where}`);
  // Indentation: every new line is indented by whole steps of the file's 4 spaces.
  for (const l of addedLines(text, after)) assert.match(l, /^( {4})*(\S|$)/, `indentation of ${JSON.stringify(l)}: ${where}`);
  // The values read back from the re-analysed script are the ones given.
  const read = t.read(m2);
  assert.ok(read, `not found again: ${where}`);
  assert.deepEqual(read.values, writtenValues(t, v, model), where);
  // Wired to the script's optimizer, and stepped at its cadence.
  const o = mainOptimizer(model);
  const optVar = o?.variable ?? 'optimizer';
  if (t.wiring === 'scheduler' && m2.trainingArguments.length && t.trainer) {
    assert.equal(m2.trainingArguments[0]!.schedulerType, t.trainer.type, where);
  } else if (t.wiring === 'scheduler') {
    const s = m2.schedulers.find((x) => x.line === read.line && x.call === t.call && x.partOf === undefined)!;
    const wrapped = s.optimizerExpr ?? m2.schedulers[s.children[0]!]!.optimizerExpr;
    assert.equal(wrapped, optVar, `wraps ${optVar}: ${where}`);
    const index = m2.schedulers.indexOf(s);
    if (t.framework === 'lightning') {
      const l = m2.lightning.find((x) => x.scheduler === index);
      assert.ok(l, `handed to Lightning: ${where}`);
      assert.equal(l.interval, t.interval);
    } else {
      const steps = m2.steps.filter((x) => x.kind === 'scheduler' && x.target === index);
      if (r.notes.some((x) => /^No epoch loop found/.test(x))) {
        // nanoGPT has no epoch loop: a comment says where the per-epoch step goes.
        assert.equal(steps.length, 0);
        assert.match(after, /^# Call scheduler\.step\(.*\) once per epoch/m);
        return after;
      }
      assert.equal(steps.length, 1, `one step call: ${where}`);
      assert.equal(steps[0]!.loop, t.stepping === 'step' ? 'batch' : 'epoch', where);
      assert.equal(steps[0]!.args.length > 0, t.needsMetric, where);
    }
  } else if (t.wiring === 'lr') {
    const opt = m2.optimizers.find((x) => x.framework === t.framework && x.lrSchedule !== undefined);
    assert.ok(opt, `the optimizer takes the schedule: ${where}`);
    assert.equal(m2.schedulers[opt.lrSchedule!]!.call, t.call, where);
  } else {
    const cb = m2.schedulers.find((x) => x.call === t.call)!;
    assert.ok(cb.implicitLoop === 'epoch');
    assert.ok(/callbacks=callbacks/.test(after) && new RegExp(`callbacks = \\[[^\\]]*${t.call.split('.').pop()!}`, 's').test(after), `passed to fit: ${where}`);
  }
  return after;
}

for (const fw of Object.keys(FIXTURES) as TemplateFramework[]) {
  test(`(b) every ${fw} template inserts into ${FIXTURES[fw].join(', ')}: parses, wired, imported once, indented, read back`, () => {
    for (const t of templatesFor(fw)) for (const f of FIXTURES[fw]) checkInsert(t, f);
  });
}

test('(b) mnist: a per-step scheduler replaces StepLR and is passed into train(), stepped after optimizer.step()', () => {
  const after = checkInsert(templateById('torch.warmup_cosine')!, 'mnist_main.py');
  const lines = linesOf(after);
  assert.equal(lines[10], 'from torch.optim.lr_scheduler import StepLR, SequentialLR, LinearLR, CosineAnnealingLR');
  assert.equal(lines[25], 'def train(args, model, device, train_loader, optimizer, epoch, scheduler=None):');
  assert.deepEqual(lines.slice(33, 36), ['        optimizer.step()', '        if scheduler is not None:', '            scheduler.step()']);
  const i = lines.indexOf('    scheduler = SequentialLR(');
  assert.deepEqual(lines.slice(i, i + 8), [
    '    scheduler = SequentialLR(',
    '        optimizer,',
    '        schedulers=[',
    '            LinearLR(optimizer, start_factor=0.001, end_factor=1.0, total_iters=600),',
    '            CosineAnnealingLR(optimizer, T_max=11_400, eta_min=0.01),',
    '        ],',
    '        milestones=[600],',
    '    )',
  ]);
  assert.ok(lines.includes('        train(args, model, device, train_loader, optimizer, epoch, scheduler=scheduler)'));
  // The per-epoch step of StepLR is gone.
  assert.equal(lines.filter((l) => l.trim() === 'scheduler.step()').length, 1);
});

test('(b) mnist: ReduceLROnPlateau captures the test loss and steps with it once per epoch', () => {
  const t = templateById('torch.plateau')!;
  const after = checkInsert(t, 'mnist_main.py');
  const lines = linesOf(after);
  assert.deepEqual(lines.slice(lines.indexOf('    scheduler = ReduceLROnPlateau('), lines.indexOf('    scheduler = ReduceLROnPlateau(') + 7), [
    '    scheduler = ReduceLROnPlateau(',
    '        optimizer,',
    "        mode='min',",
    '        factor=0.1,',
    '        patience=5,',
    '        min_lr=0.01,',
    '    )',
  ]);
  assert.ok(lines.includes('        val_loss = test(model, device, test_loader)'));
  assert.ok(lines.includes('        scheduler.step(val_loss)'));
});

test('(b) imagenet: epoch-wise templates keep the per-epoch step; CyclicLR on SGD keeps momentum cycling, on Adadelta turns it off', () => {
  const a = checkInsert(templateById('torch.multistep')!, 'imagenet_main.py');
  assert.ok(linesOf(a).includes('    scheduler = MultiStepLR(optimizer, milestones=[15, 23], gamma=0.1)'));
  assert.ok(linesOf(a).includes('        scheduler.step()'));
  const b = checkInsert(templateById('torch.cyclic')!, 'imagenet_main.py');
  assert.ok(linesOf(joined(b)).includes("    scheduler = CyclicLR(optimizer, base_lr=0.025, max_lr=args.lr, step_size_up=1600, mode='triangular')"), b);
  const c = checkInsert(templateById('torch.cyclic')!, 'mnist_main.py');
  assert.match(c, /cycle_momentum=False/);
});

test('(b) nanoGPT: the scheduler goes on the optimizer its loop steps, after scaler.update(), and the hand-written LR update goes', () => {
  const t = templateById('torch.warmup_cosine')!;
  const model = analyzeScript(fixtureScript('nanogpt_train.py'));
  const r = t.insert(model, t.defaults(templateContext(model, RUN)))!;
  assert.ok(r.notes.some((n) => /hand-written LR update at line 97/.test(n)), r.notes.join('\n'));
  const after = checkInsert(t, 'nanogpt_train.py');
  const lines = linesOf(after);
  const i = lines.indexOf('    scaler.update()');
  assert.equal(lines[i + 1], '    scheduler.step()');
  assert.equal(lines.filter((l) => /param_group\['lr'\]/.test(l)).length, 0);
  assert.equal(lines.filter((l) => /for param_group in optimizer.param_groups/.test(l)).length, 0);
  // nanoGPT imports only `torch`: the scheduler is spelled in full, no import added.
  assert.match(after, /^scheduler = torch\.optim\.lr_scheduler\.SequentialLR\($/m);
  assert.match(joined(after), /torch\.optim\.lr_scheduler\.LinearLR\(optimizer, start_factor=0\.001, end_factor=1\.0, total_iters=600\)/);
});

test('(b) run_clm: get_scheduler is replaced in place; an epoch-wise template moves lr_scheduler.step() to the end of the epoch', () => {
  const a = checkInsert(templateById('transformers.cosine')!, 'run_clm_no_trainer.py');
  assert.match(joined(a), /^ {4}lr_scheduler = get_cosine_schedule_with_warmup\(optimizer, num_warmup_steps=600, num_training_steps=12_000, num_cycles=0\.5\)$/m);
  assert.match(a, /^ {4}get_scheduler, get_cosine_schedule_with_warmup,$/m);
  const b = checkInsert(templateById('torch.step')!, 'run_clm_no_trainer.py');
  const lines = linesOf(b);
  assert.equal(lines[lines.indexOf('                break') + 1], '        lr_scheduler.step()');
});

test('(b) the Trainer: lr_scheduler_type, warmup_steps and lr_scheduler_kwargs in TrainingArguments', () => {
  const a = checkInsert(templateById('transformers.cosine_restarts')!, 'run_glue_trainer.py');
  const lines = linesOf(a);
  assert.ok(lines.includes('    lr_scheduler_type="cosine_with_restarts",'));
  assert.ok(lines.includes('    warmup_steps=600,'));
  assert.ok(lines.includes('    lr_scheduler_kwargs={"num_cycles": 3},'));
  const b = checkInsert(templateById('transformers.linear')!, 'run_glue_trainer.py');
  assert.doesNotMatch(b, /lr_scheduler_kwargs/);
  // A warmup_ratio gives way to warmup_steps; stale kwargs go.
  const src = py`
    from transformers import TrainingArguments
    args = TrainingArguments(output_dir="o", warmup_ratio=0.1, lr_scheduler_type="cosine", lr_scheduler_kwargs={"num_cycles": 2})
  `;
  const t = templateById('transformers.linear')!;
  const r = t.insert(analyzeScript(src), { num_warmup_steps: 300, num_training_steps: 5000 })!;
  assert.equal(linesOf(applyEdits(src, r.edits))[1], 'args = TrainingArguments(output_dir="o", lr_scheduler_type="linear", warmup_steps=300)');
  // A torch scheduler has no optimizer to wrap in a Trainer script.
  const g = analyzeScript(fixtureScript('run_glue_trainer.py'));
  const why = insertTemplate(templateById('torch.cosine')!, g, templateById('torch.cosine')!.defaults(RUN));
  assert.ok('reason' in why && /Trainer builds the optimizer/.test(why.reason));
});

test('(b) Keras: the schedule becomes the optimizer learning rate; callbacks join the fit callbacks list', () => {
  const a = checkInsert(templateById('keras.cosine_warmup')!, 'keras_classifier.py');
  const lines = linesOf(a);
  const i = lines.indexOf('lr_schedule = keras.optimizers.schedules.CosineDecay(');
  assert.ok(i > 0, a);
  assert.equal(lines[i + 7], 'model.compile(');
  assert.ok(lines.includes('    optimizer=keras.optimizers.Adam(lr_schedule),'));
  const b = checkInsert(templateById('keras.lr_scheduler')!, 'keras_classifier.py');
  const bl = linesOf(b);
  const d = bl.indexOf('def lr_schedule(epoch, lr):');
  assert.deepEqual(bl.slice(d - 3, d + 7), ['epochs = 15', '', '', 'def lr_schedule(epoch, lr):', '    if epoch < 10:', '        return lr', '    return lr * 0.79', '', '', 'callbacks = [']);
  assert.ok(bl.includes('    keras.callbacks.LearningRateScheduler(lr_schedule),'));
  // `compile(optimizer="adam")`: the string becomes an optimizer taking the schedule.
  const src = py`
    import keras
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, y, callbacks=[keras.callbacks.ReduceLROnPlateau(patience=2)])
  `;
  const t = templateById('keras.exponential')!;
  const r = t.insert(analyzeScript(src), t.defaults(RUN))!;
  const out = applyEdits(src, r.edits);
  assert.equal(
    out,
    [
      'import keras',
      'lr_schedule = keras.optimizers.schedules.ExponentialDecay(',
      '    initial_learning_rate=0.001,',
      '    decay_steps=400,',
      '    decay_rate=0.86,',
      '    staircase=False,',
      ')',
      'model.compile(optimizer=keras.optimizers.Adam(learning_rate=lr_schedule), loss="mse")',
      'model.fit(x, y, callbacks=[])',
      '',
    ].join('\n'),
  );
  assert.ok(r.notes.some((x) => /cannot change the LR of an optimizer driven by a schedule/.test(x)));
  // And the other way round: an LR callback on an optimizer driven by a schedule gets its starting LR.
  const src2 = py`
    import keras
    lr_schedule = keras.optimizers.schedules.ExponentialDecay(1e-2, decay_steps=1000, decay_rate=0.5)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr_schedule))
    model.fit(x, y)
  `;
  const p = templateById('keras.plateau')!;
  const out2 = applyEdits(src2, p.insert(analyzeScript(src2), p.defaults(RUN))!.edits);
  assert.match(out2, /SGD\(learning_rate=1e-2\)/);
  assert.match(joined(out2), /model\.fit\(x, y, callbacks=\[keras\.callbacks\.ReduceLROnPlateau\(monitor="val_loss", factor=0\.2, patience=5, min_lr=1e-5\)\]\)/);
});

test('(b) optax: the schedule replaces the one driving adamw and keeps the learning_rate variable', () => {
  const a = checkInsert(templateById('optax.join')!, 'flax_optax.py');
  assert.match(a, /optax\.linear_schedule\(init_value=0\.0, end_value=learning_rate, transition_steps=600\)/);
  assert.match(a, /optax\.adamw\(learning_rate=schedule, weight_decay=1e-4\)/);
  const src = py`
    import optax
    tx = optax.adam(learning_rate=3e-4)
  `;
  const t = templateById('optax.warmup_cosine')!;
  const out = applyEdits(src, t.insert(analyzeScript(src), t.defaults({ ...RUN, baseLr: 3e-4 }))!.edits);
  assert.equal(
    joined(out),
    ['import optax', 'schedule = optax.warmup_cosine_decay_schedule(init_value=0.0, peak_value=3e-4, warmup_steps=600, decay_steps=12_000, end_value=3e-6)', 'tx = optax.adam(learning_rate=schedule)', ''].join('\n'),
  );
});

test('(b) Lightning: the scheduler config gets "interval": "step" (and "monitor" for ReduceLROnPlateau); `return optimizer` becomes the dict', () => {
  const a = checkInsert(templateById('lightning.cosine')!, 'lightning_module.py');
  const lines = linesOf(a);
  assert.ok(lines.includes('        scheduler = OneCycleLR(') === false);
  assert.ok(lines.includes('        scheduler = CosineAnnealingLR(optimizer, T_max=12_000, eta_min=3e-6)'), a);
  assert.ok(lines.includes('                "interval": "step",'));
  const src = py`
    import torch
    import lightning as L

    class M(L.LightningModule):
        def configure_optimizers(self):
            opt = torch.optim.SGD(self.parameters(), lr=0.1, momentum=0.9)
            return opt
  `;
  const t = templateById('lightning.plateau')!;
  const r = t.insert(analyzeScript(src), t.defaults(RUN))!;
  const out = applyEdits(src, r.edits);
  assert.deepEqual(linesOf(out).slice(5), [
    '        opt = torch.optim.SGD(self.parameters(), lr=0.1, momentum=0.9)',
    '        scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(',
    '            opt,',
    '            mode="min",',
    '            factor=0.1,',
    '            patience=5,',
    '            min_lr=1e-5,',
    '        )',
    '        return {',
    '            "optimizer": opt,',
    '            "lr_scheduler": {',
    '                "scheduler": scheduler,',
    '                "interval": "epoch",',
    '                "monitor": "val_loss",',
    '            },',
    '        }',
    '',
  ]);
  assert.ok(r.notes.some((x) => /log it in validation_step/.test(x)));
  const m = analyzeScript(out);
  assert.equal(m.lightning[0]!.interval, 'epoch');
  assert.equal(m.schedulers[m.lightning[0]!.scheduler!]!.call, 'torch.optim.lr_scheduler.ReduceLROnPlateau');
});

test('(b) a new scheduler in a plain loop: after the optimizer, stepped per batch or at the end of the epoch', () => {
  const src = py`
    import torch

    def main():
        model = Net()
        optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
        for epoch in range(30):
            for batch in loader:
                loss = model(batch)
                loss.backward()
                optimizer.step()
                optimizer.zero_grad()
            val_loss = evaluate(model)
            print(epoch, val_loss)
  `;
  const m = analyzeScript(src);
  const cos = templateById('torch.cosine')!;
  const a = applyEdits(src, cos.insert(m, cos.defaults(templateContext(m, RUN)))!.edits);
  assert.deepEqual(linesOf(joined(a)).slice(4, 12), [
    '    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)',
    '    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=12_000, eta_min=3e-6)',
    '    for epoch in range(30):',
    '        for batch in loader:',
    '            loss = model(batch)',
    '            loss.backward()',
    '            optimizer.step()',
    '            scheduler.step()',
  ]);
  const plateau = templateById('torch.plateau')!;
  const b = applyEdits(src, plateau.insert(m, plateau.defaults(templateContext(m, RUN)))!.edits);
  assert.deepEqual(linesOf(b).slice(-4), ['        val_loss = evaluate(model)', '        print(epoch, val_loss)', '        scheduler.step(val_loss)', '']);
  // `at`: a line between the optimizer and the loop is used; one inside the loop is not.
  const src2 = src.replace('    for epoch in range(30):', '    best = None\n    for epoch in range(30):');
  const m2 = analyzeScript(src2);
  const c = cos.insert(m2, cos.defaults(RUN), { line: 6 })!;
  assert.deepEqual(linesOf(joined(applyEdits(src2, c.edits))).slice(4, 8), [
    '    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)',
    '    best = None',
    '    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=12_000, eta_min=1e-5)',
    '    for epoch in range(30):',
  ]);
  const d = cos.insert(m2, cos.defaults(RUN), { line: 9 })!;
  assert.equal(linesOf(joined(applyEdits(src2, d.edits)))[5], '    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=12_000, eta_min=1e-5)');
  assert.ok(d.notes.some((x) => /Line 10 is not between the optimizer/.test(x)));
});

test('(b) an epoch-stepped StepLR replaced by a per-step schedule: its step moves into the batch loop', () => {
  const src = py`
    import torch
    from torch.optim.lr_scheduler import StepLR

    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = StepLR(optimizer, step_size=30)
    for epoch in range(90):
        for x, y in train_loader:
            optimizer.zero_grad()
            loss_fn(model(x), y).backward()
            optimizer.step()
        scheduler.step()
  `;
  const t = templateById('torch.onecycle')!;
  const r = t.insert(analyzeScript(src), t.defaults({ ...RUN, baseLr: 0.1 }))!;
  assert.equal(r.title, 'Replace StepLR (line 5) with OneCycleLR, stepped after every optimizer.step() (line 10)');
  const out = applyEdits(src, r.edits);
  assert.deepEqual(linesOf(out).slice(1, 2), ['from torch.optim.lr_scheduler import StepLR, OneCycleLR']);
  assert.deepEqual(linesOf(joined(out)).slice(4, 12), [
    'scheduler = OneCycleLR(optimizer, max_lr=0.1, total_steps=12_000, pct_start=0.3, anneal_strategy="cos", div_factor=25.0, final_div_factor=1e4)',
    'for epoch in range(90):',
    '    for x, y in train_loader:',
    '        optimizer.zero_grad()',
    '        loss_fn(model(x), y).backward()',
    '        optimizer.step()',
    '        scheduler.step()',
    '',
  ]);
  const same = templateById('torch.step')!;
  assert.match(same.insert(analyzeScript(src), { step_size: 20, gamma: 0.5 })!.title, /^Update StepLR \(line 5\), stepped once per epoch/);
});

test('(b) Keras: `at` puts the schedule where asked when that is before the optimizer', () => {
  const src = py`
    import keras

    model = build()
    steps = 100
    opt = keras.optimizers.Adam(learning_rate=1e-3)
    model.compile(optimizer=opt, loss="mse")
  `;
  const t = templateById('keras.cosine_restarts')!;
  const a = linesOf(joined(applyEdits(src, t.insert(analyzeScript(src), t.defaults(RUN), { line: 3 })!.edits)));
  assert.match(a[3]!, /^lr_schedule = keras\.optimizers\.schedules\.CosineDecayRestarts\(initial_learning_rate=0\.001, /);
  assert.equal(a[4], 'steps = 100');
  assert.equal(a[5], 'opt = keras.optimizers.Adam(learning_rate=lr_schedule)');
  const late = t.insert(analyzeScript(src), t.defaults(RUN), { line: 5 })!;
  assert.match(linesOf(joined(applyEdits(src, late.edits)))[4]!, /^lr_schedule = /);
  assert.ok(late.notes.some((x) => /not before the optimizer/.test(x)));
});

test('(b) no training loop to be found: a comment says where to step it', () => {
  const src = py`
    import torch
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    trainer.run(optimizer)
  `;
  for (const [id, comment] of [
    ['torch.cosine', '# Call scheduler.step() after every optimizer.step().'],
    ['torch.step', "# Call scheduler.step() once per epoch, after the epoch's batches."],
    ['torch.plateau', '# Call scheduler.step(val_loss) once per epoch, after validation.'],
  ] as const) {
    const t = templateById(id)!;
    const r = t.insert(analyzeScript(src), t.defaults(RUN))!;
    const lines = linesOf(joined(applyEdits(src, r.edits)));
    assert.equal(lines[3], comment, id);
    assert.match(lines[2]!, /^scheduler = torch\.optim\.lr_scheduler\.\w+\(optimizer, /);
    assert.ok(r.notes.some((x) => /found/.test(x)));
  }
});

test('(b) tabs and CRLF line endings are kept', () => {
  const src = 'import torch\r\n\r\ndef main():\r\n\topt = torch.optim.SGD(m.parameters(), lr=0.1)\r\n\tfor epoch in range(10):\r\n\t\tfor x in loader:\r\n\t\t\topt.step()\r\n';
  const t = templateById('torch.warmup_cosine')!;
  const out = applyEdits(src, t.insert(analyzeScript(src), t.defaults({ totalSteps: 100_000 }))!.edits);
  assert.ok(!/[^\r]\n/.test(out), 'only CRLF');
  const lines = out.split('\r\n');
  assert.equal(lines[4], '\tscheduler = torch.optim.lr_scheduler.SequentialLR(');
  assert.equal(lines[5], '\t\topt,');
  assert.deepEqual(lines.slice(7, 13), ['\t\t\ttorch.optim.lr_scheduler.LinearLR(', '\t\t\t\topt,', '\t\t\t\tstart_factor=0.001,', '\t\t\t\tend_factor=1.0,', '\t\t\t\ttotal_iters=5000,', '\t\t\t),']);
  assert.ok(lines.includes('\t\t\topt.step()') && lines.includes('\t\t\tscheduler.step()'));
  assert.deepEqual(analyzeScript(out).syntaxErrors, []);
});

test('(b) scripts with no place for a template say why', () => {
  const timm = analyzeScript(fixtureScript('timm_train.py'));
  const cos = templateById('torch.cosine')!;
  const r = insertTemplate(cos, timm, cos.defaults(RUN));
  assert.ok('reason' in r && /timm's scheduler/.test(r.reason));
  assert.equal(cos.insert(timm, cos.defaults(RUN)), undefined);
  const keras = analyzeScript(fixtureScript('keras_classifier.py'));
  const k = insertTemplate(templateById('optax.sgdr')!, keras, templateById('optax.sgdr')!.defaults(RUN));
  assert.ok('reason' in k && /No optax optimizer/.test(k.reason));
  const noFit = analyzeScript('import keras\nopt = keras.optimizers.Adam(1e-3)\n');
  const cb = insertTemplate(templateById('keras.plateau')!, noFit, templateById('keras.plateau')!.defaults(RUN));
  assert.ok('reason' in cb && /model\.fit/.test(cb.reason));
  const empty = insertTemplate(cos, analyzeScript('x = 1\n'), cos.defaults(RUN));
  assert.ok('reason' in empty && /No PyTorch optimizer/.test(empty.reason));
});

test('every schedule the snippets construct has a template', () => {
  const root = repoRoot();
  const calls = new Set<string>();
  for (const f of fs.readdirSync(path.join(root, 'snippets'))) {
    const snippets = JSON.parse(fs.readFileSync(path.join(root, 'snippets', f), 'utf8')) as Record<string, { body: string[] }>;
    for (const s of Object.values(snippets)) {
      const body = s.body.join('\n').replace(/\$\{\d+\|([^,|}]*)[^}]*\|\}/g, '$1').replace(/\$\{\d+:([^${}]*)\}/g, '$1').replace(/\$\{\d+:([^${}]*)\}/g, '$1').replace(/\$\d+/g, 'optimizer');
      const m = analyzeScript(`import torch\n${body}`);
      for (const sc of m.schedulers) if (sc.partOf === undefined) calls.add(sc.call);
    }
  }
  assert.ok(calls.size >= 25, [...calls].join(', '));
  const covered = new Set(allTemplates().map((t) => t.call));
  for (const c of calls) assert.ok(covered.has(c), `no template constructs ${c}`);
});

test('every template against every fixture script: no throw, and whatever it inserts parses and reads back', () => {
  const dir = path.join(repoRoot(), 'test/fixtures/scripts');
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.py'))) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const model = analyzeScript(text);
    for (const t of allTemplates()) {
      for (const at of [undefined, { line: 40 }]) {
        const r = insertTemplate(t, model, t.defaults(templateContext(model, RUN)), at);
        if ('reason' in r) {
          assert.ok(r.reason.length > 20, `${t.id} into ${f}: ${r.reason}`);
          continue;
        }
        const m2 = analyzeScript(applyEdits(text, r.edits));
        assert.deepEqual(m2.syntaxErrors, [], `${t.id} into ${f} at ${JSON.stringify(at)}`);
        assert.ok(t.read(m2), `${t.id} into ${f} is found again`);
      }
    }
  }
});
