// Schedule identification on curves made by the libraries' own closed forms
// (src/core/schedules/{pytorch,huggingface,keras,optax}.ts, pinned by their own tests),
// observed the way real logs observe them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitBreakpoints, fitCurve, fitSchedule } from '../../src/core/schedules/fit';
import * as hf from '../../src/core/schedules/huggingface';
import * as keras from '../../src/core/schedules/keras';
import * as optax from '../../src/core/schedules/optax';
import * as pt from '../../src/core/schedules/pytorch';
import type { ScheduleFit, ScheduleFn } from '../../src/core/schedules/types';
import type { RunMeta } from '../../src/core/model/run';
import { observe, steppedEvery, type Observation } from '../support/scheduleCurves';
import { seeded } from '../support/random';

function fitOf(f: ScheduleFn, o: Observation, meta?: RunMeta): ScheduleFit {
  const fit = fitSchedule(observe(f, o), meta);
  assert.ok(fit, 'a schedule was identified');
  return fit;
}

/** |actual - expected| <= rel * |expected| (+ abs). */
function near(actual: number | undefined, expected: number, rel = 1e-6, abs = 0, what = ''): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= rel * Math.abs(expected) + abs, `${what} ${actual} ≈ ${expected}`);
}

test('constant: a constant LR is "constant" with no warmup, however it was stored or printed', () => {
  for (const o of [{ steps: 2000 }, { steps: 2000, every: 50, first: 50, digits: 3 }, { steps: 500, float32: true }, { steps: 30, keras: true }]) {
    const fit = fitOf(() => 3e-4, o);
    assert.equal(fit.family, 'constant');
    assert.equal(fit.params.warmupSteps, 0);
    near(fit.params.lr, 3e-4, 1e-6);
    assert.equal(fit.exact, true);
    assert.equal(fit.fitError, 0);
  }
});

test('Hugging Face linear with warmup: warmup length, decay to 0 at num_training_steps', () => {
  const f = hf.linearScheduleWithWarmup({ lr: 5e-5, num_warmup_steps: 100, num_training_steps: 1000 });
  const fit = fitOf(f, { steps: 1001 });
  assert.equal(fit.family, 'linear');
  assert.equal(fit.params.warmupSteps, 100);
  assert.equal(fit.params.decaySteps, 900);
  assert.equal(fit.params.totalSteps, 1000);
  assert.equal(fit.params.endLr, 0);
  near(fit.params.lr, 5e-5);
  // logging_steps=10 with the Trainer's float printing in trainer_state.json.
  const sparse = fitOf(f, { steps: 1001, every: 10, first: 10, digits: 3 });
  assert.equal(sparse.family, 'linear');
  near(sparse.params.warmupSteps, 100, 0, 2);
  near(sparse.params.totalSteps, 1000, 0, 10);
  assert.equal(sparse.exact, true);
});

test('Hugging Face constant with warmup and cosine with warmup', () => {
  const c = fitOf(hf.constantScheduleWithWarmup({ lr: 2e-5, num_warmup_steps: 300 }), { steps: 3000 });
  assert.equal(c.family, 'constant');
  assert.equal(c.params.warmupSteps, 300);
  const cos = fitOf(hf.cosineScheduleWithWarmup({ lr: 1e-3, num_warmup_steps: 50, num_training_steps: 2000 }), { steps: 2000 });
  assert.equal(cos.family, 'cosine');
  assert.equal(cos.params.warmupSteps, 50);
  assert.equal(cos.params.decaySteps, 1950);
  assert.match(cos.summary!, /linear warmup from 0 over 50 steps, then cosine decay from 1e-3 to 0 over 1950 steps/);
});

test('PyTorch StepLR, MultiStepLR and ExponentialLR', () => {
  const step = fitOf(pt.stepLR({ lr: 0.0975, step_size: 30 }), { steps: 690 });
  assert.equal(step.family, 'step');
  assert.equal(step.params.stepSize, 30);
  near(step.params.gamma, 0.1, 1e-9);
  const multi = fitOf(pt.multiStepLR({ lr: 0.1, milestones: [3000, 4500], gamma: 0.2 }), { steps: 6000, every: 25 });
  assert.equal(multi.family, 'multistep');
  assert.deepEqual(multi.milestones, [3000, 4500]);
  near(multi.params.gamma, 0.2, 1e-9);
  const exp = fitOf(pt.exponentialLR({ lr: 0.1, gamma: 0.995 }), { steps: 1000 });
  assert.equal(exp.family, 'exponential');
  near(exp.params.gamma, 0.995, 1e-9);
});

