// Hugging Face, Keras and optax closed forms at their boundaries: step 0, the end of
// warmup, cycle boundaries, the last step and past the end. Expected values are worked
// out by hand from the sources' formulas (cited per test) or copied from their docstrings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as hf from '../../src/core/schedules/huggingface';
import * as keras from '../../src/core/schedules/keras';
import * as optax from '../../src/core/schedules/optax';
import type { ScheduleFn } from '../../src/core/schedules/types';

/** Values at `steps`, rounded to 12 significant digits (hand values are decimal). */
const at = (f: ScheduleFn, steps: number[]): number[] => steps.map((s) => +f(s).toPrecision(12));

// transformers/src/transformers/optimization.py

test('HF linear with warmup: 0 at step 0, lr at the end of warmup, 0 at num_training_steps and after', () => {
  const f = hf.linearScheduleWithWarmup({ lr: 1e-3, num_warmup_steps: 100, num_training_steps: 1000 });
  assert.deepEqual(at(f, [0, 50, 99, 100, 550, 999, 1000, 1200]), [0, 5e-4, 9.9e-4, 1e-3, 5e-4, +(1e-3 / 900).toPrecision(12), 0, 0]);
  const noWarmup = hf.linearScheduleWithWarmup({ lr: 5e-5, num_warmup_steps: 0, num_training_steps: 200 });
  assert.deepEqual(at(noWarmup, [0, 100, 200]), [5e-5, 2.5e-5, 0]);
});

test('HF constant with warmup, cosine (num_cycles), hard restarts, cosine with min lr', () => {
  assert.deepEqual(at(hf.constantScheduleWithWarmup({ lr: 2e-5, num_warmup_steps: 10 }), [0, 5, 10, 10_000]), [0, 1e-5, 2e-5, 2e-5]);
  const cos = hf.cosineScheduleWithWarmup({ lr: 1e-3, num_warmup_steps: 100, num_training_steps: 1100 });
  // progress = (step - 100) / 1000; factor = 0.5 * (1 + cos(pi * 2 * 0.5 * progress)).
  assert.deepEqual(at(cos, [0, 100, 600, 1100]), [0, 1e-3, 5e-4, 0]);
  assert.equal(+cos(1600).toPrecision(12), 5e-4, 'not clamped: halfway back up at progress 1.5');
  const hard = hf.cosineWithHardRestartsScheduleWithWarmup({ lr: 1, num_warmup_steps: 0, num_training_steps: 100, num_cycles: 2 });
  assert.deepEqual(at(hard, [0, 25, 49, 50, 75, 100, 150]), [1, 0.5, +(0.5 * (1 + Math.cos(Math.PI * 0.98))).toPrecision(12), 1, 0.5, 0, 0]);
  const minLr = hf.cosineWithMinLrScheduleWithWarmup({ lr: 1e-3, num_warmup_steps: 0, num_training_steps: 100, min_lr: 1e-4 });
  assert.deepEqual(at(minLr, [0, 50, 100]), [1e-3, 5.5e-4, 1e-4]);
  // cosine_warmup_with_min_lr counts one step later: (step + 1) / w in warmup.
  const rate = hf.cosineWithMinLrScheduleWithWarmupLrRate({ lr: 1, num_warmup_steps: 4, num_training_steps: 104, min_lr_rate: 0 });
  assert.deepEqual(at(rate, [0, 3, 4, 53, 103]), [0.25, 1, +(0.5 * (1 + Math.cos(Math.PI * 0.01))).toPrecision(12), 0.5, 0]);
});

test('HF polynomial decay: warmup, (lr - lr_end) * remaining ** power + lr_end, lr_end after the end', () => {
  const f = hf.polynomialDecayScheduleWithWarmup({ lr: 1e-3, num_warmup_steps: 100, num_training_steps: 1100, lr_end: 1e-7, power: 2 });
  assert.deepEqual(at(f, [0, 100, 600, 1100, 5000]), [0, 1e-3, (1e-3 - 1e-7) * 0.25 + 1e-7, 1e-7, 1e-7]);
});

