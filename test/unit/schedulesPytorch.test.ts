// PyTorch closed forms against PyTorch's own step-by-step recurrences.
//
// The simulators below transcribe torch/optim/lr_scheduler.py (pytorch/pytorch): the
// `LRScheduler` constructor's initial step, `step()` incrementing `last_epoch` and
// assigning `get_lr()` (the chainable form, which reads the optimizer's current lr), each
// class's `get_lr`, `CosineAnnealingWarmRestarts.step`, and `SequentialLR`'s constructor
// and `step`. The closed forms in src/core/schedules/pytorch.ts must agree with them
// over thousands of steps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  constantLR,
  cosineAnnealingLR,
  cosineAnnealingWarmRestarts,
  cyclicLR,
  exponentialLR,
  linearLR,
  multiStepLR,
  oneCycleLR,
  polynomialLR,
  reduceLROnPlateau,
  sequentialLR,
  stepLR,
} from '../../src/core/schedules/pytorch';
import type { ScheduleFn } from '../../src/core/schedules/types';

/** The optimizer's param group, shared by every scheduler attached to it. */
interface Group {
  lr: number;
  initial_lr?: number;
}

/** `LRScheduler` with a chainable `get_lr`, as in lr_scheduler.py. */
abstract class Recurrent {
  last_epoch = -1;
  _step_count = 0;
  _is_initial = false;
  readonly base_lr: number;
  constructor(readonly group: Group) {
    group.initial_lr ??= group.lr; // group.setdefault("initial_lr", ...)
    this.base_lr = group.initial_lr;
    // Subclasses call _initial_step() once their own fields are set, as the Python
    // constructors assign theirs before `super().__init__`.
  }
  _initial_step(): void {
    this._step_count = 0;
    this._is_initial = true;
    this.step();
    this._is_initial = false;
  }
  step(): void {
    this._step_count += 1;
    this.last_epoch += 1;
    this.group.lr = this.get_lr();
  }
  /** `_update_lr(epoch)` with an explicit epoch: the closed form when the class has one. */
  _update_lr(epoch: number): void {
    this.last_epoch = epoch;
    this.group.lr = this.closed();
  }
  abstract get_lr(): number;
  abstract closed(): number;
}

class StepRec extends Recurrent {
  constructor(g: Group, readonly step_size: number, readonly gamma: number) {
    super(g);
    this._initial_step();
  }
  get_lr(): number {
    if (this.last_epoch === 0 || this.last_epoch % this.step_size !== 0) return this.group.lr;
    return this.group.lr * this.gamma;
  }
  closed(): number {
    return this.base_lr * this.gamma ** Math.floor(this.last_epoch / this.step_size);
  }
}

class MultiStepRec extends Recurrent {
  constructor(g: Group, readonly milestones: number[], readonly gamma: number) {
    super(g);
    this._initial_step();
  }
  get_lr(): number {
    const count = this.milestones.filter((m) => m === this.last_epoch).length; // Counter(milestones)
    if (count === 0) return this.group.lr;
    return this.group.lr * this.gamma ** count;
  }
  closed(): number {
    return NaN;
  }
}

class ConstantRec extends Recurrent {
  constructor(g: Group, readonly factor: number, readonly total_iters: number) {
    super(g);
    this._initial_step();
  }
  get_lr(): number {
    if (this.last_epoch === 0) return this.group.lr * this.factor;
    if (this.last_epoch !== this.total_iters) return this.group.lr;
    return this.group.lr * (1.0 / this.factor);
  }
  closed(): number {
    return this.base_lr * (this.factor + (this.last_epoch >= this.total_iters ? 1 : 0) * (1 - this.factor));
  }
}

class LinearRec extends Recurrent {
  constructor(g: Group, readonly start_factor: number, readonly end_factor: number, readonly total_iters: number) {
    super(g);
    this._initial_step();
  }
  get_lr(): number {
    if (this.last_epoch === 0) return this.group.lr * this.start_factor;
    if (this._is_initial || this.last_epoch > this.total_iters) return this.group.lr;
    const d = this.end_factor - this.start_factor;
    return this.group.lr * (1.0 + d / (this.total_iters * this.start_factor + (this.last_epoch - 1) * d));
  }
  closed(): number {
    return this.base_lr * (this.start_factor + ((this.end_factor - this.start_factor) * Math.min(this.total_iters, this.last_epoch)) / this.total_iters);
  }
}