test('ExponentialLR stepped once per epoch is exponential per epoch, in per-step and per-epoch logs', () => {
  const perEpoch = pt.exponentialLR({ lr: 0.0088, gamma: 0.9 });
  const stairs = fitOf(steppedEvery(perEpoch, 50), { steps: 1000 }, { stepsPerEpoch: 50 });
  assert.equal(stairs.family, 'exponential');
  assert.equal(stairs.variant, 'staircase');
  near(stairs.params.gammaPerEpoch, 0.9, 1e-9);
  assert.equal(stairs.params.decaySteps, 50);
  const logged = fitOf(steppedEvery(perEpoch, 50), { steps: 1000, every: 50, digits: 4 }, { stepsPerEpoch: 50 });
  assert.equal(logged.family, 'exponential');
  near(logged.params.gammaPerEpoch, 0.9, 1e-3);
});

test('a cosine stepped once per epoch but logged per step is a cosine with stepInterval = the epoch', () => {
  const fit = fitOf(steppedEvery(pt.cosineAnnealingLR({ lr: 0.01, T_max: 20 }), 50), { steps: 1000 }, { stepsPerEpoch: 50 });
  assert.equal(fit.family, 'cosine');
  assert.equal(fit.params.stepInterval, 50);
  assert.equal(fit.params.decaySteps, 1000);
  assert.equal(fit.params.decayEpochs, 20);
});

test('ReduceLROnPlateau: irregular drops by a constant factor at epoch ends', () => {
  // ReduceLROnPlateau stepped once per epoch on a val loss that stalls now and then.
  const val = [5, 4, 3.5, 3.4, 3.4, 3.4, 3.3, 3.3, 3.3, 3.3, 3.2, 3.1, 3.1, 3.1, 3.1, 3.0, 3.0, 3.0, 3.0, 3.0];
  const lrs = pt.reduceLROnPlateau({ lr: 1e-3, factor: 0.5, patience: 1 }, val);
  const spe = 37;
  // The LR after epoch e's step applies during epoch e + 1.
  const f: ScheduleFn = (s) => {
    const e = Math.floor(s / spe);
    return e === 0 ? 1e-3 : lrs[e - 1]!;
  };
  const fit = fitOf(f, { steps: spe * val.length }, { stepsPerEpoch: spe });
  assert.equal(fit.family, 'reduce_on_plateau');
  near(fit.params.factor, 0.5, 1e-9);
  assert.ok((fit.milestones ?? []).length >= 2);
  for (const m of fit.milestones ?? []) assert.equal(m % spe, 0, 'drops at epoch ends');
  assert.match(fit.summary!, /reduce-on-plateau/);
});

test('PyTorch PolynomialLR and Hugging Face polynomial decay to lr_end', () => {
  const p = fitOf(pt.polynomialLR({ lr: 0.1, total_iters: 1000, power: 2 }), { steps: 1000 });
  assert.equal(p.family, 'polynomial');
  near(p.params.power, 2, 1e-6);
  assert.equal(p.params.decaySteps, 1000);
  const h = fitOf(hf.polynomialDecayScheduleWithWarmup({ lr: 1e-3, num_warmup_steps: 0, num_training_steps: 1000, lr_end: 1e-5, power: 0.5 }), { steps: 1200 });
  assert.equal(h.family, 'polynomial');
  near(h.params.power, 0.5, 1e-4);
  near(h.params.endLr, 1e-5, 1e-4);
});

test('CosineAnnealingLR: decay length, and the climb back when stepped past T_max', () => {
  const c = fitOf(pt.cosineAnnealingLR({ lr: 0.0094, T_max: 720, eta_min: 1e-5 }), { steps: 720, float32: true });
  assert.equal(c.family, 'cosine');
  assert.equal(c.params.decaySteps, 720);
  near(c.params.endLr, 1e-5, 1e-3);
  const p = fitOf(pt.cosineAnnealingLR({ lr: 0.0094, T_max: 500 }), { steps: 720 });
  assert.equal(p.family, 'cosine');
  assert.equal(p.variant, 'periodic');
  assert.equal(p.params.decaySteps, 500);
});