test('HF inverse sqrt: timescale defaults to the warmup, or 10 000 without warmup', () => {
  const f = hf.inverseSqrtSchedule({ lr: 1e-3, num_warmup_steps: 100 });
  assert.deepEqual(at(f, [0, 50, 100, 400, 1600]), [0, 5e-4, 1e-3, 5e-4, 2.5e-4]);
  const g = hf.inverseSqrtSchedule({ lr: 1, num_warmup_steps: 0 });
  assert.deepEqual(at(g, [0, 30_000]), [1, 0.5]);
  const h = hf.inverseSqrtSchedule({ lr: 1, num_warmup_steps: 10, timescale: 40 });
  assert.deepEqual(at(h, [10, 130]), [1, 0.5]);
});

test('HF warmup-stable-decay: warmup from min_lr_ratio, stable, decay, then min_lr_ratio', () => {
  const f = hf.wsdSchedule({ lr: 1, num_warmup_steps: 10, num_decay_steps: 10, num_training_steps: 100, min_lr_ratio: 0.1 });
  // stable = 100 - 10 - 10 = 80; cosine decay over steps 90..99.
  assert.deepEqual(at(f, [0, 5, 10, 89, 90, 95, 100, 500]), [0.1, 0.55, 1, 1, 1, 0.55, 0.1, 0.1]);
  const lin = hf.wsdSchedule({ lr: 2, num_warmup_steps: 0, num_stable_steps: 50, num_decay_steps: 50, decay_type: 'linear' });
  assert.deepEqual(at(lin, [0, 49, 50, 75, 99, 100]), [2, 2, 2, 1, 0.04, 0]);
  const sqrt = hf.wsdSchedule({ lr: 1, num_warmup_steps: 4, num_stable_steps: 0, num_decay_steps: 4, warmup_type: '1-sqrt', decay_type: '1-sqrt' });
  assert.deepEqual(at(sqrt, [0, 3, 4, 5, 8]), [0, +(1 - Math.sqrt(0.25)).toPrecision(12), 1, +(1 - Math.sqrt(0.25)).toPrecision(12), 0]);
  const cosWarm = hf.wsdSchedule({ lr: 1, num_warmup_steps: 4, num_stable_steps: 1, num_decay_steps: 1, warmup_type: 'cosine' });
  assert.equal(+cosWarm(2).toPrecision(12), 0.5);
});

test('HF get_scheduler by name passes scheduler_specific_kwargs through', () => {
  const f = hf.hfScheduler('cosine_with_restarts', { lr: 1, num_warmup_steps: 0, num_training_steps: 100, num_cycles: 2 });
  assert.equal(f(50), 1);
  const g = hf.hfScheduler('warmup_stable_decay', { lr: 1, num_warmup_steps: 10, num_training_steps: 100, num_decay_steps: 20, decay_type: 'linear' });
  assert.deepEqual(at(g, [5, 50, 90, 100]), [0.5, 1, 0.5, 0]);
  assert.equal(hf.hfScheduler('constant', { lr: 3e-4 })(123), 3e-4);
});

// keras/src/optimizers/schedules/learning_rate_schedule.py

test('Keras ExponentialDecay and InverseTimeDecay, continuous and staircase', () => {
  const smooth = keras.exponentialDecay({ initial_learning_rate: 0.1, decay_steps: 100_000, decay_rate: 0.96 });
  const stairs = keras.exponentialDecay({ initial_learning_rate: 0.1, decay_steps: 100_000, decay_rate: 0.96, staircase: true });
  assert.deepEqual(at(smooth, [0, 50_000, 100_000]), [0.1, +(0.1 * Math.sqrt(0.96)).toPrecision(12), 0.096]);
  assert.deepEqual(at(stairs, [0, 99_999, 100_000, 250_000]), [0.1, 0.1, 0.096, 0.09216]);
  const inv = keras.inverseTimeDecay({ initial_learning_rate: 0.1, decay_steps: 1, decay_rate: 0.5 });
  assert.deepEqual(at(inv, [0, 1, 2]), [0.1, +(0.1 / 1.5).toPrecision(12), 0.05]);
  const invStairs = keras.inverseTimeDecay({ initial_learning_rate: 1, decay_steps: 10, decay_rate: 1, staircase: true });
  assert.deepEqual(at(invStairs, [9, 10, 25]), [1, 0.5, +(1 / 3).toPrecision(12)]);
});