class ExponentialRec extends Recurrent {
  constructor(g: Group, readonly gamma: number) {
    super(g);
    this._initial_step();
  }
  get_lr(): number {
    if (this._is_initial) return this.group.lr;
    return this.group.lr * this.gamma;
  }
  closed(): number {
    return this.base_lr * this.gamma ** this.last_epoch;
  }
}

class PolynomialRec extends Recurrent {
  constructor(g: Group, readonly total_iters: number, readonly power: number) {
    super(g);
    this._initial_step();
  }
  get_lr(): number {
    if (this._is_initial || this.last_epoch > this.total_iters) return this.group.lr;
    const f = ((1.0 - this.last_epoch / this.total_iters) / (1.0 - (this.last_epoch - 1) / this.total_iters)) ** this.power;
    return this.group.lr * f;
  }
  closed(): number {
    return this.base_lr * (1.0 - Math.min(this.total_iters, this.last_epoch) / this.total_iters) ** this.power;
  }
}

class CosineRec extends Recurrent {
  constructor(g: Group, readonly T_max: number, readonly eta_min: number) {
    super(g);
    this._initial_step();
  }
  get_lr(): number {
    const { T_max, eta_min, last_epoch } = this;
    if (this._is_initial) return this.group.lr;
    if (this._step_count === 1 && last_epoch > 0)
      return eta_min + ((this.base_lr - eta_min) * (1 + Math.cos((last_epoch * Math.PI) / T_max))) / 2;
    if ((((last_epoch - 1 - T_max) % (2 * T_max)) + 2 * T_max) % (2 * T_max) === 0)
      return this.group.lr + ((this.base_lr - eta_min) * (1 - Math.cos(Math.PI / T_max))) / 2;
    return ((1 + Math.cos((Math.PI * last_epoch) / T_max)) / (1 + Math.cos((Math.PI * (last_epoch - 1)) / T_max))) * (this.group.lr - eta_min) + eta_min;
  }
  closed(): number {
    return this.eta_min + ((this.base_lr - this.eta_min) * (1 + Math.cos((Math.PI * this.last_epoch) / this.T_max))) / 2;
  }
}

/** `CosineAnnealingWarmRestarts.step()` without an epoch argument. */
class WarmRestartsRec extends Recurrent {
  T_i = 0;
  T_cur = -1;
  constructor(g: Group, readonly T_0: number, readonly T_mult: number, readonly eta_min: number) {
    super(g);
    this._initial_step();
  }
  override step(): void {
    let epoch: number | undefined;
    if (this.last_epoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.last_epoch + 1;
      this.T_cur = this.T_cur + 1;
      if (this.T_cur >= this.T_i) {
        this.T_cur = this.T_cur % this.T_i;
        this.T_i = this.T_i * this.T_mult;
      }
    } else {
      this.T_i = this.T_0;
      this.T_cur = epoch;
    }
    this.last_epoch = Math.floor(epoch);
    this.group.lr = this.get_lr();
  }
  get_lr(): number {
    return this.eta_min + ((this.base_lr - this.eta_min) * (1 + Math.cos((Math.PI * this.T_cur) / this.T_i))) / 2;
  }
  closed(): number {
    return NaN;
  }
}

/** Runs `steps` scheduler steps and returns the lr after each (index = last_epoch). */
function replay(s: { group: Group; step(): void }, steps: number): number[] {
  const out = [s.group.lr];
  for (let i = 1; i < steps; i++) {
    s.step();
    out.push(s.group.lr);
  }
  return out;
}

/** The closed form matches the recurrence to 1e-9 of the base LR at every step. */
function agree(closed: ScheduleFn, recurrent: number[], base: number, what: string): void {
  recurrent.forEach((r, e) => {
    const c = closed(e);
    assert.ok(Math.abs(c - r) <= 1e-9 * base + 1e-9 * Math.abs(r), `${what}: step ${e}: closed ${c} vs recurrent ${r}`);
  });
}