test('CosineAnnealingWarmRestarts: T_0 and T_mult in steps and epochs', () => {
  const a = fitOf(pt.cosineAnnealingWarmRestarts({ lr: 1.6e-3, T_0: 225 }), { steps: 675 }, { stepsPerEpoch: 45 });
  assert.equal(a.family, 'cosine_warm_restarts');
  assert.equal(a.params.T_0, 225);
  assert.equal(a.params.T_mult, 1);
  assert.equal(a.params.T_0Epochs, 5);
  assert.match(a.summary!, /cosine with warm restarts .*T_0=5 epochs \(225 steps\), T_mult=1/);
  const b = fitOf(pt.cosineAnnealingWarmRestarts({ lr: 1e-3, T_0: 100, T_mult: 2, eta_min: 1e-5 }), { steps: 1500, every: 10, digits: 4 });
  assert.equal(b.family, 'cosine_warm_restarts');
  near(b.params.T_0, 100, 0, 1);
  assert.equal(b.params.T_mult, 2);
});

test('Keras CosineDecayRestarts with m_mul: peaks shrink per restart', () => {
  const f = keras.cosineDecayRestarts({ initial_learning_rate: 0.01, first_decay_steps: 200, t_mul: 2, m_mul: 0.5 });
  const fit = fitOf(f, { steps: 1400, float32: true });
  assert.equal(fit.family, 'cosine_warm_restarts');
  assert.equal(fit.params.T_0, 200);
  assert.equal(fit.params.T_mult, 2);
  near(fit.params.restartDecay, 0.5, 1e-4);
});

test('CyclicLR triangular, triangular2 and exp_range, logged sparsely', () => {
  const tri = fitOf(pt.cyclicLR({ base_lr: 0.0348, max_lr: 10.44, step_size_up: 100 }), { steps: 840, every: 5, first: 4 });
  assert.equal(tri.family, 'cyclic_triangular');
  assert.equal(tri.params.stepSizeUp, 100);
  assert.equal(tri.params.stepSizeDown, 100);
  near(tri.params.baseLr, 0.0348, 1e-6);
  near(tri.params.maxLr, 10.44, 1e-6);
  const tri2 = fitOf(pt.cyclicLR({ base_lr: 1e-3, max_lr: 0.1, step_size_up: 40, step_size_down: 60, mode: 'triangular2' }), { steps: 600 });
  assert.equal(tri2.family, 'cyclic_triangular2');
  assert.equal(tri2.params.stepSizeUp, 40);
  assert.equal(tri2.params.stepSizeDown, 60);
  const exp = fitOf(pt.cyclicLR({ base_lr: 1e-3, max_lr: 0.1, step_size_up: 50, mode: 'exp_range', gamma: 0.999 }), { steps: 600 });
  assert.equal(exp.family, 'cyclic_exp_range');
  near(exp.params.gamma, 0.999, 1e-6);
});

test('OneCycleLR: peak step, pct_start, div_factor, final_div_factor; float32 storage', () => {
  const fit = fitOf(pt.oneCycleLR({ max_lr: 0.002, total_steps: 675 }), { steps: 675, float32: true });
  assert.equal(fit.family, 'one_cycle');
  assert.equal(fit.variant, 'cos');
  near(fit.params.maxLr, 0.002, 1e-5);
  near(fit.params.pctStart, 0.3, 1e-3);
  near(fit.params.divFactor, 25, 1e-3);
  near(fit.params.finalDivFactor, 1e4, 1e-2);
  assert.equal(fit.params.totalSteps, 675);
  const three = fitOf(pt.oneCycleLR({ max_lr: 1, total_steps: 1000, three_phase: true }), { steps: 1000 });
  assert.equal(three.family, 'one_cycle');
  assert.equal(three.params.threePhase, 1);
});

test('inverse square root and warmup-stable-decay (Hugging Face)', () => {
  const inv = fitOf(hf.inverseSqrtSchedule({ lr: 1e-3, num_warmup_steps: 100, timescale: 400 }), { steps: 3000 });
  assert.equal(inv.family, 'inverse_sqrt');
  assert.equal(inv.params.warmupSteps, 100);
  assert.equal(inv.params.timescale, 400);
  for (const decay_type of ['linear', 'cosine', '1-sqrt'] as const) {
    const f = hf.wsdSchedule({ lr: 1e-3, num_warmup_steps: 100, num_decay_steps: 300, num_training_steps: 2000, decay_type, min_lr_ratio: 0.1 });
    const fit = fitOf(f, { steps: 2001 });
    assert.equal(fit.family, 'warmup_stable_decay', decay_type);
    assert.equal(fit.variant, decay_type);
    assert.equal(fit.params.warmupSteps, 100);
    assert.equal(fit.params.stableSteps, 1600);
    assert.equal(fit.params.decaySteps, 300);
    near(fit.params.endLr, 1e-4, 1e-6);
  }
});