test('Keras PiecewiseConstantDecay: boundaries belong to the interval they end (docstring example)', () => {
  const f = keras.piecewiseConstantDecay({ boundaries: [100_000, 110_000], values: [1.0, 0.5, 0.1] });
  assert.deepEqual(at(f, [0, 100_000, 100_001, 110_000, 110_001]), [1, 1, 0.5, 0.5, 0.1]);
});

test('Keras PolynomialDecay: capped at decay_steps, or cycling to the next multiple', () => {
  const f = keras.polynomialDecay({ initial_learning_rate: 0.1, decay_steps: 10_000, end_learning_rate: 0.01, power: 0.5 });
  assert.deepEqual(at(f, [0, 7500, 10_000, 20_000]), [0.1, 0.055, 0.01, 0.01]);
  const c = keras.polynomialDecay({ initial_learning_rate: 0.1, decay_steps: 10_000, end_learning_rate: 0.01, power: 0.5, cycle: true });
  assert.deepEqual(at(c, [0, 10_000, 15_000, 20_000]), [0.1, 0.01, 0.055, 0.01]);
  assert.equal(+keras.polynomialDecay({ initial_learning_rate: 1, decay_steps: 4 })(2).toPrecision(12), 0.50005, 'default end 1e-4, power 1');
});

test('Keras CosineDecay: warmup from initial to target, cosine to alpha * target, held after', () => {
  const f = keras.cosineDecay({ initial_learning_rate: 0, decay_steps: 1000, warmup_target: 0.1, warmup_steps: 1000 });
  assert.deepEqual(at(f, [0, 500, 1000, 1500, 2000, 3000]), [0, 0.05, 0.1, 0.05, 0, 0]);
  const g = keras.cosineDecay({ initial_learning_rate: 0.1, decay_steps: 100, alpha: 0.1 });
  assert.deepEqual(at(g, [0, 50, 100, 400]), [0.1, 0.055, 0.01, 0.01]);
});

test('Keras CosineDecayRestarts: periods grow by t_mul, peaks shrink by m_mul, alpha floor', () => {
  const f = keras.cosineDecayRestarts({ initial_learning_rate: 1, first_decay_steps: 100, t_mul: 2, m_mul: 0.5, alpha: 0.1 });
  // restarts at 100 (period 200) and 300 (period 400).
  assert.deepEqual(at(f, [0, 50, 100, 200, 300]), [1, 0.55, 0.55, 0.325, 0.325]);
  const g = keras.cosineDecayRestarts({ initial_learning_rate: 1, first_decay_steps: 10, t_mul: 1 });
  assert.deepEqual(at(g, [0, 5, 10, 15, 20]), [1, 0.5, 1, 0.5, 1]);
});

// optax/schedules/_schedule.py and _join.py

test('optax polynomial_schedule (docstring counts) and linear_schedule', () => {
  const f = optax.polynomialSchedule({ init_value: 1.0, end_value: 0.01, transition_steps: 100, transition_begin: 5, power: 2 });
  assert.deepEqual([0, 5, 6, 104, 105, 110].map((c) => f(c).toFixed(4)), ['1.0000', '1.0000', '0.9803', '0.0101', '0.0100', '0.0100']);
  assert.equal(optax.polynomialSchedule({ init_value: 3, end_value: 1, power: 1, transition_steps: 0 })(50), 3, 'no transition: constant init');
  assert.deepEqual(at(optax.linearSchedule({ init_value: 1, end_value: 0.01, transition_steps: 100 }), [0, 50, 100, 200]), [1, 0.505, 0.01, 0.01]);
});

test('optax piecewise_constant_schedule (docstring) and piecewise_interpolate_schedule (docstring)', () => {
  const f = optax.piecewiseConstantSchedule({ init_value: 1.0, boundaries_and_scales: { 100: 0.1, 200: 0.01 } });
  assert.deepEqual(at(f, [50, 99, 100, 150, 200, 250]), [1, 1, 0.1, 0.1, 0.001, 0.001]);
  const g = optax.piecewiseInterpolateSchedule('linear', 1.0, { 4: 0.1, 8: 0.01 });
  assert.deepEqual([0, 2, 4, 6, 8, 10].map((c) => g(c).toFixed(6)), ['1.000000', '0.550000', '0.100000', '0.050500', '0.001000', '0.001000']);
  assert.equal(g(-1), 0, 'before the first boundary the indicator sum is empty');
  assert.throws(() => optax.piecewiseConstantSchedule({ init_value: 1, boundaries_and_scales: { 5: -1 } }), /non-negative/);
});

