// Previews: library calls and fitted schedules evaluated over a run's length.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decimate, libraryScheduleFn, simulateSchedule, type Simulation } from '../../src/core/schedules/simulate';
import * as pt from '../../src/core/schedules/pytorch';
import { fitSchedule } from '../../src/core/schedules/fit';
import { scheduleBreakpoints, scheduleFn } from '../../src/core/schedules/families';
import { observe } from '../support/scheduleCurves';

function ok(r: Simulation | { error: string }): Simulation {
  assert.ok(!('error' in r), 'error' in r ? r.error : '');
  return r;
}

test('a PyTorch call over a short run is evaluated at every step', () => {
  const sim = ok(simulateSchedule({ library: 'pytorch', name: 'CosineAnnealingLR', args: { lr: 0.1, T_max: 500 } }, 500));
  assert.equal(sim.steps.length, 500);
  const f = pt.cosineAnnealingLR({ lr: 0.1, T_max: 500 });
  sim.steps.forEach((s, i) => assert.equal(sim.values[i], f(s)));
});

test('a per-epoch scheduler (stepEvery = steps per epoch) keeps its corners after decimation', () => {
  const sim = ok(simulateSchedule({ library: 'pytorch', name: 'StepLR', args: { lr: 0.1, step_size: 10, gamma: 0.1 }, stepEvery: 100 }, 3000, 200));
  assert.ok(sim.steps.length <= 200);
  const at = (s: number): number | undefined => {
    const i = [...sim.steps].indexOf(s);
    return i >= 0 ? sim.values[i] : undefined;
  };
  // Epoch 10 starts at step 1000: the decay happens between 999 and 1000, both kept.
  assert.equal(at(999), 0.1);
  assert.ok(Math.abs(at(1000)! - 0.01) < 1e-15);
  assert.ok(Math.abs(Math.min(...sim.values) - 0.001) < 1e-15);
});

test('long runs: min and max survive decimation (a cyclic LR over a million steps)', () => {
  const sim = ok(simulateSchedule({ library: 'pytorch', name: 'CyclicLR', args: { base_lr: 1e-4, max_lr: 1e-2, step_size_up: 20_000 } }, 1_000_000, 400));
  assert.ok(sim.steps.length <= 400);
  assert.ok(Math.abs(Math.max(...sim.values) - 1e-2) < 1e-12);
  assert.ok(Math.abs(Math.min(...sim.values) - 1e-4) < 1e-12);
  for (let i = 1; i < sim.steps.length; i++) assert.ok(sim.steps[i]! > sim.steps[i - 1]!, 'steps increase');
});

test('SequentialLR, Hugging Face, Keras and optax calls', () => {
  const seq = libraryScheduleFn({
    library: 'pytorch',
    name: 'SequentialLR',
    schedulers: [
      { library: 'pytorch', name: 'LinearLR', args: { lr: 1, start_factor: 0.1, total_iters: 10 } },
      { library: 'pytorch', name: 'ExponentialLR', args: { lr: 1, gamma: 0.5 } },
    ],
    milestones: [10],
  });
  assert.ok('fn' in seq);
  assert.deepEqual([0, 10, 11, 12].map((s) => +seq.fn(s).toPrecision(12)), [0.1, 1, 0.5, 0.25]);
  const h = libraryScheduleFn({ library: 'huggingface', name: 'linear', args: { lr: 5e-5, num_warmup_steps: 10, num_training_steps: 110 } });
  assert.ok('fn' in h);
  assert.deepEqual([0, 5, 10, 60, 110].map((s) => +h.fn(s).toPrecision(12)), [0, 2.5e-5, 5e-5, 2.5e-5, 0]);
  const k = libraryScheduleFn({ library: 'keras', name: 'CosineDecay', args: { initial_learning_rate: 0, decay_steps: 100, warmup_target: 0.1, warmup_steps: 100 } });
  assert.ok('fn' in k);
  assert.equal(+k.fn(150).toPrecision(12), 0.05);
  const o = libraryScheduleFn({ library: 'optax', name: 'piecewise_constant_schedule', args: { init_value: 1, boundaries_and_scales: { 100: 0.1 } } });
  assert.ok('fn' in o);
  assert.deepEqual([99, 100].map(o.fn), [1, 0.1]);
});