test('optax warmup + exponential decay and warmup + cosine (init_value > 0)', () => {
  const e = fitOf(optax.warmupExponentialDecaySchedule({ init_value: 1e-5, peak_value: 1e-3, warmup_steps: 200, transition_steps: 100, decay_rate: 0.9 }), { steps: 3000 });
  assert.equal(e.family, 'exponential');
  assert.equal(e.params.warmupSteps, 200);
  near(e.params.warmupStartLr, 1e-5, 1e-6);
  near(e.params.gamma, 0.9 ** (1 / 100), 1e-9);
  const c = fitOf(optax.warmupCosineDecaySchedule({ init_value: 1e-4, peak_value: 1e-3, warmup_steps: 100, decay_steps: 1100, end_value: 1e-5 }), { steps: 1300 });
  assert.equal(c.family, 'cosine');
  assert.equal(c.params.warmupSteps, 100);
  assert.equal(c.params.decaySteps, 1000);
  near(c.params.endLr, 1e-5, 1e-6);
});

test('robust to missing steps, Keras-style printing and logging once per epoch', () => {
  const cos = hf.cosineScheduleWithWarmup({ lr: 3e-4, num_warmup_steps: 500, num_training_steps: 10_000 });
  const missing = fitOf(cos, { steps: 10_000, missing: 0.3 });
  assert.equal(missing.family, 'cosine');
  assert.equal(missing.params.warmupSteps, 500);
  const k = fitOf(keras.cosineDecay({ initial_learning_rate: 0.002, decay_steps: 4500 }), { steps: 4500, every: 150, keras: true });
  assert.equal(k.family, 'cosine');
  assert.equal(k.exact, true);
  const lin = fitOf(hf.linearScheduleWithWarmup({ lr: 5e-5, num_warmup_steps: 0, num_training_steps: 6000 }), { steps: 6000, every: 200, first: 200 }, { stepsPerEpoch: 200 });
  assert.equal(lin.family, 'linear');
  assert.equal(lin.params.decaySteps, 6000);
  assert.equal(lin.params.decayEpochs, 30);
});

test('a schedule reset on resume: the same curve restarted at the resume step', () => {
  const cos = pt.cosineAnnealingLR({ lr: 0.0094, T_max: 720 });
  const f: ScheduleFn = (s) => (s < 540 ? cos(s) : cos(s - 540));
  const fit = fitOf(f, { steps: 720 });
  assert.equal(fit.family, 'cosine');
  assert.equal(fit.params.decaySteps, 720);
  assert.deepEqual(fit.restarts, [540]);
  assert.equal(fit.exact, true);
  assert.match(fit.summary!, /restarted from its beginning at 540 steps/);
});