const N = 5000;

test('StepLR and MultiStepLR: closed forms equal the recurrences', () => {
  agree(stepLR({ lr: 0.1, step_size: 30, gamma: 0.5 }), replay(new StepRec({ lr: 0.1 }, 30, 0.5), N), 0.1, 'StepLR');
  agree(stepLR({ lr: 3e-4, step_size: 7 }), replay(new StepRec({ lr: 3e-4 }, 7, 0.1), 200), 3e-4, 'StepLR default gamma');
  const ms = [300, 800, 800, 4000];
  agree(multiStepLR({ lr: 0.05, milestones: ms, gamma: 0.2 }), replay(new MultiStepRec({ lr: 0.05 }, ms, 0.2), N), 0.05, 'MultiStepLR');
  // Docstring: lr = 0.05 if epoch < 30; 0.005 if 30 <= epoch < 80; 0.0005 if epoch >= 80.
  const doc = multiStepLR({ lr: 0.05, milestones: [30, 80] });
  assert.deepEqual([doc(29), doc(30), doc(79), doc(80)].map((v) => +v.toPrecision(12)), [0.05, 0.005, 0.005, 0.0005]);
});

test('ConstantLR, LinearLR, ExponentialLR, PolynomialLR: closed forms equal the recurrences', () => {
  agree(constantLR({ lr: 0.05, factor: 0.5, total_iters: 40 }), replay(new ConstantRec({ lr: 0.05 }, 0.5, 40), N), 0.05, 'ConstantLR');
  agree(linearLR({ lr: 0.05, start_factor: 0.05, total_iters: 40 }), replay(new LinearRec({ lr: 0.05 }, 0.05, 1, 40), N), 0.05, 'LinearLR warmup');
  agree(linearLR({ lr: 2e-3, start_factor: 1, end_factor: 0.01, total_iters: 3000 }), replay(new LinearRec({ lr: 2e-3 }, 1, 0.01, 3000), N), 2e-3, 'LinearLR decay');
  agree(exponentialLR({ lr: 0.1, gamma: 0.999 }), replay(new ExponentialRec({ lr: 0.1 }, 0.999), N), 0.1, 'ExponentialLR');
  agree(polynomialLR({ lr: 0.05, total_iters: 4000, power: 0.9 }), replay(new PolynomialRec({ lr: 0.05 }, 4000, 0.9), N), 0.05, 'PolynomialLR');
  agree(polynomialLR({ lr: 0.05, total_iters: 1000, power: 2 }), replay(new PolynomialRec({ lr: 0.05 }, 1000, 2), N), 0.05, 'PolynomialLR past the end');
  // LinearLR(start_factor=0.05, total_iters=40) on lr 0.05: 0.0025 after construction; the
  // docstring's 0.003687, 0.004875, 0.006062, 0.00725 are the values after steps 1 to 4.
  const lin = linearLR({ lr: 0.05, start_factor: 0.05, total_iters: 40 });
  assert.equal(+lin(0).toPrecision(6), 0.0025);
  assert.deepEqual([1, 2, 3, 4].map((e) => +lin(e).toPrecision(4)), [0.003688, 0.004875, 0.006063, 0.00725]);
  assert.equal(+lin(40).toPrecision(12), 0.05);
  assert.equal(polynomialLR({ lr: 0.05, total_iters: 50, power: 0.9 })(50), 0);
});

test('CosineAnnealingLR: closed form equals the recurrence, including its climb back past T_max', () => {
  for (const [T, etaMin] of [
    [1000, 0],
    [777, 1e-5],
    [60, 0],
    [1, 0],
  ] as const) {
    const rec = replay(new CosineRec({ lr: 0.01 }, T, etaMin), N);
    agree(cosineAnnealingLR({ lr: 0.01, T_max: T, eta_min: etaMin }), rec, 0.01, `CosineAnnealingLR T_max=${T}`);
  }
  const f = cosineAnnealingLR({ lr: 0.01, T_max: 100 });
  assert.equal(f(0), 0.01);
  assert.ok(Math.abs(f(50) - 0.005) < 1e-15);
  assert.equal(f(100), 0);
  assert.ok(Math.abs(f(150) - 0.005) < 1e-15, 'halfway back up');
  assert.ok(Math.abs(f(200) - 0.01) < 1e-15, 'back at the initial lr after 2 * T_max');
});