test('missing or malformed arguments are reported, not thrown', () => {
  const r = simulateSchedule({ library: 'pytorch', name: 'CosineAnnealingLR', args: { lr: 0.1 } }, 100);
  assert.deepEqual(r, { error: 'CosineAnnealingLR needs a number for T_max' });
  const o = simulateSchedule({ library: 'pytorch', name: 'OneCycleLR', args: { max_lr: 0.1 } }, 100);
  assert.deepEqual(o, { error: 'OneCycleLR needs total_steps, or epochs and steps_per_epoch' });
  const m = simulateSchedule({ library: 'pytorch', name: 'MultiStepLR', args: { lr: 0.1, milestones: 'x' } }, 100);
  assert.deepEqual(m, { error: 'MultiStepLR needs a list of numbers for milestones' });
  const c = simulateSchedule({ library: 'optax', name: 'cosine_decay_schedule', args: { init_value: 1, decay_steps: 0 } }, 100);
  assert.ok('error' in c && /positive decay_steps/.test(c.error));
  assert.deepEqual(ok(simulateSchedule({ library: 'keras', name: 'ExponentialDecay', args: { initial_learning_rate: 1, decay_steps: 1, decay_rate: 0.5 } }, 0)).steps.length, 0);
});

test('a fitted schedule previews as its own curve, restarts and corners included', () => {
  const cos = pt.cosineAnnealingLR({ lr: 0.0094, T_max: 720 });
  const fit = fitSchedule(observe((s) => (s < 540 ? cos(s) : cos(s - 540)), { steps: 720 }))!;
  const spec = { family: fit.family, params: fit.params, restarts: fit.restarts };
  const sim = ok(simulateSchedule(spec, 720, 100));
  const f = scheduleFn(spec);
  sim.steps.forEach((s, i) => assert.equal(sim.values[i], f(s)));
  assert.ok([...sim.steps].includes(540) || [...sim.steps].includes(539), 'the restart is kept');
});

test('decimation keeps first, last, min, max and the largest jump of every bucket, in order', () => {
  const steps = Float64Array.from({ length: 100 }, (_, i) => i);
  const values = Float64Array.from(steps, (s) => (s === 37 ? 10 : s === 63 ? -10 : s >= 80 ? 1 : 0));
  const d = decimate(steps, values, 12);
  // Two buckets: [0, 50) keeps 0, the jump 36 -> 37 (the max), 49; [50, 100) keeps 50,
  // the jump 62 -> 63 (the min; larger than 79 -> 80), the max 80 and 99.
  assert.deepEqual([...d.steps], [0, 36, 37, 49, 50, 62, 63, 80, 99]);
  assert.deepEqual([...d.values], [0, 0, 10, 0, 0, 0, -10, 1, 1]);
});

test('corners of canonical schedules: warmup end, held peak, decay end, stairs, cycles; shifted by the step offset', () => {
  const cos = { family: 'cosine' as const, params: { warmupSteps: 700, holdSteps: 1, decaySteps: 18_860, lr: 6e-4, endLr: 0, stepOffset: -1 } };
  assert.deepEqual(scheduleBreakpoints(cos, 30_000), [699, 700, 19_560]);
  const step = { family: 'step' as const, params: { warmupSteps: 0, stepSize: 30, lr: 0.1, gamma: 0.1 } };
  assert.deepEqual(scheduleBreakpoints(step, 100), [30, 60, 90]);
  const cyc = { family: 'cyclic_triangular' as const, params: { baseLr: 0, maxLr: 1, stepSizeUp: 10, stepSizeDown: 30, offset: 5 } };
  assert.deepEqual(scheduleBreakpoints(cyc, 80), [5, 35, 45, 75]);
});