test('the tail of an earlier run, then a run of its own: the fit describes the later run, from its first step', () => {
  const earlier = hf.linearScheduleWithWarmup({ lr: 5e-5, num_warmup_steps: 0, num_training_steps: 118_750 });
  const later = hf.linearScheduleWithWarmup({ lr: 5e-5, num_warmup_steps: 0, num_training_steps: 2_411_050 });
  const f: ScheduleFn = (s) => (s < 2000 ? earlier(s) : later(s));
  const fit = fitOf(f, { steps: 110_001, every: 500, first: 500 });
  assert.equal(fit.family, 'linear');
  assert.equal(fit.params.fromStep, 2000);
  assert.equal(fit.params.totalSteps, 2_411_050);
  assert.ok(Number.isNaN(fitCurve(fit)(1500)), 'no curve before the later run');
  assert.match(fit.summary!, /from step 2000 \(earlier points follow another schedule/);
});

test('LR range test: an exponential sweep over more than two decades', () => {
  const fit = fitOf((s) => 1e-7 * (10 / 1e-7) ** (s / 99), { steps: 100 });
  assert.equal(fit.family, 'lr_range_test');
  near(fit.params.startLr, 1e-7, 1e-9);
  near(fit.params.endLr, 10, 1e-9);
  near(fit.params.decades, 8, 1e-9);
});

test('a warmup that never ends is reported as unfinished', () => {
  // Corpus case: the LR rises 1e-6 per 10 steps for the whole run (warmup_steps >= max_steps).
  const fit = fitOf((s) => 1e-7 * s, { steps: 421, every: 10, first: 10 });
  assert.equal(fit.family, 'constant');
  assert.equal(fit.params.warmupUnfinished, 1);
  assert.ok(fit.params.warmupSteps! >= 420);
});

test('an LR of exactly 0 throughout is a constant schedule at 0', () => {
  const fit = fitOf(() => 0, { steps: 100 });
  assert.equal(fit.family, 'constant');
  assert.equal(fit.params.lr, 0);
  assert.match(fit.summary!, /constant LR 0/);
});

test('no answer for noise, too few points, or nothing usable; NaN and negative values are ignored', () => {
  const rand = seeded(3);
  const noisy = observe(() => 1e-4 * (1 + 9 * rand()), { steps: 500 });
  assert.equal(fitSchedule(noisy), undefined);
  assert.equal(fitSchedule({ steps: new Float64Array([5]), values: new Float64Array([1e-3]) }), undefined);
  assert.equal(fitSchedule({ steps: new Float64Array(0), values: new Float64Array(0) }), undefined);
  assert.equal(fitSchedule({ steps: new Float64Array([1, 2, 3]), values: new Float64Array([NaN, NaN, NaN]) }), undefined);
  const withNaN = observe(pt.stepLR({ lr: 0.1, step_size: 100 }), { steps: 400 });
  withNaN.values[150] = NaN;
  withNaN.values[151] = -1;
  const fit = fitSchedule(withNaN);
  assert.equal(fit?.family, 'step');
});

test('a fit logged one step ahead of its scheduler: milestones and corners are logged steps', () => {
  // tensorboardX examples log the LR after `global_step` scheduler steps at step global_step + 1.
  const f = pt.multiStepLR({ lr: 0.1, milestones: [300, 800] });
  const fit = fitOf((s) => f(s - 1), { steps: 1200, first: 1 });
  assert.equal(fit.family, 'multistep');
  assert.equal(fit.params.stepOffset, 1);
  assert.deepEqual(fit.milestones, [301, 801]);
  assert.deepEqual(fitBreakpoints(fit, 1199), [301, 801]);
  assert.equal(fitCurve(fit)(300), 0.1);
  assert.ok(Math.abs(fitCurve(fit)(301) - 0.01) < 1e-15);
});

test('a fit logged two steps off its scheduler is still found at that offset', () => {
  // A resumed or accelerate-wrapped run can count two steps apart from its scheduler.
  const f = pt.multiStepLR({ lr: 0.1, milestones: [300, 800] });
  const ahead = fitOf((s) => f(s - 2), { steps: 1200, first: 2 });
  assert.equal(ahead.family, 'multistep');
  assert.equal(ahead.params.stepOffset, 2);
  assert.deepEqual(ahead.milestones, [302, 802]);
  const warm = hf.linearScheduleWithWarmup({ lr: 5e-4, num_warmup_steps: 50, num_training_steps: 1000 });
  const behind = fitOf((s) => warm(s + 2), { steps: 998 });
  assert.equal(behind.params.stepOffset, -2);
  assert.equal(behind.exact, true);
});

test('the reported curve reproduces the observed LR (fitCurve)', () => {
  const f = pt.cosineAnnealingWarmRestarts({ lr: 1.6e-3, T_0: 225 });
  const obs = observe(f, { steps: 675, every: 5 });
  const fit = fitSchedule(obs)!;
  const curve = fitCurve(fit);
  obs.steps.forEach((s, i) => near(curve(s), obs.values[i]!, 1e-9, 1e-15, `step ${s}`));
});

// Its speed is a figure of `npm run bench` (schedule fit, 1,000,000 points), not a test.
test('fits a million points exactly', () => {
  const f = hf.cosineScheduleWithWarmup({ lr: 6e-4, num_warmup_steps: 2000, num_training_steps: 1_000_000 });
  const fit = fitSchedule(observe(f, { steps: 1_000_000 }))!;
  assert.equal(fit.family, 'cosine');
  assert.equal(fit.params.warmupSteps, 2000);
  assert.equal(fit.params.decaySteps, 998_000);
});