test('CosineAnnealingWarmRestarts: closed form equals step() called once per step, T_mult 1, 2 and 3', () => {
  for (const [T0, mult] of [
    [225, 1],
    [10, 2],
    [1, 3],
    [7, 3],
  ] as const) {
    const rec = replay(new WarmRestartsRec({ lr: 1.6e-3 }, T0, mult, 1e-6), N);
    agree(cosineAnnealingWarmRestarts({ lr: 1.6e-3, T_0: T0, T_mult: mult, eta_min: 1e-6 }), rec, 1.6e-3, `SGDR T_0=${T0} T_mult=${mult}`);
  }
  // Restarts of T_0=10, T_mult=2 are at 10, 30, 70, 150: the LR is back at lr there.
  const f = cosineAnnealingWarmRestarts({ lr: 1, T_0: 10, T_mult: 2 });
  for (const r of [0, 10, 30, 70, 150]) assert.equal(f(r), 1, `restart at ${r}`);
  assert.ok(Math.abs(f(20) - 0.5) < 1e-15, 'middle of the 20-step cycle');
  // Fractional epochs (scheduler.step(epoch + i / iters)): T_0 = 5 epochs.
  const g = cosineAnnealingWarmRestarts({ lr: 1, T_0: 5 });
  assert.ok(Math.abs(g(2.5) - 0.5) < 1e-15);
  assert.equal(g(5), 1);
  assert.ok(Math.abs(g(7.5) - 0.5) < 1e-15);
});

test('SequentialLR(LinearLR warmup, CosineAnnealingLR) equals the real shared-optimizer mechanics', () => {
  // The idiom: both schedulers are built on one optimizer (each constructor steps once and
  // changes the group's lr), then SequentialLR resets the lr, undoes their steps and
  // re-runs the first scheduler's initial step; at the milestone it calls
  // `_update_lr(0)` on the next one (PyTorch >= 2.2).
  const W = 500;
  const T = 4500;
  const group: Group = { lr: 2.15 };
  const warm = new LinearRec(group, 0.01, 1, W);
  const cos = new CosineRec(group, T, 0);
  const schedulers = [warm, cos];
  group.lr = group.initial_lr!;
  for (const s of schedulers) s.last_epoch -= 1;
  warm._initial_step();
  let lastEpoch = 0;
  const rec = [group.lr];
  for (let i = 1; i < 5200; i++) {
    lastEpoch += 1;
    const idx = lastEpoch >= W ? 1 : 0;
    const s = schedulers[idx]!;
    if (idx > 0 && lastEpoch === W) s._update_lr(0);
    else s.step();
    rec.push(group.lr);
  }
  const closed = sequentialLR({
    schedulers: [linearLR({ lr: 2.15, start_factor: 0.01, total_iters: W }), cosineAnnealingLR({ lr: 2.15, T_max: T })],
    milestones: [W],
  });
  agree(closed, rec, 2.15, 'SequentialLR');
  assert.ok(Math.abs(closed(0) - 0.0215) < 1e-15);
  assert.equal(closed(W), 2.15);
});

test('SequentialLR docstring: ConstantLR(0.1, 20) then ExponentialLR(0.9) at 20', () => {
  const f = sequentialLR({ schedulers: [constantLR({ lr: 0.05, factor: 0.1, total_iters: 20 }), exponentialLR({ lr: 0.05, gamma: 0.9 })], milestones: [20] });
  assert.deepEqual([0, 1, 19, 20, 21, 22].map((e) => +f(e).toPrecision(12)), [0.005, 0.005, 0.005, 0.05, 0.045, 0.0405]);
});