test('optax exponential_decay: transition_begin, staircase, end_value clipping', () => {
  const f = optax.exponentialDecay({ init_value: 1, transition_steps: 10, decay_rate: 0.5, transition_begin: 5, staircase: true, end_value: 0.2 });
  assert.deepEqual(at(f, [0, 5, 14, 15, 25, 35, 100]), [1, 1, 1, 0.5, 0.25, 0.2, 0.2]);
  const g = optax.exponentialDecay({ init_value: 1, transition_steps: 10, decay_rate: 2, end_value: 3 });
  assert.deepEqual(at(g, [10, 20]), [2, 3], 'decay_rate > 1: end_value is a ceiling');
  assert.equal(optax.exponentialDecay({ init_value: 7, transition_steps: 10, decay_rate: 0 })(100), 7);
});

test('optax cosine_decay_schedule (alpha, exponent) and warmup_cosine_decay_schedule', () => {
  const f = optax.cosineDecaySchedule({ init_value: 1, decay_steps: 100, alpha: 0.1, exponent: 2 });
  assert.deepEqual(at(f, [0, 50, 100, 200]), [1, 0.325, 0.1, 0.1]);
  assert.throws(() => optax.cosineDecaySchedule({ init_value: 1, decay_steps: 0 }), /positive decay_steps/);
  const g = optax.warmupCosineDecaySchedule({ init_value: 0, peak_value: 1, warmup_steps: 10, decay_steps: 110, end_value: 0.1 });
  assert.deepEqual(at(g, [0, 5, 10, 60, 110, 1000]), [0, 0.5, 1, 0.55, 0.1, 0.1]);
  const h = optax.warmupExponentialDecaySchedule({ init_value: 0, peak_value: 1, warmup_steps: 10, transition_steps: 10, decay_rate: 0.5 });
  assert.deepEqual(at(h, [5, 10, 20, 30]), [0.5, 1, 0.5, 0.25]);
  assert.deepEqual(at(optax.warmupConstantSchedule({ init_value: 0.1, peak_value: 1, warmup_steps: 9 }), [0, 3, 9, 99]), [0.1, 0.4, 1, 1]);
});

test('optax join_schedules and sgdr_schedule: each schedule sees the count since its boundary', () => {
  const j = optax.joinSchedules([() => 1, (c) => 100 + c], [10]);
  assert.deepEqual([9, 10, 15].map(j), [1, 100, 105]);
  const sgdr = optax.sgdrSchedule([
    { init_value: 1, peak_value: 1, warmup_steps: 0, decay_steps: 10 },
    { init_value: 0, peak_value: 0.5, warmup_steps: 2, decay_steps: 22 },
  ]);
  assert.deepEqual(at(sgdr, [0, 5, 9, 10, 11, 12, 22, 32, 50]), [1, 0.5, +(0.5 * (1 + Math.cos(Math.PI * 0.9))).toPrecision(12), 0, 0.25, 0.5, 0.25, 0, 0]);
});

test('optax one-cycle schedules: boundaries at int(pct * T) and T', () => {
  const cos = optax.cosineOnecycleSchedule({ transition_steps: 100, peak_value: 1 });
  assert.deepEqual(at(cos, [0, 15, 30, 65, 100, 200]), [0.04, 0.52, 1, +((1 + 4e-6) / 2).toPrecision(12), 4e-6, 4e-6]);
  const lin = optax.linearOnecycleSchedule({ transition_steps: 100, peak_value: 1 });
  assert.deepEqual(at(lin, [0, 30, 85, 100, 150]), [0.04, 1, 0.04, 4e-6, 4e-6]);
  // Equal boundaries (int(0.5 * 10) twice) keep the later scale, as a Python dict literal does.
  const same = optax.linearOnecycleSchedule({ transition_steps: 10, peak_value: 1, pct_start: 0.5, pct_final: 0.5 });
  assert.equal(+same(5).toPrecision(12), 0.04 * (1 / 25));
});