test('CyclicLR: hand-computed values at the cycle corners (bckenstler/CLR formulas)', () => {
  const tri = cyclicLR({ base_lr: 0.1, max_lr: 1.0, step_size_up: 10 });
  const at = (f: ScheduleFn, es: number[]) => es.map((e) => +f(e).toPrecision(12));
  assert.deepEqual(at(tri, [0, 5, 10, 15, 20, 25, 30]), [0.1, 0.55, 1, 0.55, 0.1, 0.55, 1]);
  const asym = cyclicLR({ base_lr: 0, max_lr: 1, step_size_up: 4, step_size_down: 12 });
  assert.deepEqual(at(asym, [0, 2, 4, 10, 16, 20]), [0, 0.5, 1, 0.5, 0, 1]);
  // triangular2 halves the amplitude each cycle: cycle 2 peaks at 0.1 + 0.9 / 2.
  const tri2 = cyclicLR({ base_lr: 0.1, max_lr: 1.0, step_size_up: 10, mode: 'triangular2' });
  assert.deepEqual(at(tri2, [10, 30, 50, 45]), [1, 0.55, 0.325, 0.2125]);
  // exp_range scales by gamma ** iteration.
  const exp = cyclicLR({ base_lr: 0.1, max_lr: 1.0, step_size_up: 10, mode: 'exp_range', gamma: 0.99 });
  assert.equal(exp(10), 0.1 + 0.9 * 0.99 ** 10);
  assert.equal(exp(30), 0.1 + 0.9 * 0.99 ** 30);
});

test('OneCycleLR: phase ends at pct_start * total_steps - 1 and total_steps - 1; NaN past the end', () => {
  const f = oneCycleLR({ max_lr: 1, total_steps: 100 });
  assert.equal(f(0), 0.040000000000000036, '1 + (0.04 - 1) / 2 * 2 in floating point, as PyTorch computes it');
  assert.equal(f(29), 1, 'the peak is at 0.3 * 100 - 1');
  assert.ok(Math.abs(f(64) - (1 + 4e-6) / 2) < 1e-15, 'halfway down phase 2 (29 -> 99)');
  assert.equal(+f(99).toPrecision(12), 4e-6, 'min_lr = max_lr / 25 / 1e4 at the last step');
  assert.ok(Math.abs(f(100) - (4e-6 + ((1 - 4e-6) / 2) * (Math.cos((Math.PI * 71) / 70) + 1))) < 1e-15, 'step total_steps is still computed');
  assert.ok(Number.isNaN(f(101)), 'PyTorch raises past total_steps');
  const three = oneCycleLR({ max_lr: 1, epochs: 10, steps_per_epoch: 10, three_phase: true, anneal_strategy: 'linear' });
  assert.equal(three(29), 1);
  assert.equal(+three(58).toPrecision(12), 0.04, 'back to initial_lr at 2 * pct * total - 2');
  assert.equal(+three(99).toPrecision(12), 4e-6);
  assert.equal(three(10), 0.04 + 0.96 * (10 / 29));
});

test('ReduceLROnPlateau replays factor, patience, threshold, cooldown and min_lr', () => {
  // patience 1: the second bad epoch in a row reduces.
  assert.deepEqual(reduceLROnPlateau({ lr: 1, factor: 0.5, patience: 1 }, [3, 2, 2, 2, 2, 1, 1, 1]), [1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25]);
  // threshold 'rel' 1e-4: 1.99999 is not better than 2.
  assert.deepEqual(reduceLROnPlateau({ lr: 1, factor: 0.1, patience: 0 }, [2, 1.99999, 1]), [1, 0.1, 0.1]);
  // cooldown 2 ignores the bad epochs right after a reduction; min_lr floors it; eps skips tiny changes.
  assert.deepEqual(reduceLROnPlateau({ lr: 1, factor: 0.5, patience: 0, cooldown: 2, min_lr: 0.3 }, [1, 1, 1, 1, 1, 1, 1]), [1, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3]);
  assert.deepEqual(reduceLROnPlateau({ lr: 1e-8, factor: 0.5, patience: 0 }, [1, 1]), [1e-8, 1e-8]);
  assert.deepEqual(reduceLROnPlateau({ lr: 1, mode: 'max', factor: 0.5, patience: 0, threshold_mode: 'abs', threshold: 0.1 }, [0.5, 0.55, 0.7]), [1, 0.5, 0.5]);
});
